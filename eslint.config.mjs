// ESLint (flat config): typescript-eslint recommended rules, naming habits, and the boundaries from
// ../shared/DESIGN.md, enforced by the local rule `sanerf/boundaries`:
// - plugin/core (Babylon- and DOM-free, safe in workers) imports only plugin/core, shaders and
//   packages other than Babylon and React;
// - shaders/ is a leaf: its kernels, wrappers and CPU twins import only shaders/;
// - workers/ import workers/, plugin/core and shaders/.
import path from "node:path";
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

const root = import.meta.dirname;

/** Per source folder: the repository folders it may import from, and the packages it may not. */
const boundaries = [
    { folder: "shaders/", allowed: ["shaders/"], forbiddenPackages: /^/, why: "shaders/ is a leaf: kernels, wrappers and CPU twins import only shaders/" },
    { folder: "plugin/core/", allowed: ["plugin/core/", "shaders/"], forbiddenPackages: /^(@babylonjs\/|react($|\/)|react-dom($|\/))/, why: "plugin/core is Babylon- and DOM-free (safe in workers)" },
    { folder: "workers/", allowed: ["workers/", "plugin/core/", "shaders/"], forbiddenPackages: /^(@babylonjs\/|react($|\/)|react-dom($|\/))/, why: "workers run plugin/core and shaders/ only" },
];

/** Checks every import of a file against its folder's boundary. */
const boundaryRule = {
    meta: { type: "problem", schema: [] },
    create(context) {
        const file = path.relative(root, context.filename).split(path.sep).join("/");
        const boundary = boundaries.find((b) => file.startsWith(b.folder));
        if (!boundary) {
            return {};
        }
        const check = (node, source) => {
            if (typeof source !== "string") {
                return;
            }
            if (!source.startsWith(".")) {
                if (boundary.forbiddenPackages.test(source) && !(boundary.folder === "shaders/" && /\.(wgsl|glsl)$/.test(source))) {
                    context.report({ node, message: `"${source}": ${boundary.why}.` });
                }
                return;
            }
            const target = path.relative(root, path.resolve(path.dirname(context.filename), source)).split(path.sep).join("/");
            if (!boundary.allowed.some((allowed) => target.startsWith(allowed))) {
                context.report({ node, message: `"${source}" (${target}): ${boundary.why}.` });
            }
        };
        return {
            ImportDeclaration: (node) => check(node, node.source.value),
            ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
            ExportAllDeclaration: (node) => check(node, node.source.value),
            ImportExpression: (node) => node.source.type === "Literal" && check(node, node.source.value),
        };
    },
};

export default tseslint.config(
    { ignores: ["dist/**", ".build/**", "node_modules/**", "sample-scenes/captures/**", "**/*.d.ts"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        files: ["**/*.ts", "**/*.tsx"],
        languageOptions: { globals: { ...globals.browser } },
        plugins: { sanerf: { rules: { boundaries: boundaryRule } } },
        rules: {
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", ignoreRestSiblings: true }],
            "@typescript-eslint/explicit-member-accessibility": ["error", { accessibility: "explicit", overrides: { constructors: "off" } }],
            "@typescript-eslint/no-non-null-assertion": "off",
            eqeqeq: ["error", "always"],
            "no-console": ["error", { allow: ["info", "warn", "error"] }],
            "max-lines": ["error", { max: 400, skipBlankLines: true, skipComments: true }],
            "sanerf/boundaries": "error",
        },
    },
    {
        files: ["test/**/*.ts"],
        languageOptions: { globals: { ...globals.browser, ...globals.jasmine } },
        rules: { "@typescript-eslint/explicit-member-accessibility": "off", "max-lines": "off" },
    },
    {
        files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
        // Node scripts; page.evaluate callbacks in them run in the browser, hence both global sets.
        languageOptions: { globals: { ...globals.node, ...globals.browser }, sourceType: "module" },
        rules: { "@typescript-eslint/no-require-imports": "off", "no-console": "off" },
    }
);

// ESLint (flat config): typescript-eslint recommended rules, JSDoc-ish naming habits, and the
// boundaries from ../shared/DESIGN.md: Babylon-free folders (plugin/core, shaders, workers) may
// not import Babylon, React or the Babylon-facing parts of plugin/.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

const babylonFree = {
    patterns: [
        { group: ["@babylonjs/*"], message: "Babylon-free code (plugin/core, shaders, workers) must not import Babylon." },
        { group: ["react", "react-dom", "react/*"], message: "Babylon-free code must not import React." },
    ],
};

export default tseslint.config(
    { ignores: ["dist/**", ".build/**", "node_modules/**", "sample-scenes/captures/**", "**/*.d.ts"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        files: ["**/*.ts", "**/*.tsx"],
        languageOptions: { globals: { ...globals.browser } },
        rules: {
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
            "@typescript-eslint/explicit-member-accessibility": ["error", { accessibility: "explicit", overrides: { constructors: "off" } }],
            "@typescript-eslint/no-non-null-assertion": "off",
            eqeqeq: ["error", "always"],
            "no-console": ["error", { allow: ["info", "warn", "error"] }],
            "max-lines": ["warn", { max: 450, skipBlankLines: true, skipComments: true }],
        },
    },
    {
        files: ["plugin/core/**/*.ts", "shaders/**/*.ts", "workers/**/*.ts"],
        rules: {
            "no-restricted-imports": ["error", babylonFree],
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

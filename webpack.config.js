// Webpack 5 builds: the plugin as an ESM library (dist/lib), the plugin for the Babylon.js Editor
// (dist/editor, CommonJS on the Editor's own Babylon and React), and the browser apps (dist/app):
// the demo editor, the headless pipeline page, the benchmarks and the sample-scene generator.
// `webpack.parts.js` holds the pieces shared with karma's build.
const path = require("path");
const HtmlWebpackPlugin = require("html-webpack-plugin");
const parts = require("./webpack.parts");

const root = __dirname;

/** The browser apps: the demo editor (`npm start`), the pipeline runner's page and the scene generator. */
function appConfig(mode) {
    const pages = {
        demo: { entry: "./sample-scenes/demo/main.ts", title: "SANeRF-HQ for Babylon.js: demo editor", file: "index.html" },
        pipeline: { entry: "./tools/pipeline/page.ts", title: "SANeRF-HQ pipeline runner", file: "pipeline.html" },
        generator: { entry: "./sample-scenes/generator/page.ts", title: "SANeRF-HQ sample-scene generator", file: "generator.html" },
        bench: { entry: "./tools/bench/page.ts", title: "SANeRF-HQ benchmarks", file: "bench.html" },
        models: { entry: "./tools/models/page.ts", title: "SANeRF-HQ built-in model generator", file: "models.html" },
    };
    return {
        name: "app",
        mode,
        devtool: mode === "production" ? "source-map" : "eval-cheap-module-source-map",
        entry: Object.fromEntries(Object.entries(pages).map(([name, page]) => [name, page.entry])),
        output: {
            path: path.join(root, "dist/app"),
            filename: "[name].[contenthash:8].js",
            chunkFilename: "[name].[contenthash:8].js",
            publicPath: "/",
            clean: true,
        },
        module: parts.moduleRules(),
        resolve: parts.resolve(),
        performance: { hints: false },
        plugins: [
            ...parts.definePlugins(),
            parts.copyOnnxRuntimeWasm(),
            parts.copySampleCaptures(),
            ...Object.entries(pages).map(
                ([name, page]) =>
                    new HtmlWebpackPlugin({
                        chunks: [name],
                        filename: page.file,
                        title: page.title,
                        template: path.join(root, "tools/appHost/page.html"),
                    })
            ),
        ],
        devServer: {
            host: "127.0.0.1",
            port: Number(process.env.PORT || 8080),
            hot: false,
            liveReload: true,
            client: { overlay: { warnings: false, errors: true } },
            static: [{ directory: path.join(root, "../shared/data"), publicPath: "/shared", watch: false }],
        },
    };
}

/** The plugin as an ESM library; Babylon, React and the Inspector stay external (peer dependencies). */
function libConfig(mode) {
    return {
        name: "lib",
        mode,
        devtool: "source-map",
        entry: { index: "./plugin/index.ts" },
        experiments: { outputModule: true },
        output: {
            path: path.join(root, "dist/lib"),
            filename: "[name].js",
            chunkFilename: "[name].[contenthash:8].js",
            library: { type: "module" },
            publicPath: "auto",
            clean: { keep: /types\// },
        },
        externalsType: "module",
        externals: [/^@babylonjs\//, /^react($|\/)/, /^react-dom($|\/)/],
        module: parts.moduleRules(),
        resolve: parts.resolve(),
        performance: { hints: false },
        plugins: [...parts.definePlugins(), parts.copyOnnxRuntimeWasm()],
    };
}

/**
 * Module requests of the Babylon.js Editor build that the Editor provides: its overrides.ts hands
 * `babylonjs*`, `react*` and `babylonjs-editor` to plugins from its own copies, and Node's modules
 * are there in its renderer. @babylonjs/* (ES modules) map to the UMD packages; serializers, which
 * the Editor does not ship, are bundled (their core imports still map to the Editor's babylonjs).
 */
function editorExternal({ request }, callback) {
    const umd = [
        [/^@babylonjs\/core(\/|$)/, "babylonjs"],
        [/^@babylonjs\/gui(\/|$)/, "babylonjs-gui"],
        [/^@babylonjs\/loaders(\/|$)/, "babylonjs-loaders"],
    ].find(([pattern]) => pattern.test(request));
    if (umd) {
        return callback(null, `commonjs ${umd[1]}`);
    }
    if (/^(react|react-dom)(\/|$)/.test(request) || request === "babylonjs-editor" || /^(fs|fs\/promises|path|url)$/.test(request)) {
        return callback(null, `commonjs ${request}`);
    }
    return callback();
}

/** The plugin for the Babylon.js Editor: a CommonJS module (dist/editor/index.js) with its workers, wasm and model beside it. */
function editorConfig(mode) {
    return {
        name: "editor",
        mode,
        target: ["web", "es2022"],
        devtool: "source-map",
        // the entry is a CommonJS module; its workers are plain worker scripts
        entry: { index: { import: "./plugin/editor/index.ts", library: { type: "commonjs2" } } },
        output: {
            path: path.join(root, "dist/editor"),
            filename: "[name].js",
            chunkFilename: "[name].[contenthash:8].js",
            // set at run time from the bundle's folder (plugin/editor/pluginFolder.ts)
            publicPath: "",
            clean: true,
        },
        // __dirname stays the real one (the Editor requires this file from the plugin's folder)
        node: { __dirname: false, __filename: false },
        externals: [editorExternal],
        module: parts.moduleRules(),
        resolve: { ...parts.resolve(), alias: { ...parts.resolve().alias, "@babylonjs/inspector$": path.join(root, "plugin/editor/editorControls.tsx") } },
        performance: { hints: false },
        plugins: [...parts.definePlugins(), parts.copyOnnxRuntimeWasm()],
    };
}

module.exports = (env = {}, argv = {}) => {
    const mode = argv.mode || "production";
    const configs = [appConfig(mode), libConfig(mode), editorConfig(mode)];
    return env.only ? configs.filter((config) => String(env.only).split(",").includes(config.name)) : configs;
};

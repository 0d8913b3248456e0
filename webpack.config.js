// Webpack 5 builds: the plugin as an ESM library (dist/lib), and the browser apps (dist/app):
// the demo editor, the headless pipeline page and the sample-scene generator page.
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

module.exports = (env = {}, argv = {}) => {
    const mode = argv.mode || "production";
    const configs = [appConfig(mode), libConfig(mode)];
    return env.only ? configs.filter((config) => config.name === env.only) : configs;
};

// Pieces shared by webpack.config.js and karma.conf.js.
const path = require("path");
const webpack = require("webpack");
const CopyPlugin = require("copy-webpack-plugin");

const root = __dirname;

/** TypeScript through ts-loader (type checking is `npm run typecheck`), WGSL as strings. */
function moduleRules() {
    return {
        rules: [
            { test: /\.tsx?$/, loader: "ts-loader", exclude: /node_modules/, options: { transpileOnly: true } },
            { test: /\.wgsl$/, type: "asset/source" },
            { test: /\.glsl$/, type: "asset/source" },
            { test: /\.onnx$/, type: "asset/resource" },
            // onnxruntime-web finds its wasm through ort.env.wasm.wasmPaths (set by OnnxRuntimeSetup),
            // so webpack must not also emit the copy that its `new URL(..., import.meta.url)` names.
            { test: /onnxruntime-web[\\/]dist[\\/].*\.mjs$/, parser: { url: false } },
        ],
    };
}

/** Extensions, and the path aliases the tests import through (tsconfig.json "paths"). */
function resolve() {
    const alias = Object.fromEntries(["plugin", "shaders", "workers", "tools", "sample-scenes", "test"].map((folder) => [`@${folder}`, path.join(root, folder)]));
    return { extensions: [".ts", ".tsx", ".js", ".mjs"], alias };
}

/** Compile-time switches. GPU specs may skip only where SANERF_ALLOW_NO_WEBGPU=1 is set (never in CI). */
function definePlugins() {
    return [
        new webpack.DefinePlugin({
            __SANERF_ALLOW_NO_WEBGPU__: JSON.stringify(process.env.SANERF_ALLOW_NO_WEBGPU === "1"),
        }),
    ];
}

/** onnxruntime-web's runtime files, served from the page's own origin under `ort/`. */
function copyOnnxRuntimeWasm() {
    const dist = path.join(root, "node_modules/onnxruntime-web/dist");
    return new CopyPlugin({
        patterns: [
            { from: path.join(dist, "ort-wasm-simd-threaded.jsep.wasm"), to: "ort/" },
            { from: path.join(dist, "ort-wasm-simd-threaded.jsep.mjs"), to: "ort/" },
        ],
    });
}

/** The small sample captures and the built-in model, served with the app. */
function copySampleCaptures() {
    return new CopyPlugin({
        patterns: [{ from: path.join(root, "sample-scenes/captures"), to: "captures/", noErrorOnMissing: true }],
    });
}

module.exports = { moduleRules, resolve, definePlugins, copyOnnxRuntimeWasm, copySampleCaptures };

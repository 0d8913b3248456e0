// Karma runs the browser specs (test/**/*.spec.ts) in Debian's Chromium, headless, with real
// WebGPU on SwiftShader. Webpack output goes to .build/karma so worker chunks and the
// onnxruntime-web wasm files are served too; ../shared/data is served under /shared/.
const path = require("path");
const fs = require("fs");
const parts = require("./webpack.parts");

const root = __dirname;
const outputPath = path.join(root, ".build/karma");
fs.mkdirSync(outputPath, { recursive: true });
const sharedData = path.resolve(root, "../shared/data");

const chromiumFlags = require("./tools/chromiumFlags.cjs");

/** A URL prefix that never answers (/never-answers/...): the specs of timeouts on model URLs use it. */
function NeverAnswersMiddleware() {
    return (request, response, next) => {
        if (request.url.startsWith("/never-answers/")) {
            request.on("close", () => response.destroy());
            return;
        }
        next();
    };
}

module.exports = (config) => {
    process.env.CHROME_BIN = process.env.CHROME_BIN || "/usr/bin/chromium";
    const specs = process.env.KARMA_SPECS || "test/**/*.spec.ts";
    config.set({
        basePath: root,
        frameworks: ["jasmine", "webpack"],
        plugins: ["karma-jasmine", "karma-webpack", "karma-chrome-launcher", require("./test/karma/summaryReporter"), { "middleware:never-answers": ["factory", NeverAnswersMiddleware] }],
        beforeMiddleware: ["never-answers"],
        files: [
            { pattern: specs, watched: false },
            { pattern: ".build/karma/**/*", included: false, served: true, watched: false, nocache: true },
            { pattern: "sample-scenes/captures/**/*", included: false, served: true, watched: false, nocache: true },
            ...(fs.existsSync(sharedData) ? [{ pattern: `${sharedData}/**/*`, included: false, served: true, watched: false, nocache: true }] : []),
        ],
        proxies: { "/shared/": `/absolute${sharedData}/` },
        preprocessors: { [specs]: ["webpack"] },
        webpack: {
            mode: "development",
            devtool: "inline-source-map",
            output: { path: outputPath, publicPath: "/base/.build/karma/" },
            module: parts.moduleRules(),
            resolve: parts.resolve(),
            plugins: [...parts.definePlugins(), parts.copyOnnxRuntimeWasm()],
            stats: "errors-warnings",
            performance: { hints: false },
        },
        reporters: ["progress", "sanerf-summary"],
        summaryReporter: { outputFile: path.join(root, ".build/karma-summary.json") },
        browsers: ["ChromiumWebGpu"],
        customLaunchers: {
            // base "Chrome" with --headless=new: ChromeHeadless adds --disable-gpu, which removes WebGPU.
            ChromiumWebGpu: { base: "Chrome", flags: ["--headless=new", "--remote-debugging-port=9222", ...chromiumFlags] },
        },
        client: { jasmine: { random: false, timeoutInterval: 120000 } },
        browserNoActivityTimeout: 600000,
        browserDisconnectTimeout: 60000,
        captureTimeout: 180000,
        singleRun: true,
        concurrency: 1,
    });
};

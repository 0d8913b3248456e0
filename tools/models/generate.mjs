// `npm run generate:models [-- --out DIR]`
// Writes the built-in stand-in segmentation model (plugin/models/builtin-encoder.onnx and
// builtin-decoder.onnx). The graphs are built by the plugin's own TypeScript
// (tools/models/builtinModelGraphs.ts) on the app's models.html page in headless Chromium, which
// checks them with onnxruntime-web and PUTs the files to this script's server. A failed check
// writes nothing and fails the command.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { openAppPage, root } from "../appHost/appPage.mjs";

const modelFiles = ["builtin-encoder.onnx", "builtin-decoder.onnx"];
const usage = `usage: npm run generate:models [-- --out DIR]

  --out  output folder (default plugin/models)`;

function parseOptions(argv) {
    try {
        const { values } = parseArgs({ args: argv, options: { out: { type: "string" }, help: { type: "boolean", short: "h" } }, strict: true, allowPositionals: false });
        if (values.help) {
            console.log(usage);
            process.exit(0);
        }
        return { out: path.resolve(process.cwd(), values.out ?? path.join(root, "plugin/models")) };
    } catch (error) {
        console.error(`generate:models: ${error.message}\n\n${usage}`);
        process.exit(2);
    }
}

/**
 * The app bundle imports plugin/models/*.onnx (BuiltinSamModelUrls), so it cannot build while they
 * are missing: create empty placeholders for the build; the generated files replace them.
 * @returns the placeholders created (removed again if generation fails)
 */
function createPlaceholders() {
    const folder = path.join(root, "plugin/models");
    fs.mkdirSync(folder, { recursive: true });
    const created = modelFiles.map((name) => path.join(folder, name)).filter((file) => !fs.existsSync(file));
    created.forEach((file) => fs.writeFileSync(file, new Uint8Array(0)));
    return created;
}

async function main() {
    const options = parseOptions(process.argv.slice(2));
    fs.mkdirSync(options.out, { recursive: true });
    const placeholders = createPlaceholders();
    process.on("exit", (code) => {
        if (code !== 0) {
            placeholders.filter((file) => fs.existsSync(file) && fs.statSync(file).size === 0).forEach((file) => fs.rmSync(file));
        }
    });
    const app = await openAppPage({ page: "models.html", readyGlobal: "sanerfModels", uploads: { "/__out/": options.out } });
    let failed = 0;
    try {
        const report = await app.page.evaluate(() => window.sanerfModels.generateAsync({ uploadPrefix: "/__out/" }));
        for (const check of report.checks) {
            console.log(`  ${check.ok ? "ok  " : "FAIL"} ${check.name}: ${check.detail}`);
            failed += check.ok ? 0 : 1;
        }
        if (report.files.length !== modelFiles.length && failed === 0) {
            console.error(`the page wrote ${report.files.length} of ${modelFiles.length} files`);
            failed++;
        }
        for (const file of report.files) {
            console.log(`wrote ${path.relative(root, path.join(options.out, file.name))} (${file.bytes} bytes, sha256 ${file.sha256.slice(0, 16)}...)`);
        }
        if (app.external.length > 0) {
            console.error(`blocked requests to outside 127.0.0.1: ${app.external.join(", ")}`);
            failed++;
        }
    } finally {
        await app.close();
    }
    if (failed > 0) {
        console.error(`generate:models: ${failed} check(s) failed; no model written`);
        process.exit(1);
    }
}

main().catch((error) => {
    console.error(`generate:models: ${(process.env.SANERF_VERBOSE === "1" && error.stack) || error.message || error}`);
    process.exit(1);
});

// `npm run generate:scenes -- [--scene tabletop|hard|all] [--views 48] [--size 128] [--seed 1] [--out DIR]`
// Renders the procedural sample scenes with Babylon (WebGL2) in headless Chromium and writes one
// capture folder per scene: images/ (RGBA, straight alpha = coverage; transparent background),
// labels/, depth/, meshes/ and transforms.json. The page (sample-scenes/generator) PUTs every file
// to this script's server, which writes it under DIR. The page checks what it wrote (poses, depth,
// labels, alpha, GLBs); a failed check fails the command.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { openAppPage, root } from "../../tools/appHost/appPage.mjs";

const sceneNames = ["tabletop", "hard"];
const defaults = { scene: "all", views: "48", size: "128", seed: "1", out: "sample-scenes/captures" };
const usage = `usage: npm run generate:scenes -- [--scene tabletop|hard|all] [--views N] [--size PX] [--seed N] [--out DIR]

  --scene  which scene to generate (default: all = ${sceneNames.join(", ")})
  --views  camera views on the hemisphere, 1..10000 (default ${defaults.views})
  --size   image width and height in pixels, 16..4096 (default ${defaults.size})
  --seed   integer seed of the object layout (default ${defaults.seed})
  --out    output folder; each scene goes to DIR/<scene> (default ${defaults.out})`;

/** Prints a problem and the usage, and exits with status 2. */
function fail(problem) {
    console.error(`generate:scenes: ${problem}\n\n${usage}`);
    process.exit(2);
}

/** Parses an integer option within bounds, or fails. */
function integerOption(name, text, min, max) {
    if (!/^-?\d+$/.test(text)) {
        fail(`--${name} must be an integer, got "${text}"`);
    }
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < min || value > max) {
        fail(`--${name} must be between ${min} and ${max}, got ${text}`);
    }
    return value;
}

function parseOptions(argv) {
    let parsed;
    try {
        parsed = parseArgs({
            args: argv,
            options: {
                scene: { type: "string" },
                views: { type: "string" },
                size: { type: "string" },
                seed: { type: "string" },
                out: { type: "string" },
                help: { type: "boolean", short: "h" },
            },
            strict: true,
            allowPositionals: false,
        });
    } catch (error) {
        fail(error.message);
    }
    if (parsed.values.help) {
        console.log(usage);
        process.exit(0);
    }
    const values = { ...defaults, ...parsed.values };
    if (values.scene !== "all" && !sceneNames.includes(values.scene)) {
        fail(`--scene must be one of ${[...sceneNames, "all"].join(", ")}, got "${values.scene}"`);
    }
    if (values.out.trim() === "") {
        fail("--out must name a folder");
    }
    return {
        scenes: values.scene === "all" ? sceneNames : [values.scene],
        views: integerOption("views", values.views, 1, 10000),
        size: integerOption("size", values.size, 16, 4096),
        seed: integerOption("seed", values.seed, -2147483648, 4294967295),
        out: path.resolve(process.cwd(), values.out),
    };
}

/** The command that regenerates one scene with these options (defaults left out). */
function commandFor(scene, options) {
    const extra = [
        options.views !== Number(defaults.views) ? ` --views ${options.views}` : "",
        options.size !== Number(defaults.size) ? ` --size ${options.size}` : "",
        options.seed !== Number(defaults.seed) ? ` --seed ${options.seed}` : "",
    ].join("");
    return `npm run generate:scenes -- --scene ${scene}${extra}`;
}

/** Empties DIR/<scene> when it holds a generated capture (or nothing); refuses anything else. */
function prepareSceneFolder(folder) {
    if (!fs.existsSync(folder)) {
        return;
    }
    const entries = fs.readdirSync(folder);
    if (entries.length === 0) {
        return;
    }
    const manifest = path.join(folder, "transforms.json");
    let generated;
    try {
        generated = JSON.parse(fs.readFileSync(manifest, "utf8")).sanerf_scene !== undefined;
    } catch {
        generated = false;
    }
    if (!generated) {
        throw new Error(`${folder} exists and is not a generated sample capture (no transforms.json with "sanerf_scene"); not overwriting it`);
    }
    fs.rmSync(folder, { recursive: true, force: true });
}

/** Total size of the files under a folder. */
function folderBytes(folder) {
    let total = 0;
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
        const full = path.join(folder, entry.name);
        total += entry.isDirectory() ? folderBytes(full) : fs.statSync(full).size;
    }
    return total;
}

async function main() {
    const options = parseOptions(process.argv.slice(2));
    for (const scene of options.scenes) {
        prepareSceneFolder(path.join(options.out, scene));
    }
    fs.mkdirSync(options.out, { recursive: true });
    const app = await openAppPage({ page: "generator.html", readyGlobal: "sanerfGenerator", uploads: { "/__out/": options.out } });
    let failed = 0;
    try {
        for (const scene of options.scenes) {
            const config = { scene, views: options.views, size: options.size, seed: options.seed, command: commandFor(scene, options), uploadPrefix: "/__out/" };
            console.log(`${scene}: ${options.views} views at ${options.size} px, seed ${options.seed}...`);
            const report = await app.page.evaluate((c) => window.sanerfGenerator.generateAsync(c), config);
            const folder = path.join(options.out, scene);
            console.log(`${scene}: wrote ${report.files.length} files to ${path.relative(root, folder) || folder} (${(folderBytes(folder) / 1e6).toFixed(2)} MB) in ${report.seconds.toFixed(1)} s`);
            for (const check of report.checks) {
                console.log(`  ${check.ok ? "ok  " : "FAIL"} ${check.name}: ${check.detail}`);
                failed += check.ok ? 0 : 1;
            }
        }
        if (app.external.length > 0) {
            console.error(`blocked requests to outside 127.0.0.1: ${app.external.join(", ")}`);
            failed++;
        }
    } finally {
        await app.close();
    }
    if (failed > 0) {
        console.error(`generate:scenes: ${failed} check(s) failed`);
        process.exit(1);
    }
}

main().catch((error) => {
    console.error(`generate:scenes: ${(process.env.SANERF_VERBOSE === "1" && error.stack) || error.message || error}`);
    process.exit(1);
});

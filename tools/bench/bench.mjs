#!/usr/bin/env node
// `npm run bench [-- --only nerf,... --quick --out DIR]`: runs the benchmark suites in Debian's
// Chromium (WebGPU on SwiftShader here; your GPU elsewhere), prints one table per suite and
// writes every figure to DIR/bench.json (default .build/bench). Speed and quality targets live
// here, never in timed tests.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { openAppPage, root } from "../appHost/appPage.mjs";

/**
 * The fusion and objects suites score the sample scenes rendered at this size (the shipped
 * captures are 128 px to keep the demo and the tests quick; at 128 px the hard scene's wire ring
 * is one to two pixels wide and the scores measure the pixel grid more than the aggregator).
 */
const benchCaptureSize = 256;
const benchCaptureFolder = path.join(root, ".build/bench-captures", String(benchCaptureSize));
const suitesOnBenchCaptures = ["fusion", "objects"];

const usage = `usage: npm run bench -- [--only SUITE[,SUITE...]] [--quick] [--out DIR]

  --only   run only these suites (default: all)
  --quick  short runs for a quick look (figures are not the README's)
  --out    folder for bench.json (default .build/bench)`;

function parse(argv) {
    const options = { only: null, quick: false, out: path.join(root, ".build/bench") };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--quick") {
            options.quick = true;
        } else if (arg === "--only" && argv[i + 1]) {
            options.only = argv[++i].split(",").filter(Boolean);
        } else if (arg === "--out" && argv[i + 1]) {
            options.out = path.resolve(argv[++i]);
        } else if (arg === "--help" || arg === "-h") {
            console.log(usage);
            process.exit(0);
        } else {
            console.error(`error: unexpected argument "${arg}"\n\n${usage}`);
            process.exit(2);
        }
    }
    return options;
}

function printTable(result) {
    const rows = result.rows.map((row) => [row.metric, row.value, row.target ?? "", row.met === undefined ? "" : row.met ? "yes" : "NO"]);
    const header = ["metric", "value", "target", "met"];
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
    const line = (cells) => `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(" | ")} |`;
    console.log(`\n### ${result.title} (${result.seconds.toFixed(0)} s)\n`);
    console.log(line(header));
    console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
    rows.forEach((row) => console.log(line(row)));
}

/** Newest modification time of the files under a folder (0 when it is missing). */
function newestMtime(folder) {
    if (!fs.existsSync(folder)) {
        return 0;
    }
    let newest = 0;
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
        const full = path.join(folder, entry.name);
        newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
    }
    return newest;
}

/**
 * Renders the sample scenes at benchCaptureSize into .build/bench-captures/<size> with the scene
 * generator, unless they are there and newer than the generator's sources.
 */
function ensureBenchCaptures() {
    const manifests = ["tabletop", "hard"].map((scene) => path.join(benchCaptureFolder, scene, "transforms.json"));
    const built = manifests.every((m) => fs.existsSync(m)) ? Math.min(...manifests.map((m) => fs.statSync(m).mtimeMs)) : 0;
    if (built > newestMtime(path.join(root, "sample-scenes/generator"))) {
        return;
    }
    console.error(`rendering the sample scenes at ${benchCaptureSize} px for the benchmarks (${path.relative(root, benchCaptureFolder)})...`);
    const result = spawnSync(process.execPath, [path.join(root, "sample-scenes/generator/generate.mjs"), "--size", String(benchCaptureSize), "--out", benchCaptureFolder], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
    if (result.status !== 0) {
        throw new Error(`rendering the benchmark captures failed (exit ${result.status}); run npm run generate:scenes -- --size ${benchCaptureSize} --out ${benchCaptureFolder} to see why`);
    }
}

/** The process ids of this process's descendants (the browser and its helpers). */
function descendants(pid) {
    const children = new Map();
    for (const entry of fs.readdirSync("/proc")) {
        if (/^\d+$/.test(entry)) {
            try {
                const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
                const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
                children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
            } catch {
                // the process ended while listing
            }
        }
    }
    const found = [];
    const queue = [pid];
    while (queue.length > 0) {
        for (const child of children.get(queue.shift()) ?? []) {
            found.push(child);
            queue.push(child);
        }
    }
    return found;
}

/** Proportional set size (bytes) of the browser's processes: shared pages counted once overall. */
function browserMemoryBytes() {
    let total = 0;
    for (const pid of descendants(process.pid)) {
        try {
            const match = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
            total += match ? Number(match[1]) * 1024 : 0;
        } catch {
            // the process ended, or /proc is not Linux's
        }
    }
    return total;
}

/**
 * Runs a suite while sampling the browser's memory every 200 ms; adds the peak (and its rise over
 * the level before the suite) to the suite's table. On systems without /proc the row is left out.
 */
async function runMeasuredAsync(session, suite, quick) {
    const before = browserMemoryBytes();
    let peak = before;
    const timer = setInterval(() => (peak = Math.max(peak, browserMemoryBytes())), 200);
    try {
        const result = await session.page.evaluate(({ name, quick: q }) => window.sanerfBench.runAsync(name, { quick: q }), { name: suite, quick });
        if (before > 0) {
            const MiB = 2 ** 20;
            result.rows.push({ metric: "peak browser memory (all Chromium processes, PSS)", value: `${(peak / MiB).toFixed(0)} MiB, ${((peak - before) / MiB).toFixed(0)} MiB above the ${(before / MiB).toFixed(0)} MiB before the suite` });
            result.data.browserMemory = { beforeBytes: before, peakBytes: peak };
        }
        return result;
    } finally {
        clearInterval(timer);
    }
}

async function main() {
    const options = parse(process.argv.slice(2));
    fs.mkdirSync(options.out, { recursive: true });
    if (!options.only || options.only.some((suite) => suitesOnBenchCaptures.includes(suite))) {
        ensureBenchCaptures();
    }
    const session = await openAppPage({
        page: "bench.html",
        readyGlobal: "sanerfBench",
        mounts: { "/shared/": path.resolve(root, "../shared/data"), "/bench-captures/": benchCaptureFolder },
    });
    const results = [];
    let failed = false;
    try {
        const suites = await session.page.evaluate(() => window.sanerfBench.suites);
        for (const suite of options.only ?? suites) {
            const result = await runMeasuredAsync(session, suite, options.quick);
            results.push(result);
            printTable(result);
        }
    } catch (error) {
        failed = true;
        console.error(`bench failed: ${String(error.message || error).split("\n")[0]}`);
    } finally {
        await session.close();
    }
    const file = path.join(options.out, "bench.json");
    fs.writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), quick: options.quick, results }, null, 2) + "\n");
    console.log(`\nwrote ${file}`);
    process.exit(failed ? 1 : 0);
}

main();

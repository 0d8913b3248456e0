// End-to-end: the pipeline CLI under faults. Every failure exits non-zero with one clear line, found
// before any training where it can be; outputs are never lost or mixed (one run per folder, a
// manifest, --overwrite / --resume); a killed run continues from its checkpoint; --field F --iters N
// continues training F.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { temporaryFolder } from "./temporaryFolder.mjs";
import { encodeGreyPng } from "./pngPixels.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cli = path.join(root, "tools/pipeline/cli.mjs");
const tabletop = path.join(root, "sample-scenes/captures/tabletop");

const run = (args) => spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: "utf8", timeout: 300000 });
/** A small, quick training run on the tabletop scene. */
const small = ["--capture", tabletop, "--size", "32", "--grid", "24", "--curve", ""];
const manifest = (out) => JSON.parse(fs.readFileSync(path.join(out, "run.json"), "utf8"));

/** Asserts a failed run: exit 1, and its stderr's last line is the one clear reason. */
function assertFailed(result, pattern) {
    assert.equal(result.status, 1, `exit ${result.status}\n${result.stderr}`);
    const lines = result.stderr.trim().split("\n");
    assert.match(lines[lines.length - 1], pattern);
}

test("an output folder that cannot be one is refused before any work", () => {
    const base = temporaryFolder("out");
    const file = path.join(base, "a-file");
    fs.writeFileSync(file, "x");
    assertFailed(run(["--capture", tabletop, "--out", file]), /^pipeline failed: --out .*a-file is a file, not a folder$/);
    assertFailed(run(["--capture", tabletop, "--out", path.join(file, "sub")]), /^pipeline failed: --out .*a-file\/sub: cannot write there \(ENOTDIR\)$/);
});

test("a folder holding a run is refused, --overwrite replaces the run (and only the run), outputs listed in run.json", () => {
    const out = temporaryFolder("rerun");
    const first = run(["--capture", tabletop, "--out", out, "--size", "32"]);
    assert.equal(first.status, 0, first.stderr);
    const described = manifest(out);
    assert.equal(described.status, "finished");
    assert.deepEqual([...described.files].sort(), ["contact-sheet.png", "report.json"]);
    // an earlier run's leftovers, and a file of the user's, in the folder
    fs.mkdirSync(path.join(out, "masks3d"));
    fs.writeFileSync(path.join(out, "masks3d/old.png"), "stale");
    fs.writeFileSync(path.join(out, "run.json"), JSON.stringify({ ...described, files: [...described.files, "masks3d/old.png"] }));
    fs.writeFileSync(path.join(out, "notes.txt"), "mine");
    assertFailed(run(["--capture", tabletop, "--out", out, "--size", "32"]), /^pipeline failed: --out .* already holds a run \(finished, started .*\): give --overwrite to replace it, --resume to continue its training, or another folder$/);
    assert.equal(fs.readFileSync(path.join(out, "masks3d/old.png"), "utf8"), "stale", "nothing is touched when refused");
    const again = run(["--capture", tabletop, "--out", out, "--size", "32", "--overwrite"]);
    assert.equal(again.status, 0, again.stderr);
    assert.ok(!fs.existsSync(path.join(out, "masks3d")), "the earlier run's files are gone");
    assert.equal(fs.readFileSync(path.join(out, "notes.txt"), "utf8"), "mine", "the user's file stays");
    assert.deepEqual([...manifest(out).files].sort(), ["contact-sheet.png", "report.json"]);
    // a folder with outputs of a run from before manifests (a file named render): refused too
    const legacy = temporaryFolder("legacy");
    fs.writeFileSync(path.join(legacy, "render"), "not a folder");
    assertFailed(run(["--capture", tabletop, "--out", legacy, "--size", "32"]), /already holds the outputs of an earlier run \(render\)/);
});

test("bad prompts, tiny images, too large a grid and masks of another shape fail before any training", () => {
    const out = temporaryFolder("early");
    const started = Date.now();
    assertFailed(run([...small, "--out", path.join(out, "a"), "--iters", "50", "--prompt", "view=99,x=10,y=10,label=1"]), /^pipeline failed: prompt view 99 does not exist \(the capture has frames 0\.\.47\)$/);
    assertFailed(run([...small, "--out", path.join(out, "b"), "--iters", "50", "--prompt", "view=0,x=500,y=10,label=1"]), /^pipeline failed: --prompt view=0,x=500,y=10: the click is outside the frame's 128x128 image$/);
    assertFailed(run(["--capture", tabletop, "--out", path.join(out, "c"), "--size", "8", "--iters", "50"]), /^pipeline failed: the images are 8 pixels on their short side after downscaling; .*use a larger --size$/);
    assertFailed(run([...small, "--out", path.join(out, "d"), "--iters", "50", "--grid", "1024"]), /^pipeline failed: a \d+x\d+x\d+ grid \(grid resolution 1024\) needs \d+ MiB in one buffer; this device allows \d+ MiB: lower the grid resolution$/);
    for (const folder of ["a", "b", "c", "d"]) {
        assert.ok(!fs.existsSync(path.join(out, folder, "field.bin")), `${folder}: no training happened`);
        assert.equal(manifest(path.join(out, folder)).status, "failed");
    }
    assert.ok(Date.now() - started < 240000);
    const masks = temporaryFolder("masks");
    fs.writeFileSync(path.join(masks, "frame_00001.png"), encodeGreyPng(10, 20, new Uint8Array(200).fill(255)));
    const field = temporaryFolder("maskfield");
    assert.equal(run([...small, "--out", field, "--iters", "30"]).status, 0);
    assertFailed(run([...small, "--out", path.join(out, "e"), "--field", path.join(field, "field.bin"), "--masks", masks]), /^pipeline failed: --masks: frame_00001\.png is 10x20, not the shape of its frame \(32x32 here\): masks must have their image's aspect ratio$/);
});

test("a killed run continues from its checkpoint with --resume; --field F --iters N continues training F", async () => {
    const out = temporaryFolder("resume");
    const args = [...small, "--out", out, "--iters", "240", "--checkpoint-every", "60"];
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let log = "";
    await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no checkpoint within 240 s:\n${log}`)), 240000);
        child.stderr.on("data", (chunk) => {
            log += chunk;
            if (/checkpoint at iteration 120 saved/.test(log)) {
                clearTimeout(timer);
                // killed as a crash or a power cut would: no cleanup runs
                process.kill(-child.pid, "SIGKILL");
                resolve();
            }
        });
    });
    await new Promise((resolve) => child.on("close", resolve));
    assert.equal(manifest(out).status, "running", "the manifest of a killed run says so");
    assert.ok(fs.existsSync(path.join(out, "checkpoint.bin")));
    assert.ok(!fs.existsSync(path.join(out, "field.bin")));
    assert.deepEqual(fs.readdirSync(out).filter((name) => name.endsWith(".part")), [], "no half-written file");
    assertFailed(run(args), /already holds a run \(running, started/);
    const resumed = run([...args, "--resume"]);
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.match(resumed.stderr, /train: continuing from iteration 1[28]0 up to 240/);
    const metrics = JSON.parse(fs.readFileSync(path.join(out, "metrics.json"), "utf8"));
    assert.equal(metrics.iterations, 240);
    assert.equal(manifest(out).status, "finished");
    assert.ok(!fs.existsSync(path.join(out, "checkpoint.bin")), "field.bin supersedes the checkpoint");
    // --field F --iters N: N is the total to reach
    const more = temporaryFolder("more");
    const continued = run([...small, "--out", more, "--field", path.join(out, "field.bin"), "--iters", "300"]);
    assert.equal(continued.status, 0, continued.stderr);
    assert.match(continued.stderr, /train: continuing from iteration 240 up to 300/);
    assert.equal(JSON.parse(fs.readFileSync(path.join(more, "metrics.json"), "utf8")).iterations, 300);
    assertFailed(run([...small, "--out", temporaryFolder("fewer"), "--field", path.join(out, "field.bin"), "--iters", "200"]), /has 240 iterations already; ask for more than that \(200 asked\)$/);
    assertFailed(run([...small, "--out", temporaryFolder("nothing"), "--iters", "200", "--resume"]), /--resume: .* holds no run to continue/);
});

// End-to-end: the pipeline CLI on the real mic capture, and its refusal of bad arguments.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const mic = path.resolve(root, "../shared/data/nerf_synthetic_mic");

function runPipeline(args) {
    return spawnSync(process.execPath, [path.join(root, "tools/pipeline.mjs"), ...args], { cwd: root, encoding: "utf8", timeout: 300000 });
}

test("pipeline on nerf_synthetic_mic writes a report with 100 frames, 13 holdout, and a contact sheet", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "sanerf-mic-"));
    const result = runPipeline(["--capture", mic, "--out", out, "--size", "64"]);
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(fs.readFileSync(path.join(out, "report.json"), "utf8"));
    assert.equal(report.capture.frames, 100);
    assert.equal(report.capture.holdout.length, 13);
    assert.deepEqual(report.capture.holdout.slice(0, 3), [0, 8, 16]);
    assert.equal(report.capture.format, "blender");
    assert.equal(report.capture.width, 64);
    assert.equal(report.capture.sourceWidth, 800);
    const sheet = fs.readFileSync(path.join(out, "contact-sheet.png"));
    assert.equal(sheet.subarray(1, 4).toString(), "PNG");
    assert.ok(sheet.length > 20000, `contact sheet of ${sheet.length} bytes`);
});

test("pipeline refuses bad arguments with usage and a non-zero exit", () => {
    for (const args of [[], ["--capture", mic], ["--out", "/tmp/x"], ["--capture", "/no/such/folder", "--out", "/tmp/x"], ["--capture", mic, "--out", "/tmp/x", "--size", "big"], ["--capture", mic, "--out", "/tmp/x", "--frobnicate", "1"]]) {
        const result = runPipeline(args);
        assert.equal(result.status, 2, `args ${args.join(" ")}`);
        assert.match(result.stderr, /error: .*\n\nusage: npm run pipeline/);
    }
});

test("pipeline reports a broken capture clearly and exits 1", () => {
    const capture = fs.mkdtempSync(path.join(os.tmpdir(), "sanerf-broken-"));
    fs.writeFileSync(path.join(capture, "transforms.json"), '{ "fl_x": 100, "frames": [ }');
    const result = runPipeline(["--capture", capture, "--out", path.join(capture, "out")]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /pipeline failed: transforms\.json: JSON syntax error at line 1, column 28/);
});

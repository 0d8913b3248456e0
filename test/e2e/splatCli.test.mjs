// End-to-end: the pipeline CLI on Gaussian-splat files (--splat): the sample scene's labelled
// splats segmented from a click in a capture view and from a 3-D point with cameras placed around
// the content, objects exported as PLY records copied unchanged and as meshes, and bad files named.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { temporaryFolder } from "./temporaryFolder.mjs";
import { decodePng } from "./pngPixels.mjs";
import { inspectGlb } from "./glbChecks.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const tabletop = path.join(root, "sample-scenes/captures/tabletop");
const splats = path.join(tabletop, "splats.ply");

function runPipeline(args) {
    return spawnSync(process.execPath, [path.join(root, "tools/pipeline/cli.mjs"), ...args], { cwd: root, encoding: "utf8", timeout: 400000 });
}

/** A PLY's header text, vertex count and record stride (binary little endian, scalar properties). */
function readPly(file) {
    const bytes = fs.readFileSync(file);
    const end = bytes.indexOf("end_header\n") + "end_header\n".length;
    const header = bytes.subarray(0, end).toString("latin1");
    const sizes = { float: 4, uchar: 1 };
    const stride = header.split("\n").filter((line) => line.startsWith("property ")).reduce((sum, line) => sum + sizes[line.split(" ")[1]], 0);
    return { header, count: Number(/element vertex (\d+)/.exec(header)[1]), stride, records: bytes.subarray(end) };
}

test("pipeline segments a splat file from a click in a capture view: every splat labelled, the object exported as PLY records copied unchanged, as SPZ and as a mesh", async () => {
    const out = temporaryFolder("splat");
    // the pixel of the red sphere (object 1) nearest its centroid in frame 1
    const labels = decodePng(fs.readFileSync(path.join(tabletop, "labels/frame_00001.png")));
    let sx = 0;
    let sy = 0;
    let n = 0;
    for (let p = 0; p < labels.width * labels.height; p++) {
        if (labels.pixels[p * labels.channels] === 1) {
            sx += p % labels.width;
            sy += Math.floor(p / labels.width);
            n++;
        }
    }
    assert.ok(n > 20, "the sphere is in frame 1");
    const result = runPipeline(["--splat", splats, "--capture", tabletop, "--out", out, "--prompt", `view=1,x=${(sx / n + 0.5).toFixed(1)},y=${(sy / n + 0.5).toFixed(1)},label=1`, "--export"]);
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(fs.readFileSync(path.join(out, "splats.json"), "utf8"));
    assert.equal(report.cameras, "capture");
    assert.equal(report.views, 48);
    const source = readPly(splats);
    assert.equal(report.splats, source.count);
    assert.equal(fs.statSync(path.join(out, "splat-labels.bin")).size, source.count);
    const [object] = report.objects;
    assert.equal(object.truthObject, 1, "the splats labelled are mostly the red sphere's");
    assert.ok(object.truthIou > 0.5, `IoU ${object.truthIou} against the true sphere`);
    const written = readPly(path.join(out, "object-1.ply"));
    assert.equal(written.count, object.splats);
    assert.equal(written.stride, source.stride);
    const originals = new Set();
    for (let i = 0; i < source.count; i++) {
        originals.add(source.records.subarray(i * source.stride, (i + 1) * source.stride).toString("hex"));
    }
    for (let i = 0; i < written.count; i++) {
        assert.ok(originals.has(written.records.subarray(i * written.stride, (i + 1) * written.stride).toString("hex")), `record ${i} of object-1.ply is one of the source's, unchanged`);
    }
    const spz = fs.readFileSync(path.join(out, "object-1.spz"));
    assert.deepEqual([...spz.subarray(0, 2)], [0x1f, 0x8b], "SPZ is gzip");
    const glb = await inspectGlb(fs.readFileSync(path.join(out, "object-1.glb")));
    assert.equal(glb.errors, 0, glb.messages.join("; "));
    assert.deepEqual(glb.attributes, ["COLOR_0", "NORMAL", "POSITION"]);
    assert.equal(glb.triangles, object.meshTriangles);
    assert.ok(object.meshChamferPercent < 5, `the mesh's Chamfer distance to the true sphere: ${object.meshChamferPercent}% of its diagonal`);
    assert.deepEqual(report.exported, ["object-1.ply", "object-1.spz", "object-1.glb"]);
    const sheet = decodePng(fs.readFileSync(path.join(out, "views.png")));
    assert.ok(sheet.width >= 1024, "views.png shows the views");
});

test("pipeline segments a splat file from a 3-D point with cameras placed around the content", () => {
    const out = temporaryFolder("splat-auto");
    // the top of the green cylinder
    const result = runPipeline(["--splat", splats, "--out", out, "--prompt", "point=0.7247,0.5001,0.2803,label=1"]);
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(fs.readFileSync(path.join(out, "report.json"), "utf8")).splats;
    assert.equal(report.cameras, "auto");
    assert.equal(report.views, 24);
    const labels = fs.readFileSync(path.join(out, "splat-labels.bin"));
    assert.equal(labels.length, report.splats);
    assert.equal(labels.filter((label) => label === 1).length, report.objects[0].splats);
    assert.ok(report.objects[0].splats > 100);
    assert.equal(fs.readdirSync(path.join(out, "masks2d")).length, 24);
    assert.match(result.stdout, /splats splats\.ply \(ply\): \d+ splats, 24 views \(placed around the content\)/);
});

test("pipeline names a bad splat file, and refuses a splat run without prompts", () => {
    const dir = temporaryFolder("splat-bad");
    fs.writeFileSync(path.join(dir, "notes.ply"), "these are not splats");
    const bad = runPipeline(["--splat", path.join(dir, "notes.ply"), "--out", path.join(dir, "a"), "--prompt", "point=0,0,0,label=1"]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /pipeline failed: notes\.ply: not a PLY file|pipeline failed: notes\.ply: not a splat file/);
    const truncated = fs.readFileSync(splats).subarray(0, 5000);
    fs.writeFileSync(path.join(dir, "cut.ply"), truncated);
    const cut = runPipeline(["--splat", path.join(dir, "cut.ply"), "--out", path.join(dir, "b"), "--prompt", "point=0,0,0,label=1"]);
    assert.equal(cut.status, 1);
    assert.match(cut.stderr, /pipeline failed: cut\.ply: PLY body is truncated/);
    const none = runPipeline(["--splat", splats, "--out", path.join(dir, "c")]);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /--splat needs prompts/);
    const missing = runPipeline(["--splat", path.join(dir, "nothing.ply"), "--out", path.join(dir, "d")]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /--splat .*nothing\.ply: no such file/);
});

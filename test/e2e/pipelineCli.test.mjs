// End-to-end: the pipeline CLI on the real mic capture and the sample scenes, its refusal of bad
// arguments, and the proof that the editor's workspace runs the same pipeline.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { temporaryFolder } from "./temporaryFolder.mjs";
import { startStaticServer } from "../../tools/appHost/staticServer.mjs";
import { launchChromium, blockExternalRequests } from "../../tools/appHost/browser.mjs";
import { decodePng } from "./pngPixels.mjs";
import { inspectGlb } from "./glbChecks.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const mic = path.resolve(root, "../shared/data/nerf_synthetic_mic");

function runPipeline(args) {
    return spawnSync(process.execPath, [path.join(root, "tools/pipeline/cli.mjs"), ...args], { cwd: root, encoding: "utf8", timeout: 300000 });
}

test("pipeline on nerf_synthetic_mic writes a report with 100 frames, 13 holdout, and a contact sheet", () => {
    const out = temporaryFolder("mic");
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
    const capture = temporaryFolder("broken");
    fs.writeFileSync(path.join(capture, "transforms.json"), '{ "fl_x": 100, "frames": [ }');
    const result = runPipeline(["--capture", capture, "--out", path.join(capture, "out")]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /pipeline failed: transforms\.json: JSON syntax error at line 1, column 28/);
});

/** The tabletop run's output folder (its field.bin is reused by the fusion test after it). */
let tabletopOut;

test("pipeline segments the tabletop from one click and fuses the masks: lifted through a trained field, 2-D and fused masks for every frame, scored against the labels", () => {
    const out = temporaryFolder("prompt");
    tabletopOut = out;
    const tabletop = path.join(root, "sample-scenes/captures/tabletop");
    const result = spawnSync(process.execPath, [path.join(root, "tools/pipeline/cli.mjs"), "--capture", tabletop, "--out", out, "--size", "128", "--iters", "300", "--grid", "48", "--curve", "", "--prompt", "view=0,x=40,y=73,label=1", "--fuse-iters", "200", "--export"], { cwd: root, encoding: "utf8", timeout: 600000 });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /segmented 1 object\(s\) with built-in affinity segmenter .*not SAM/);
    const scores = JSON.parse(fs.readFileSync(path.join(out, "masks2d/scores.json"), "utf8"));
    const object = scores.objects[0];
    assert.equal(object.views.length, 48);
    assert.equal(object.truthObject, 2, "the click at (40, 73) of frame 0 is on object 2");
    assert.ok(object.validViews >= 12, `${object.validViews} valid views`);
    assert.ok(object.meanTruthIou > 0.6, `mean IoU ${object.meanTruthIou} against the labels`);
    assert.equal(scores.decoderRuns, object.validViews, "one decode per valid view");
    assert.equal(scores.encoderRuns, object.validViews, "one encoder run per decoded view");
    const masks = fs.readdirSync(path.join(out, "masks2d")).filter((name) => name.endsWith(".png"));
    assert.equal(masks.length, 48);
    assert.equal(fs.readFileSync(path.join(out, "masks2d", masks[0])).subarray(1, 4).toString(), "PNG");
    // fusion of those masks on the non-holdout frames, rendered into every frame
    const fusion = JSON.parse(fs.readFileSync(path.join(out, "fusion.json"), "utf8"));
    assert.equal(fusion.objects, 1);
    assert.equal(fusion.iterations, 200);
    assert.equal(fusion.holdout[0].truthObject, 2);
    assert.ok(fusion.holdout[0].iou > 0.6, `fused holdout IoU ${fusion.holdout[0].iou}`);
    assert.equal(fs.readdirSync(path.join(out, "masks3d")).filter((name) => name.endsWith(".png")).length, 48);
    assert.equal(fs.readFileSync(path.join(out, "objectfield.bin")).subarray(0, 4).toString(), "SOBJ");
    assert.match(result.stdout, /fused 1 object\(s\) from built-in affinity segmenter/);
});

test("one pipeline: the editor's workspace, given the CLI's capture, click, seed and settings, gives the same 2-D masks, field, fused object field and mesh", async () => {
    assert.ok(tabletopOut, "runs after the tabletop CLI test, on its outputs");
    const server = await startStaticServer({ mounts: { "/": path.join(root, "dist/app"), "/cli/": tabletopOut } });
    const browser = await launchChromium();
    try {
        const context = await browser.newContext({ viewport: { width: 1024, height: 700 } });
        const external = await blockExternalRequests(context);
        const page = await context.newPage();
        const errors = [];
        page.on("pageerror", (error) => errors.push(error.message));
        // the demo editor, its render loop off (the workspace is driven through its API), with the
        // CLI run's settings as the host's pipeline overrides
        await page.goto(`${server.url}/index.html?render=off&size=128&iterations=300&grid=48&fuseIterations=200`);
        await page.waitForFunction(() => window.sanerfDemo?.ready === true, null, { timeout: 120000 });
        const run = await page.evaluate(async () => {
            const { plugin, api } = window.sanerfDemo;
            const workspace = plugin.workspace;
            const check = (value, what) => {
                if (!value) {
                    throw new Error(`${what} failed: ${workspace.error}`);
                }
                return value;
            };
            check(await workspace.loadCaptureAsync(new api.UrlCaptureSource("captures/tabletop/", "tabletop")), "loading the capture");
            check(await workspace.trainAsync(), "training");
            // (read now: a scene object cut from the node later leaves the node showing the capture without it)
            const trainedBytes = await api.WriteRadianceFieldAsync(workspace.nerfNode.field);
            const tool = check(await workspace.openPromptToolAsync(), "opening the prompt tool");
            tool.snapToFrame(0);
            await tool.session.addClickAtAsync(40, 73, 1);
            check(await workspace.propagateAsync(), "propagation");
            const fused = check(await workspace.fuseActiveObjectAsync(), "fusion");
            const asset = check(await workspace.makeSceneObjectAsync(), "making the scene object");
            // the CLI's files, read back with the plugin's readers; the workspace's through the same writers (f16 storage)
            const read = async (url, reader) => reader(await (await fetch(url)).arrayBuffer(), url);
            const cliField = await read("/cli/field.bin", api.ReadRadianceFieldAsync);
            const ownField = await api.ReadRadianceFieldAsync(trainedBytes.buffer, "workspace field");
            const cliObjects = await read("/cli/objectfield.bin", api.ReadObjectFieldAsync);
            const ownObjects = await api.ReadObjectFieldAsync((await api.WriteObjectFieldAsync(fused.field)).buffer, "workspace object field");
            const same = (a, b) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
            return {
                masks: tool.session.activeObject.frames.map((frame) => (frame.mask ? Array.from(frame.mask) : null)),
                fusedMasks: fused.frameMasks.map((mask) => Array.from(mask.labels)),
                sameField: same(cliField.density, ownField.density) && same(cliField.sh, ownField.sh) && same(cliField.occupancy, ownField.occupancy),
                sameObjectField: same(cliObjects.logits, ownObjects.logits) && JSON.stringify(cliObjects.grid) === JSON.stringify(ownObjects.grid),
                fusedIterations: fused.field.metadata.iterations,
                triangles: asset.extraction.triangles,
            };
        });
        assert.ok(run.sameField, "the trained fields are identical (same capture, seed and settings: deterministic training)");
        const frameNames = fs.readdirSync(path.join(tabletopOut, "masks2d")).filter((name) => name.endsWith(".png")).sort();
        assert.equal(frameNames.length, run.masks.length);
        frameNames.forEach((name, index) => {
            const cli = decodePng(fs.readFileSync(path.join(tabletopOut, "masks2d", name))).pixels;
            const own = run.masks[index] ?? new Array(cli.length).fill(0);
            assert.deepEqual(Array.from(cli), own, `2-D mask of ${name}`);
            const fused = decodePng(fs.readFileSync(path.join(tabletopOut, "masks3d", name))).pixels;
            assert.deepEqual(Array.from(fused), run.fusedMasks[index].map((label) => (label ? 255 : 0)), `fused mask of ${name}`);
        });
        assert.equal(run.fusedIterations, 200);
        assert.ok(run.sameObjectField, "the fused object fields are identical");
        const exported = JSON.parse(fs.readFileSync(path.join(tabletopOut, "export.json"), "utf8"));
        assert.equal(run.triangles, exported.objects[0].triangles, "the same mesh triangle count");
        assert.deepEqual(external, []);
        assert.deepEqual(errors, []);
    } finally {
        await browser.close();
        await server.close();
    }
});

test("pipeline fuses the capture's ground truth under the noise model (all objects at once, a saved field), beats the noisy masks on the holdout views, and exports every object as a valid, unlit GLB", async () => {
    const out = temporaryFolder("fuse");
    const tabletop = path.join(root, "sample-scenes/captures/tabletop");
    const field = path.join(tabletopOut, "field.bin");
    const result = spawnSync(process.execPath, [path.join(root, "tools/pipeline/cli.mjs"), "--capture", tabletop, "--out", out, "--size", "128", "--field", field, "--masks", "truth", "--noise", "3", "--fuse-iters", "300", "--export", "--export-res", "64", "--export-splats"], { cwd: root, encoding: "utf8", timeout: 600000 });
    assert.equal(result.status, 0, result.stderr);
    const fusion = JSON.parse(fs.readFileSync(path.join(out, "fusion.json"), "utf8"));
    assert.equal(fusion.objects, 6);
    assert.equal(fusion.noise.seed, 3);
    assert.equal(fusion.holdout.length, 6);
    assert.ok(fusion.meanIou > fusion.meanInputIou, `fused mIoU ${fusion.meanIou} vs noisy input ${fusion.meanInputIou}`);
    for (const object of fusion.holdout) {
        assert.ok(object.accuracy > 0.97, `object ${object.id}: accuracy ${object.accuracy}`);
        assert.ok(object.boundaryF >= 0 && object.boundaryF <= 1);
    }
    // --export: every object as a GLB, with its Chamfer distance to the scene's true mesh
    const exported = JSON.parse(fs.readFileSync(path.join(out, "export.json"), "utf8"));
    assert.equal(exported.objects.length, 6);
    for (const object of exported.objects) {
        const glb = fs.readFileSync(path.join(out, object.file));
        assert.equal(glb.subarray(0, 4).toString(), "glTF");
        assert.ok(object.triangles > 20, `${object.file}: ${object.triangles} triangles`);
        assert.ok(object.chamferPercent > 0 && object.chamferPercent < 20, `${object.file}: Chamfer ${object.chamferPercent}%`);
        assert.ok(object.surfaceOpacity > 0 && object.surfaceOpacity <= 0.3 + 1e-9, `${object.file}: surface level ${object.surfaceOpacity}`);
        // read by tools that are not Babylon: the Khronos validator and glTF-Transform
        const seen = await inspectGlb(glb);
        assert.equal(seen.errors, 0, `${object.file}: ${seen.messages.join("; ")}`);
        assert.equal(seen.warnings, 0, `${object.file}: ${seen.messages.join("; ")}`);
        assert.deepEqual(seen.attributes, ["COLOR_0", "NORMAL", "POSITION"]);
        assert.equal(seen.triangles, object.triangles);
        assert.deepEqual(seen.extensions, ["KHR_materials_unlit"], "unlit: the field's colours hold the capture's light");
        assert.deepEqual(seen.emissive, [0, 0, 0], "no emissive wash");
    }
    assert.match(result.stdout, /exported object-1\.glb/);
    // --export-splats: the whole field as splats; --export: every object as splats too (.ply, .spz)
    const report = JSON.parse(fs.readFileSync(path.join(out, "report.json"), "utf8"));
    const scene = readStandardPly(fs.readFileSync(path.join(out, "scene.ply")));
    assert.equal(scene.count, report.sceneSplats.splats);
    assert.ok(scene.count > 1000, `scene.ply: ${scene.count} splats`);
    for (const object of exported.objects) {
        assert.deepEqual(object.splatFiles, [`object-${object.id}.ply`, `object-${object.id}.spz`]);
        const ply = readStandardPly(fs.readFileSync(path.join(out, object.splatFiles[0])));
        assert.equal(ply.count, object.splats);
        assert.ok(ply.count > 0 && ply.count < scene.count, `${object.splatFiles[0]}: ${ply.count} splats of the scene's ${scene.count}`);
        const spz = fs.readFileSync(path.join(out, object.splatFiles[1]));
        assert.deepEqual([...spz.subarray(0, 2)], [0x1f, 0x8b], `${object.splatFiles[1]} is gzip-compressed SPZ`);
    }
    assert.match(result.stdout, /exported scene\.ply: \d+ splats/);
});

/**
 * Reads a binary little-endian 3DGS PLY's header: its vertex count and properties, checked
 * against the file's length (floats only, as WriteCloudAsPly writes them).
 * @param bytes the file
 * @returns the vertex count and the first vertex's position
 */
function readStandardPly(bytes) {
    const end = bytes.indexOf("end_header\n");
    assert.ok(end > 0, "a PLY header");
    const lines = bytes.subarray(0, end).toString("latin1").split("\n");
    assert.equal(lines[0], "ply");
    assert.ok(lines.includes("format binary_little_endian 1.0"), lines.join(" | "));
    const count = Number(/^element vertex (\d+)$/m.exec(lines.join("\n"))?.[1]);
    const properties = lines.filter((line) => line.startsWith("property ")).map((line) => line.split(" "));
    assert.ok(properties.every(([, type]) => type === "float"), "float properties");
    const names = properties.map(([, , name]) => name);
    for (const name of ["x", "y", "z", "f_dc_0", "f_dc_1", "f_dc_2", "opacity", "scale_0", "scale_1", "scale_2", "rot_0", "rot_1", "rot_2", "rot_3"]) {
        assert.ok(names.includes(name), `property ${name}`);
    }
    const headerBytes = end + "end_header\n".length;
    assert.equal(bytes.length, headerBytes + count * names.length * 4, "the records fill the file");
    const first = [0, 1, 2].map((k) => bytes.readFloatLE(headerBytes + names.indexOf(["x", "y", "z"][k]) * 4));
    assert.ok(first.every(Number.isFinite), `first splat at ${first}`);
    return { count, first };
}

test("pipeline refuses prompts without a field, malformed prompt specs and bad mask options", () => {
    const tabletop = path.join(root, "sample-scenes/captures/tabletop");
    const bad = runPipeline(["--capture", tabletop, "--out", "/tmp/x", "--prompt", "view=0,x=1"]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--prompt "view=0,x=1": expected view=V,x=X,y=Y,label=L/);
    const out = temporaryFolder("nofield");
    const noField = runPipeline(["--capture", tabletop, "--out", out, "--size", "64", "--prompt", "view=0,x=40,y=73,label=1"]);
    assert.equal(noField.status, 1);
    assert.match(noField.stderr, /prompts need a radiance field: train one \(--iters N\) or give one \(--field FILE\)/);
    const noFieldSplats = runPipeline(["--capture", tabletop, "--out", temporaryFolder("nofield"), "--size", "64", "--export-splats"]);
    assert.equal(noFieldSplats.status, 1);
    assert.match(noFieldSplats.stderr, /--export-splats writes the radiance field as splats: train one \(--iters N\) or give one \(--field FILE\)/);
    const noFolder = runPipeline(["--capture", tabletop, "--out", "/tmp/x", "--masks", "/no/such/masks"]);
    assert.equal(noFolder.status, 2);
    assert.match(noFolder.stderr, /--masks \/no\/such\/masks: not a folder/);
    const both = runPipeline(["--capture", tabletop, "--out", "/tmp/x", "--masks", "truth", "--prompt", "view=0,x=40,y=73,label=1"]);
    assert.equal(both.status, 2);
    assert.match(both.stderr, /--masks and --prompt\/--box exclude each other/);
});

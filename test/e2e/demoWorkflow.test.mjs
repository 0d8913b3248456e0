// End-to-end: in the demo editor, load the tabletop sample from the SANeRF-HQ pane, train a small
// field, see it as a NerfNode in the scene explorer with its own properties, pick it in the
// viewport, then click an object with the SAM prompt tool and propagate it to every view — with
// every request staying on 127.0.0.1.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { blockExternalRequests } from "../../tools/appHost/browser.mjs";
import { useDemoHost } from "./demoHost.mjs";

const host = useDemoHost();

test("demo: load a sample capture, train, segment an object with the prompt tool, fuse it, make it a scene object, drag it into the scene, export GLB; inspect and pick", async () => {
    const context = await host.browser.newContext({ viewport: { width: 1280, height: 760 } });
    const external = await blockExternalRequests(context);
    const page = await context.newPage();
    const errors = [];
    const started = Date.now();
    // progress in the TAP output, so a slow or stuck step shows where it was in CI's log
    let current = "start";
    const step = (name) => {
        current = name;
        console.log(`${((Date.now() - started) / 1000).toFixed(0)} s: ${name}`);
    };
    page.on("pageerror", (error) => errors.push(`${current}: ${error.stack ?? error.message}`));
    // rendered at half the canvas' resolution: a software GPU ray-marches every frame on the CPU
    await page.goto(`${host.server.url}/index.html?iterations=150&grid=32&fuseIterations=40&fuseDevice=cpu&scale=2`);
    await page.waitForFunction(() => window.sanerfDemo?.ready === true, null, { timeout: 120000 });
    step("load the tabletop sample");
    await page.getByRole("button", { name: "Sample: tabletop" }).click();
    await page.getByText(/^48 \(6 holdout\) at 128x128$/).waitFor({ timeout: 60000 });
    step("train");
    await page.getByRole("button", { name: "Train", exact: true }).click();
    await page.getByTestId("training-curve").waitFor({ timeout: 120000 });
    await page.waitForFunction(() => window.sanerfDemo.plugin.workspace.trainer?.status === "finished" && window.sanerfDemo.plugin.workspace.task === null, null, { timeout: 300000 });
    const state = await page.evaluate(() => {
        const node = window.sanerfDemo.plugin.workspace.nerfNode;
        return { name: node?.name, className: node?.getClassName(), iterations: node?.field?.metadata.iterations, grid: node?.field?.params.gridSize };
    });
    assert.equal(state.className, "NerfNode");
    assert.equal(state.iterations, 150);
    assert.equal(state.grid[0], 32);

    // The SAM prompt tool: snap to frame 0, click object 2 there, see the live mask, undo/redo,
    // propagate to all views (Enter) and get a mask per frame in the strip.
    step("prompt tool: click an object");
    await page.getByRole("button", { name: "Open prompt tool" }).click();
    await page.getByTestId("sanerf-frame-strip").waitFor({ timeout: 60000 });
    await page.getByRole("img", { name: "frame 0", exact: true }).click();
    const canvas = page.locator("#renderCanvas");
    const box = await canvas.boundingBox();
    // The frame camera shows the 128 x 128 frame stretched over the canvas.
    await canvas.click({ position: { x: (box.width * 40.5) / 128, y: (box.height * 73.5) / 128 } });
    await page.getByText(/^predicted IoU \d/).waitFor({ timeout: 120000 });
    const live = await page.evaluate(() => {
        const session = window.sanerfDemo.plugin.workspace.promptTool.session;
        const mask = session.liveMask.result.mask;
        return { clicks: session.activeObject.clicks.length, lifted: session.activeObject.clicks[0].position !== null, covered: mask.reduce((n, v) => n + (v > 127 ? 1 : 0), 0) };
    });
    assert.equal(live.clicks, 1);
    assert.ok(live.lifted, "the click is lifted to the field's surface");
    assert.ok(live.covered > 100 && live.covered < 4000, `live mask of ${live.covered} px`);
    await page.keyboard.press("Control+z");
    assert.equal(await page.evaluate(() => window.sanerfDemo.plugin.workspace.promptTool.session.activeObject.clicks.length), 0);
    await page.keyboard.press("Control+y");
    assert.equal(await page.evaluate(() => window.sanerfDemo.plugin.workspace.promptTool.session.activeObject.clicks.length), 1);
    step("propagate");
    await page.keyboard.press("Enter");
    await page.getByText(/^\d+ of 48 views valid$/).waitFor({ timeout: 300000 });
    const propagated = await page.evaluate(() => {
        const session = window.sanerfDemo.plugin.workspace.promptTool.session;
        const frames = session.activeObject.frames;
        return { frames: frames.length, valid: frames.filter((f) => f.valid).length, masks: frames.filter((f) => f.mask).length, report: session.lastReport };
    });
    assert.equal(propagated.frames, 48);
    assert.ok(propagated.valid >= 8, `${propagated.valid} valid views`);
    assert.equal(propagated.masks, propagated.valid);
    assert.equal(propagated.report.decoderCalls, propagated.valid, "one decode per valid view");

    // Fuse the masks into a 3-D object field (F), make it a scene object (NerfObjectNode + mesh),
    // drag it from the asset strip onto the viewport, export it as GLB.
    step("fuse");
    await page.keyboard.press("f");
    await page.getByText(/^fused object rendered in all 48 views$/).waitFor({ timeout: 300000 });
    step("make a scene object");
    await page.getByRole("button", { name: "Make scene object" }).click({ timeout: 120000 });
    await page.getByTestId("sanerf-asset-1").waitFor({ timeout: 300000 });
    await page.waitForFunction(() => window.sanerfDemo.plugin.workspace.objects.assets[0]?.mesh !== null && window.sanerfDemo.plugin.workspace.task === null, null, { timeout: 300000 });
    const made = await page.evaluate(() => {
        const { scene, plugin } = window.sanerfDemo;
        const asset = plugin.workspace.objects.assets[0];
        return { objectNodes: scene.meshes.filter((m) => m.getClassName() === "NerfObjectNode").length, triangles: asset.extraction.triangles, hasThumbnail: asset.thumbnail !== null };
    });
    assert.equal(made.objectNodes, 1);
    assert.ok(made.triangles > 50, `${made.triangles} triangles`);
    assert.ok(made.hasThumbnail);
    // close the tool (back to the free camera, where the fields cover less of the canvas: faster
    // frames on a software GPU), then drag the asset onto the viewport
    await page.evaluate(() => document.getElementById("renderCanvas").focus());
    await page.keyboard.press("Escape");
    assert.equal(await page.evaluate(() => window.sanerfDemo.plugin.workspace.promptTool), null, "Esc closes the tool");
    // the Inspector's panes lie over the canvas' sides: drop on a point where the canvas itself is on top
    const dropAt = await page.evaluate(() => {
        const canvasElement = document.getElementById("renderCanvas");
        const rect = canvasElement.getBoundingClientRect();
        for (const fy of [0.7, 0.6, 0.8, 0.5]) {
            for (const fx of [0.5, 0.45, 0.55, 0.4, 0.6]) {
                const x = rect.width * fx;
                const y = rect.height * fy;
                if (document.elementFromPoint(rect.left + x, rect.top + y) === canvasElement) {
                    return { x, y };
                }
            }
        }
        return null;
    });
    assert.ok(dropAt, "a point of the viewport not covered by the Inspector");
    step("drag the asset onto the viewport");
    await page.getByRole("img", { name: /^asset / }).dragTo(canvas, { targetPosition: dropAt, timeout: 120000 });
    await page.waitForFunction(() => window.sanerfDemo.plugin.workspace.objects.assets[0].placed.length === 1, null, { timeout: 60000 });
    const placed = await page.evaluate(() => {
        const copy = window.sanerfDemo.plugin.workspace.objects.assets[0].placed[0];
        return { name: copy.name, enabled: copy.isEnabled(), triangles: copy.getTotalIndices() / 3 };
    });
    assert.ok(placed.enabled, "the placed copy is in the scene");
    assert.equal(placed.triangles, made.triangles);
    step("export GLB");
    const downloadPromise = page.waitForEvent("download", { timeout: 60000 });
    await page.getByRole("button", { name: "Export GLB" }).click({ timeout: 120000 });
    const download = await downloadPromise;
    const glb = fs.readFileSync(await download.path());
    assert.equal(glb.subarray(0, 4).toString(), "glTF");
    assert.match(download.suggestedFilename(), /\.glb$/);

    // The node is in the scene explorer; selecting it shows its NeRF properties.
    step("scene explorer and picking");
    await page.getByPlaceholder("Filter").first().fill("tabletop field");
    await page.getByText("tabletop field", { exact: true }).first().click();
    await page.getByTestId("nerf-node-properties").waitFor({ timeout: 30000 });
    assert.match(await page.getByTestId("nerf-node-properties").innerText(), /Grid\s*32 x/);

    // Picking through the viewport returns the node (a click at the projection of the table's centre).
    const picked = await page.evaluate(() => {
        const { scene, plugin } = window.sanerfDemo;
        const node = plugin.workspace.nerfNode;
        const camera = scene.activeCamera;
        camera.setTarget?.(node.getBoundingInfo().boundingBox.centerWorld);
        scene.render();
        const engine = scene.getEngine();
        const centre = node.getBoundingInfo().boundingBox.centerWorld;
        const transform = scene.getTransformMatrix();
        const viewport = camera.viewport.toGlobal(engine.getRenderWidth(), engine.getRenderHeight());
        const projected = centre.constructor.Project(centre, node.getWorldMatrix().clone().invert().multiply(node.getWorldMatrix()), transform, viewport);
        // render pixels to the CSS pixels picking takes
        const level = engine.getHardwareScalingLevel();
        const info = scene.pick(projected.x * level, projected.y * level);
        return { hit: info.hit, mesh: info.pickedMesh?.name };
    });
    assert.deepEqual(picked, { hit: true, mesh: "tabletop field" });

    assert.deepEqual(external, [], `requests left 127.0.0.1: ${external.join(", ")}`);
    assert.deepEqual(errors, []);
    await context.close();
});

// End-to-end: in the demo editor, load the tabletop sample from the SANeRF-HQ pane, train a small
// field, see it as a NerfNode in the scene explorer with its own properties, and pick it in the
// viewport — with every request staying on 127.0.0.1.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startStaticServer } from "../../tools/staticServer.mjs";
import { launchChromium, blockExternalRequests } from "../../tools/browser.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
let server;
let browser;

before(async () => {
    server = await startStaticServer({ mounts: { "/": path.join(root, "dist/app") } });
    browser = await launchChromium();
});

after(async () => {
    await browser?.close();
    await server?.close();
});

test("demo: load a sample capture, train, inspect and pick the NerfNode", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
    const external = await blockExternalRequests(context);
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${server.url}/index.html?iterations=150&grid=32`);
    await page.waitForFunction(() => window.sanerfDemo?.ready === true, null, { timeout: 120000 });
    await page.getByRole("button", { name: "Sample: tabletop" }).click();
    await page.getByText(/^48 \(6 holdout\) at 128x128$/).waitFor({ timeout: 60000 });
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

    // The node is in the scene explorer; selecting it shows its NeRF properties.
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
        const info = scene.pick(projected.x, projected.y);
        return { hit: info.hit, mesh: info.pickedMesh?.name };
    });
    assert.deepEqual(picked, { hit: true, mesh: "tabletop field" });
    assert.deepEqual(external, [], `requests left 127.0.0.1: ${external.join(", ")}`);
    assert.deepEqual(errors, []);
    await context.close();
});

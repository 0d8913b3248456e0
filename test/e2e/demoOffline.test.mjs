// End-to-end: the built demo loads in Debian's Chromium with the Inspector open and the plugin
// registered, and no request leaves 127.0.0.1 while it loads (onnxruntime-web's wasm included) or
// imports a GLB.
import { test } from "node:test";
import assert from "node:assert/strict";
import { blockExternalRequests } from "../../tools/appHost/browser.mjs";
import { useDemoHost } from "./demoHost.mjs";

const host = useDemoHost();

for (const engine of ["webgpu", "webgl"]) {
    test(`demo (${engine}) loads with the Inspector and the SANeRF-HQ pane, all requests to 127.0.0.1`, async () => {
        const context = await host.browser.newContext();
        const external = await blockExternalRequests(context);
        const requested = [];
        context.on("request", (request) => requested.push(request.url()));
        const page = await context.newPage();
        const errors = [];
        page.on("pageerror", (error) => errors.push(error.message));
        await page.goto(`${host.server.url}/index.html${engine === "webgl" ? "?engine=webgl" : ""}`);
        await page.waitForFunction(() => window.sanerfDemo?.ready === true, null, { timeout: 120000 });
        await page.getByTestId("sanerf-pane").waitFor({ timeout: 60000 });
        const state = await page.evaluate(() => ({
            engine: window.sanerfDemo.plugin.capabilities.engine,
            adapter: window.sanerfDemo.plugin.capabilities.webGpuAdapter,
            inspector: document.querySelector("#babylon-inspector-container") !== null,
        }));
        assert.equal(state.engine, engine === "webgl" ? "WebGL2" : "WebGPU");
        assert.equal(state.adapter, true);
        assert.equal(state.inspector, true, "the Inspector container is in the page");
        // onnxruntime-web's runtime must come from this origin too: load it the way the plugin does.
        await page.evaluate(async () => {
            const response = await fetch(new URL("ort/ort-wasm-simd-threaded.jsep.wasm", location.href));
            if (!response.ok) {
                throw new Error(`ort wasm not served: ${response.status}`);
            }
        });
        // a GLB imported through the pane's path (the Inspector turns glTF validation on, whose
        // validator would come from Babylon's CDN)
        const imported = await page.evaluate(async () => {
            const { scene, plugin, api } = window.sanerfDemo;
            const box = scene.getMeshByName("box");
            const glb = await api.ExportMeshGlbAsync(box);
            const { assets, errors } = await plugin.workspace.objects.importFilesAsync([new File([glb], "box.glb")]);
            return { names: assets.map((asset) => asset.name), errors };
        });
        assert.deepEqual(imported, { names: ["box"], errors: [] });
        assert.deepEqual(external, [], `requests left 127.0.0.1: ${external.join(", ")}`);
        assert.ok(requested.length > 3, "the page made its own requests");
        assert.ok(requested.every((url) => new URL(url).hostname === "127.0.0.1" || url.startsWith("data:") || url.startsWith("blob:")));
        assert.deepEqual(errors, []);
        await context.close();
    });
}

import { NullEngine } from "@babylonjs/core/Engines/nullEngine";
import { WebGPUEngine } from "@babylonjs/core/Engines/webgpuEngine";
import { Scene } from "@babylonjs/core/scene";
import { CreateTrainingContextAsync } from "@plugin/scene/trainingContext";
import { RequireGpuAsync } from "@test/helpers/webGpu";

describe("CreateTrainingContextAsync", () => {
    it("uses the engine's own device on a WebGPUEngine", async () => {
        await RequireGpuAsync();
        const canvas = document.createElement("canvas");
        const engine = new WebGPUEngine(canvas);
        await engine.initAsync();
        const scene = new Scene(engine);
        const context = await CreateTrainingContextAsync(scene);
        expect(context.device).toBe((engine as unknown as { _device: GPUDevice })._device);
        context.dispose();
        expect(context.lostInfo).toBeNull();
        scene.dispose();
        engine.dispose();
    });

    it("creates a device of its own for a WebGL (here: null) engine", async () => {
        await RequireGpuAsync();
        const engine = new NullEngine();
        const scene = new Scene(engine);
        const context = await CreateTrainingContextAsync(scene);
        const buffer = context.createStorageBuffer("probe", new Uint32Array([7]));
        expect((await context.readUint32Async(buffer))[0]).toBe(7);
        context.dispose();
        scene.dispose();
        engine.dispose();
    });

    it("refuses training with a clear message when the browser has no WebGPU", async () => {
        const engine = new NullEngine();
        const scene = new Scene(engine);
        Object.defineProperty(navigator, "gpu", { value: undefined, configurable: true });
        try {
            await expectAsync(CreateTrainingContextAsync(scene)).toBeRejectedWithError(/WebGPU is not available: .*Training a radiance field needs WebGPU; loading and rendering a saved field still works on WebGL2/);
        } finally {
            delete (navigator as unknown as Record<string, unknown>).gpu;
        }
        expect(navigator.gpu).toBeDefined();
        scene.dispose();
        engine.dispose();
    });
});

import { NullEngine } from "@babylonjs/core/Engines/nullEngine";
import { WebGPUEngine } from "@babylonjs/core/Engines/webgpuEngine";
import { Scene } from "@babylonjs/core/scene";
import { FreeCamera } from "@babylonjs/core/Cameras/freeCamera";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { CreateTrainingContextAsync } from "@plugin/scene/trainingContext";
import { RequireGpuAsync } from "@test/helpers/webGpu";

describe("CreateTrainingContextAsync", () => {
    it("uses a device of its own beside a WebGPUEngine: destroying it leaves the engine rendering", async () => {
        await RequireGpuAsync();
        const canvas = document.createElement("canvas");
        const engine = new WebGPUEngine(canvas);
        await engine.initAsync();
        const scene = new Scene(engine);
        new FreeCamera("camera", Vector3.Zero(), scene);
        const context = await CreateTrainingContextAsync();
        expect(context.device).not.toBe((engine as unknown as { _device: GPUDevice })._device);
        context.device.destroy();
        await context.lost;
        expect(context.lostInfo).not.toBeNull();
        expect(() => scene.render()).not.toThrow();
        context.dispose();
        scene.dispose();
        engine.dispose();
    });

    it("creates a device of its own for a WebGL (here: null) engine", async () => {
        await RequireGpuAsync();
        const engine = new NullEngine();
        const scene = new Scene(engine);
        const context = await CreateTrainingContextAsync();
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
            await expectAsync(CreateTrainingContextAsync()).toBeRejectedWithError(/WebGPU is not available: .*Training a radiance field needs WebGPU; loading and rendering a saved field still works on WebGL2/);
        } finally {
            delete (navigator as unknown as Record<string, unknown>).gpu;
        }
        expect(navigator.gpu).toBeDefined();
        scene.dispose();
        engine.dispose();
    });
});

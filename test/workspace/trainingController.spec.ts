import { WebGPUEngine } from "@babylonjs/core/Engines/webgpuEngine";
import { Scene } from "@babylonjs/core/scene";
import { ArcRotateCamera } from "@babylonjs/core/Cameras/arcRotateCamera";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { LoadCaptureAsync } from "@plugin/core/capture/captureLoader";
import { UrlCaptureSource } from "@plugin/core/capture/urlCaptureSource";
import { ResolvePipelineConfig } from "@plugin/core/pipeline/pipelineConfig";
import { TrainingController } from "@plugin/workspace/trainingController";
import { RequireGpuAsync } from "@test/helpers/webGpu";

describe("TrainingController: a lost device", () => {
    it("stops training with its checkpoint kept, leaves the viewport rendering, and continues on a new device without a reload", async () => {
        await RequireGpuAsync();
        const engine = new WebGPUEngine(document.createElement("canvas"));
        await engine.initAsync();
        const scene = new Scene(engine);
        new ArcRotateCamera("camera", 0.3, 1, 3, Vector3.Zero(), scene);
        const capture = await LoadCaptureAsync(new UrlCaptureSource("/base/sample-scenes/captures/tabletop/", "tabletop"), { maxSide: 32 });
        const options = ResolvePipelineConfig({ train: { checkpointInterval: 40, statsInterval: 20, budget: { iterations: 200, gridResolution: 24, growAt: [] } } }).train;
        const controller = new TrainingController(scene, () => undefined);
        let destroyed = false;
        const first = controller.trainAsync(capture, options, (progress) => {
            if (progress >= 0.5 && !destroyed) {
                destroyed = true;
                controller.context!.device.destroy();
            }
        });
        await expectAsync(first).toBeRejectedWithError(/the GPU device was lost at iteration \d+ .*; the last checkpoint \(iteration (40|80)\) is kept/);
        expect(controller.resumableIteration).toBeGreaterThanOrEqual(40);
        expect(controller.context).withContext("the lost device is dropped").toBeNull();
        expect(controller.node?.field?.metadata.iterations).withContext("the node shows the checkpoint").toBe(controller.resumableIteration!);
        expect(() => scene.render()).withContext("the viewport's engine has its own device").not.toThrow();
        const node = await controller.resumeAsync(() => undefined);
        expect(node.field!.metadata.iterations).toBe(200);
        expect(controller.context!.lostInfo).toBeNull();
        expect(controller.resumableIteration).toBeNull();
        controller.dispose();
        scene.dispose();
        engine.dispose();
    });
});

import { LoadCaptureAsync } from "@plugin/core/capture/captureLoader";
import { SplitHoldout } from "@plugin/core/capture/holdout";
import type { Capture } from "@plugin/core/capture/captureTypes";
import { UrlCaptureSource } from "@plugin/core/capture/urlCaptureSource";
import { GpuContext } from "@plugin/core/gpu/gpuContext";
import { MeanSquaredError, Psnr } from "@plugin/core/evaluation/imageMetrics";
import { Softplus } from "@shaders/nerf/fieldMath";
import { NerfTrainer } from "@plugin/core/nerf/nerfTrainer";
import { TrainingRegion } from "@plugin/core/pipeline/trainStage";
import { ReadRadianceFieldAsync, WriteRadianceFieldAsync } from "@plugin/core/nerf/radianceFieldFile";
import { GpuFieldState } from "@plugin/core/nerf/gpuFieldState";
import { GpuFieldRenderer } from "@plugin/core/nerf/gpuFieldRenderer";
import { CompositeOnBackground } from "@plugin/core/image/compositeOnBackground";
import { RequireGpuAsync } from "@test/helpers/webGpu";

let tabletop: Promise<Capture> | null = null;

function Tabletop32(): Promise<Capture> {
    tabletop ??= LoadCaptureAsync(new UrlCaptureSource("/base/sample-scenes/captures/tabletop/", "tabletop"), { maxSide: 32 });
    return tabletop;
}

/** Mean holdout PSNR of the trainer's current field. */
async function HoldoutPsnrAsync(trainer: NerfTrainer, capture: Capture): Promise<number> {
    const { holdout } = SplitHoldout(capture.frames.length);
    let sum = 0;
    for (const index of holdout) {
        const view = await trainer.renderAsync(capture.frames[index]);
        sum += Psnr(MeanSquaredError({ width: view.width, height: view.height, data: view.color }, CompositeOnBackground(capture.frames[index].image, trainer.background)));
    }
    return sum / holdout.length;
}

const tinyBudget = { iterations: 300, raysPerBatch: 1024, gridResolution: 40, initialGridResolution: 24, growAt: [100] };

describe("NerfTrainer", () => {
    it("trains a tiny field on the tabletop scene at 32 px: holdout PSNR rises above 20 dB", async () => {
        const gpu = await RequireGpuAsync();
        const capture = await Tabletop32();
        const { train } = SplitHoldout(capture.frames.length);
        const trainer = await NerfTrainer.CreateAsync(gpu, train.map((i) => capture.frames[i]), capture.bounds, capture.background, { budget: tinyBudget, occupancyWarmup: 64 });
        const steps: number[] = [];
        trainer.onStep.add((step) => steps.push(step.iteration));
        const before = await HoldoutPsnrAsync(trainer, capture);
        // (the main thread's responsiveness while training is a timing: `npm run bench -- --only nerf` measures it)
        const result = await trainer.trainAsync();
        const after = await HoldoutPsnrAsync(trainer, capture);
        expect(result.iterations).toBe(300);
        expect(result.stopped).toBeFalse();
        expect(trainer.status).toBe("finished");
        expect(steps).toEqual(Array.from({ length: 12 }, (_, i) => (i + 1) * 25));
        expect(after).withContext(`holdout PSNR before ${before.toFixed(2)} dB, after ${after.toFixed(2)} dB`).toBeGreaterThan(20);
        expect(after - before).toBeGreaterThan(5);
        const last = result.history[result.history.length - 1];
        expect(last.gridSize[0]).toBe(40);
        expect(last.occupiedFraction).withContext("some empty space is skipped").toBeLessThan(1);

        // The saved file loads back and renders the same image (float16 storage: > 35 dB apart).
        const field = await trainer.exportFieldAsync();
        const loaded = await ReadRadianceFieldAsync((await WriteRadianceFieldAsync(field)).slice().buffer, "tiny.bin");
        const state = await GpuFieldState.CreateAsync(gpu, loaded.params, false);
        state.upload(loaded.density, loaded.sh, loaded.occupancy);
        const renderer = await GpuFieldRenderer.CreateAsync(gpu);
        const frame = capture.frames[8];
        const original = await trainer.renderAsync(frame);
        const reloaded = await renderer.renderAsync(state, frame, loaded.background);
        expect(Psnr(MeanSquaredError({ width: 32, height: 32, data: original.color }, { width: 32, height: 32, data: reloaded.color }))).toBeGreaterThan(35);
        renderer.dispose();
        state.dispose();
        trainer.dispose();
    });

    it("trains a whole-scene (contracted) field on the tabletop scene: holdout PSNR above 20 dB, the grid keeps its box when it grows, the file keeps the contraction", async () => {
        const gpu = await RequireGpuAsync();
        const capture = await Tabletop32();
        const { train } = SplitHoldout(capture.frames.length);
        const region = TrainingRegion(capture, "contracted");
        // rays march on past the box (about 120 samples each here, the bounded field's tens): a shorter run
        const trainer = await NerfTrainer.CreateAsync(gpu, train.map((i) => capture.frames[i]), region, capture.background, { budget: { ...tinyBudget, iterations: 200 }, occupancyWarmup: 64 });
        await trainer.trainAsync();
        const psnr = await HoldoutPsnrAsync(trainer, capture);
        const field = await trainer.exportFieldAsync();
        console.info(`contracted tabletop: holdout PSNR ${psnr.toFixed(2)} dB, grid ${field.params.gridSize.join("x")}, ${trainer.history.at(-1)!.samplesPerRay.toFixed(1)} samples per ray`);
        expect(psnr).toBeGreaterThan(20);
        expect(field.params.contracted).toBeTrue();
        expect([field.params.boundsMin, field.params.boundsMax]).toEqual([capture.bounds.min, capture.bounds.max]);
        expect(Math.max(...field.params.gridSize)).toBe(tinyBudget.gridResolution);
        const loaded = await ReadRadianceFieldAsync((await WriteRadianceFieldAsync(field)).slice().buffer, "whole.snrf");
        expect(loaded.params.contracted).toBeTrue();
        expect(loaded.params.near).toBeCloseTo(region.contraction!.near, 5);
        trainer.dispose();
    }, 300000);

    it("passes the distortion regulariser to the training kernels: a strong weight leaves markedly less fog (half-transparent grid points)", async () => {
        const gpu = await RequireGpuAsync();
        const capture = await Tabletop32();
        const { train } = SplitHoldout(capture.frames.length);
        const figures: { psnr: number; fog: number }[] = [];
        // 1e-2 is far stronger than useful here (it costs PSNR); the gradient itself is checked in
        // gradients.spec.ts and renderKernels.spec.ts
        for (const distortion of [0, 1e-2]) {
            const trainer = await NerfTrainer.CreateAsync(gpu, train.map((i) => capture.frames[i]), capture.bounds, capture.background, { budget: tinyBudget, occupancyWarmup: 64, distortion });
            await trainer.trainAsync();
            const psnr = await HoldoutPsnrAsync(trainer, capture);
            const field = await trainer.exportFieldAsync();
            const spacing = Math.max(...[0, 1, 2].map((a) => (field.params.boundsMax[a] - field.params.boundsMin[a]) / (field.params.gridSize[a] - 1)));
            let fog = 0;
            let occupied = 0;
            for (const raw of field.density) {
                // opacity of one grid spacing at this point
                const opacity = 1 - Math.exp(-Softplus(raw + field.params.densityShift) * spacing);
                fog += opacity > 0.05 && opacity < 0.5 ? 1 : 0;
                occupied += opacity > 0.05 ? 1 : 0;
            }
            figures.push({ psnr, fog: fog / occupied });
            trainer.dispose();
        }
        const [plain, regularised] = figures;
        const report = `PSNR ${plain.psnr.toFixed(2)} / ${regularised.psnr.toFixed(2)} dB, fog ${(plain.fog * 100).toFixed(1)} % / ${(regularised.fog * 100).toFixed(1)} % of the occupied points`;
        expect(regularised.fog).withContext(report).toBeLessThan(plain.fog * 0.8);
        expect(regularised.psnr).withContext(report).toBeGreaterThan(18);
    });

    it("pauses, resumes and stops; a stopped trainer continues where it stopped", async () => {
        const gpu = await RequireGpuAsync();
        const capture = await Tabletop32();
        const trainer = await NerfTrainer.CreateAsync(gpu, capture.frames.slice(1, 20), capture.bounds, capture.background, { budget: { ...tinyBudget, iterations: 200, growAt: [] }, statsInterval: 10 });
        let pausedAt = -1;
        trainer.onStep.add((step) => {
            if (step.iteration === 50) {
                trainer.pause();
                pausedAt = step.iteration;
                setTimeout(() => {
                    expect(trainer.status).toBe("paused");
                    expect(trainer.iteration).toBe(50);
                    trainer.resume();
                }, 100);
            }
            if (step.iteration === 120) {
                trainer.stop();
            }
        });
        const first = await trainer.trainAsync();
        expect(pausedAt).toBe(50);
        expect(first.stopped).toBeTrue();
        expect(first.iterations).toBe(120);
        expect(trainer.status).toBe("stopped");
        const controller = new AbortController();
        trainer.onStep.add((step) => step.iteration === 160 && controller.abort());
        const second = await trainer.trainAsync(controller.signal);
        expect(second.iterations).toBe(160);
        const third = await trainer.trainAsync();
        expect(third.iterations).toBe(200);
        expect(trainer.status).toBe("finished");
        trainer.dispose();
    });

    it("refuses identity poses and non-finite poses before training", async () => {
        const gpu = await RequireGpuAsync();
        const capture = await Tabletop32();
        const identity = capture.frames.slice(0, 5).map((frame) => ({ ...frame, cameraToWorld: Float64Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]) }));
        await expectAsync(NerfTrainer.CreateAsync(gpu, identity, capture.bounds, capture.background)).toBeRejectedWithError(/all 5 training cameras sit at the same position .* poses look wrong/);
        const broken = capture.frames.slice(0, 3).map((frame, i) => (i === 1 ? { ...frame, cameraToWorld: Float64Array.from(frame.cameraToWorld, (v, k) => (k === 3 ? NaN : v)) } : frame));
        await expectAsync(NerfTrainer.CreateAsync(gpu, broken, capture.bounds, capture.background)).toBeRejectedWithError(/images\/frame_00001\.png: its pose or intrinsics contain a non-finite number/);
    });

    it("detects a diverged (NaN) field and stops with a clear message, keeping the trainer usable", async () => {
        const gpu = await RequireGpuAsync();
        const capture = await Tabletop32();
        const trainer = await NerfTrainer.CreateAsync(gpu, capture.frames.slice(1, 10), capture.bounds, capture.background, { budget: { ...tinyBudget, iterations: 100, growAt: [] } });
        trainer.onStep.add((step) => step.iteration === 25 && gpu.write(trainer.fieldState.density, new Float32Array(trainer.fieldState.params.gridSize.reduce((a, b) => a * b, 1)).fill(NaN)));
        await expectAsync(trainer.trainAsync()).toBeRejectedWithError(/training diverged at iteration 50: the field holds non-finite values \(loss NaN\)/);
        expect(trainer.status).toBe("failed");
        expect((await trainer.exportFieldAsync()).metadata.iterations).toBe(50);
        trainer.dispose();
    });

    it("reports a lost device without losing the last checkpoint", async () => {
        const own = await GpuContext.CreateAsync({ label: "doomed" });
        const capture = await Tabletop32();
        const trainer = await NerfTrainer.CreateAsync(own, capture.frames.slice(1, 10), capture.bounds, capture.background, { budget: { ...tinyBudget, iterations: 400, growAt: [] }, checkpointInterval: 50 });
        trainer.onStep.add((step) => step.iteration === 75 && own.device.destroy());
        await expectAsync(trainer.trainAsync()).toBeRejectedWithError(/the GPU device was lost at iteration \d+ .*the last checkpoint \(iteration 50\) is kept/);
        expect(trainer.lastCheckpoint?.metadata.iterations).toBe(50);
        expect(trainer.lastCheckpoint?.density.length).toBe(trainer.lastCheckpoint!.params.gridSize.reduce((a, b) => a * b, 1));
    });

    it("names the size asked for when a grid cannot be allocated", async () => {
        const gpu = await RequireGpuAsync();
        const capture = await Tabletop32();
        await expectAsync(NerfTrainer.CreateAsync(gpu, capture.frames.slice(1, 5), capture.bounds, capture.background, { budget: { ...tinyBudget, initialGridResolution: 1500 } })).toBeRejectedWithError(/needs \d+ bytes, more than this device's maxBufferSize/);
    });
});

import { GpuContext } from "../../plugin/core/gpu/gpuContext";
import { SplitHoldout } from "../../plugin/core/capture/holdout";
import type { Capture } from "../../plugin/core/capture/captureTypes";
import { NerfTrainer, type TrainingStepEvent } from "../../plugin/core/nerf/nerfTrainer";
import { WriteRadianceFieldAsync } from "../../plugin/core/nerf/radianceFieldFile";
import { Psnr, MeanSquaredError, Ssim } from "../../plugin/core/metrics/imageMetrics";
import type { RgbaImage } from "../../plugin/core/image/rgbaImage";
import type { OutputWriter } from "./outputWriter";
import type { PipelineConfig, TrainReport } from "./pipelineTypes";
import { EncodePngAsync } from "./pngFiles";

/**
 * Ground truth of a frame as the field renders it: RGBA composited on the field's background.
 * @param image the frame's image
 * @param background the field's background
 * @returns an opaque image
 */
export function CompositeOnBackground(image: RgbaImage, background: "white" | "black"): RgbaImage {
    const data = new Uint8ClampedArray(image.data.length);
    const bg = background === "white" ? 255 : 0;
    for (let i = 0; i < data.length; i += 4) {
        const a = image.data[i + 3] / 255;
        for (let c = 0; c < 3; c++) {
            data[i + c] = image.data[i + c] * a + bg * (1 - a);
        }
        data[i + 3] = 255;
    }
    return { width: image.width, height: image.height, data };
}

/**
 * Pipeline stage 2: trains a radiance field on the non-holdout frames, renders every holdout view,
 * reports PSNR and SSIM against them, and writes field.bin, render/*.png and metrics.json.
 * @param config pipeline configuration (iterations)
 * @param capture the loaded capture
 * @param out output writer
 * @param log progress log
 * @returns the training report
 */
export async function RunTrainStageAsync(config: PipelineConfig, capture: Capture, out: OutputWriter, log: (line: string) => void): Promise<TrainReport> {
    const context = await GpuContext.CreateAsync({ label: "pipeline-train" });
    context.resetPeak();
    const { train, holdout } = SplitHoldout(capture.frames.length);
    const trainer = await NerfTrainer.CreateAsync(
        context,
        train.map((i) => capture.frames[i]),
        capture.bounds,
        capture.background,
        { budget: { iterations: config.iterations, ...(config.gridResolution ? { gridResolution: config.gridResolution, initialGridResolution: Math.max(16, Math.round(config.gridResolution / 2)) } : {}) }, seed: config.seed }
    );
    const curve: { iteration: number; psnr: number; trainPsnr: number; seconds: number }[] = [];
    const checkpoints = new Set(config.curveAt.filter((it) => it < config.iterations));
    trainer.onStep.add((step: TrainingStepEvent) => log(`train: it ${step.iteration}/${step.iterations} loss ${step.loss.toExponential(3)} psnr ${step.psnr.toFixed(2)} dB, ${step.samplesPerRay.toFixed(1)} samples/ray, occupied ${(step.occupiedFraction * 100).toFixed(1)}%, grid ${step.gridSize.join("x")}, ${step.seconds.toFixed(1)} s`));
    const evaluate = async (): Promise<{ psnr: number; ssim: number; samplesPerRay: number; renders: RgbaImage[] }> => {
        let psnrSum = 0;
        let ssimSum = 0;
        let samples = 0;
        const renders: RgbaImage[] = [];
        for (const index of holdout) {
            const frame = capture.frames[index];
            const view = await trainer.renderAsync(frame);
            const rendered = { width: view.width, height: view.height, data: view.color };
            const truth = CompositeOnBackground(frame.image, trainer.background);
            psnrSum += Psnr(MeanSquaredError(rendered, truth));
            ssimSum += Ssim(rendered, truth);
            samples += view.samplesPerRay;
            renders.push(rendered);
        }
        return { psnr: psnrSum / holdout.length, ssim: ssimSum / holdout.length, samplesPerRay: samples / holdout.length, renders };
    };
    // Run to each curve checkpoint, evaluate, continue.
    const trainingHistory: TrainingStepEvent[] = [];
    const stops = [...[...checkpoints].sort((a, b) => a - b), config.iterations];
    let result = null;
    for (const stop of stops) {
        result = await trainer.trainAsync(undefined, stop);
        if (stop < config.iterations) {
            const evaluation = await evaluate();
            curve.push({ iteration: stop, psnr: evaluation.psnr, trainPsnr: trainer.history[trainer.history.length - 1]?.psnr ?? 0, seconds: result.seconds });
            log(`eval: iteration ${stop}: holdout PSNR ${evaluation.psnr.toFixed(2)} dB`);
        }
    }
    trainingHistory.push(...trainer.history);
    const final = await evaluate();
    curve.push({ iteration: config.iterations, psnr: final.psnr, trainPsnr: trainer.history[trainer.history.length - 1]?.psnr ?? 0, seconds: result!.seconds });
    for (let k = 0; k < holdout.length; k++) {
        await out.writeAsync(`render/${String(holdout[k]).padStart(4, "0")}.png`, await EncodePngAsync(final.renders[k]));
    }
    const field = await trainer.exportFieldAsync();
    const bytes = await WriteRadianceFieldAsync({ ...field, metadata: { ...field.metadata, psnr: final.psnr, captureName: capture.name } });
    await out.writeAsync("field.bin", bytes);
    const warm = trainingHistory.filter((step) => step.iteration > trainer.options.occupancyWarmup + trainer.options.occupancyInterval);
    const report: TrainReport = {
        iterations: config.iterations,
        seconds: result!.seconds,
        psnr: final.psnr,
        ssim: final.ssim,
        curve,
        meanSamplesPerRay: warm.length > 0 ? warm.reduce((s, step) => s + step.samplesPerRay, 0) / warm.length : NaN,
        renderSamplesPerRay: final.samplesPerRay,
        peakGpuBytes: context.peakBytes,
        fieldBytes: bytes.byteLength,
        gridSize: [...trainer.fieldState.params.gridSize],
        raysPerBatch: trainer.options.budget.raysPerBatch,
        raysPerSecond: (config.iterations * trainer.options.budget.raysPerBatch) / result!.seconds,
        holdoutFrames: holdout,
    };
    await out.writeJsonAsync("metrics.json", report);
    trainer.dispose();
    context.dispose();
    return report;
}

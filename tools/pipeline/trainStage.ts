import { GpuContext } from "../../plugin/core/gpu/gpuContext";
import { SplitHoldout } from "../../plugin/core/capture/holdout";
import type { Capture } from "../../plugin/core/capture/captureTypes";
import { NerfTrainer, type TrainingStepEvent } from "../../plugin/core/nerf/nerfTrainer";
import { WriteRadianceFieldAsync } from "../../plugin/core/nerf/radianceFieldFile";
import type { RadianceFieldData } from "../../plugin/core/nerf/radianceFieldData";
import { TrainWithCurveAsync } from "../../plugin/core/evaluation/holdoutEvaluation";
import type { OutputWriter } from "./outputWriter";
import type { PipelineConfig, TrainReport } from "./pipelineTypes";
import { EncodePngAsync } from "./pngFiles";

/**
 * Logs a step event as one line.
 * @param step the event
 * @returns the line
 */
export function DescribeStep(step: TrainingStepEvent): string {
    return `train: it ${step.iteration}/${step.iterations} loss ${step.loss.toExponential(3)} psnr ${step.psnr.toFixed(2)} dB, ${step.samplesPerRay.toFixed(1)} samples/ray, occupied ${(step.occupiedFraction * 100).toFixed(1)}%, grid ${step.gridSize.join("x")}, ${step.seconds.toFixed(1)} s`;
}

/**
 * Trains a field on a capture's non-holdout frames on a device of its own.
 * @param config iterations, grid, seed
 * @param capture the capture
 * @returns the context and the trainer (idle)
 */
export async function CreatePipelineTrainerAsync(config: Pick<PipelineConfig, "iterations" | "gridResolution" | "seed" | "distortion">, capture: Capture): Promise<{ context: GpuContext; trainer: NerfTrainer }> {
    const context = await GpuContext.CreateAsync({ label: "pipeline-train" });
    const { train } = SplitHoldout(capture.frames.length);
    const grid = config.gridResolution ? { gridResolution: config.gridResolution, initialGridResolution: Math.max(16, Math.round(config.gridResolution / 2)) } : {};
    const trainer = await NerfTrainer.CreateAsync(context, train.map((i) => capture.frames[i]), capture.bounds, capture.background, { budget: { iterations: config.iterations, ...grid }, seed: config.seed, ...(config.distortion === undefined ? {} : { distortion: config.distortion }) });
    return { context, trainer };
}

/**
 * Pipeline stage 2: trains a radiance field on the non-holdout frames, renders every holdout view,
 * reports PSNR and SSIM against them (and the curve), and writes field.bin, render/*.png and metrics.json.
 * @param config pipeline configuration (iterations, curve, grid, seed)
 * @param capture the loaded capture
 * @param out output writer
 * @param log progress log
 * @returns the training report and the trained field
 */
export async function RunTrainStageAsync(config: PipelineConfig, capture: Capture, out: OutputWriter, log: (line: string) => void): Promise<{ report: TrainReport; field: RadianceFieldData }> {
    const { context, trainer } = await CreatePipelineTrainerAsync(config, capture);
    context.resetPeak();
    trainer.onStep.add((step) => log(DescribeStep(step)));
    const { curve, final, seconds } = await TrainWithCurveAsync(trainer, capture, config.curveAt, log);
    const { holdout } = SplitHoldout(capture.frames.length);
    for (let k = 0; k < holdout.length; k++) {
        await out.writeAsync(`render/${String(holdout[k]).padStart(4, "0")}.png`, await EncodePngAsync(final.renders[k]));
    }
    const field = await trainer.exportFieldAsync();
    const bytes = await WriteRadianceFieldAsync({ ...field, metadata: { ...field.metadata, psnr: final.psnr, captureName: capture.name } });
    await out.writeAsync("field.bin", bytes);
    const warm = trainer.history.filter((step) => step.iteration > trainer.options.occupancyWarmup + trainer.options.occupancyInterval);
    const report: TrainReport = {
        iterations: trainer.iteration,
        seconds,
        psnr: final.psnr,
        ssim: final.ssim,
        curve,
        meanSamplesPerRay: warm.length > 0 ? warm.reduce((s, step) => s + step.samplesPerRay, 0) / warm.length : NaN,
        renderSamplesPerRay: final.samplesPerRay,
        peakGpuBytes: context.peakBytes,
        fieldBytes: bytes.byteLength,
        gridSize: [...trainer.fieldState.params.gridSize],
        raysPerBatch: trainer.options.budget.raysPerBatch,
        raysPerSecond: (trainer.iteration * trainer.options.budget.raysPerBatch) / seconds,
        holdoutFrames: holdout,
    };
    await out.writeJsonAsync("metrics.json", report);
    trainer.dispose();
    context.dispose();
    return { report, field };
}

import { SplitHoldout } from "../../plugin/core/capture/holdout";
import type { Capture } from "../../plugin/core/capture/captureTypes";
import { TrainWithCurveAsync } from "../../plugin/core/evaluation/holdoutEvaluation";
import { GpuContext } from "../../plugin/core/gpu/gpuContext";
import { EncodePngAsync } from "../../plugin/core/image/pngEncoder";
import type { TrainingStepEvent } from "../../plugin/core/nerf/nerfTrainer";
import type { RadianceFieldData } from "../../plugin/core/nerf/radianceFieldData";
import { WriteRadianceFieldAsync } from "../../plugin/core/nerf/radianceFieldFile";
import type { TrainerOptions } from "../../plugin/core/nerf/trainerOptions";
import { CreateTrainerStageAsync, ExportTrainedFieldAsync } from "../../plugin/core/pipeline/trainStage";
import type { OutputWriter } from "./outputWriter";
import type { TrainReport } from "./pipelineRequest";

/**
 * A training step as one log line.
 * @param step the event
 * @returns the line
 */
export function DescribeStep(step: TrainingStepEvent): string {
    return `train: it ${step.iteration}/${step.iterations} loss ${step.loss.toExponential(3)} psnr ${step.psnr.toFixed(2)} dB, ${step.samplesPerRay.toFixed(1)} samples/ray, occupied ${(step.occupiedFraction * 100).toFixed(1)}%, grid ${step.gridSize.join("x")}, ${step.seconds.toFixed(1)} s`;
}

/**
 * The training stage with its outputs: trains on the capture's training frames on a device of its
 * own (evaluating the holdout views at the curve's iterations), renders every holdout view, and
 * writes field.bin, render/*.png and metrics.json.
 * @param config the trainer settings
 * @param capture the capture
 * @param curveAt iterations to evaluate the holdout views at (the last one always is)
 * @param out the output writer
 * @param log progress log
 * @returns the report and the trained field
 */
export async function TrainWithOutputsAsync(config: TrainerOptions, capture: Capture, curveAt: readonly number[], out: OutputWriter, log: (line: string) => void): Promise<{ report: TrainReport; field: RadianceFieldData }> {
    const context = await GpuContext.CreateAsync({ label: "pipeline-train" });
    const trainer = await CreateTrainerStageAsync(context, capture, config);
    try {
        context.resetPeak();
        trainer.onStep.add((step) => log(DescribeStep(step)));
        const { curve, final, seconds } = await TrainWithCurveAsync(trainer, capture, curveAt, log);
        const { holdout } = SplitHoldout(capture.frames.length);
        for (let k = 0; k < holdout.length; k++) {
            const render = final.renders[k];
            await out.writeAsync(`render/${String(holdout[k]).padStart(4, "0")}.png`, await EncodePngAsync(render.data, render.width, render.height, 4));
        }
        const field = await ExportTrainedFieldAsync(trainer, capture, final.psnr);
        const bytes = await WriteRadianceFieldAsync(field);
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
        return { report, field };
    } finally {
        trainer.dispose();
        context.dispose();
    }
}

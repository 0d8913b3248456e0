import { SplitHoldout } from "../../plugin/core/capture/holdout";
import type { Capture } from "../../plugin/core/capture/captureTypes";
import { TrainWithCurveAsync } from "../../plugin/core/evaluation/holdoutEvaluation";
import { GpuContext } from "../../plugin/core/gpu/gpuContext";
import { EncodePngAsync } from "../../plugin/core/image/pngEncoder";
import type { RadianceFieldData } from "../../plugin/core/nerf/radianceFieldData";
import { WriteRadianceFieldAsync } from "../../plugin/core/nerf/radianceFieldFile";
import type { TrainerOptions } from "../../plugin/core/nerf/trainerOptions";
import { CreateTrainerStageAsync, DescribeTrainingStep, ExportTrainedFieldAsync } from "../../plugin/core/pipeline/trainStage";
import type { OutputWriter } from "./outputWriter";
import type { TrainReport } from "./pipelineRequest";

/**
 * The training stage with its outputs: trains on the capture's training frames on a device of its
 * own (evaluating the holdout views at the curve's iterations), saving each checkpoint as
 * checkpoint.bin (a run killed later continues from it with --resume), renders every holdout
 * view, and writes field.bin, render/*.png and metrics.json.
 * @param config the trainer settings
 * @param capture the capture
 * @param curveAt iterations to evaluate the holdout views at (the last one always is)
 * @param out the output writer
 * @param log progress log
 * @param start a field to continue training from (a checkpoint, --field), or none
 * @returns the report and the trained field
 */
export async function TrainWithOutputsAsync(config: TrainerOptions, capture: Capture, curveAt: readonly number[], out: OutputWriter, log: (line: string) => void, start?: RadianceFieldData): Promise<{ report: TrainReport; field: RadianceFieldData }> {
    const context = await GpuContext.CreateAsync({ label: "pipeline-train" });
    const trainer = await CreateTrainerStageAsync(context, capture, config, start);
    // checkpoints are written one at a time, in order; a failed write fails the run
    let saving: Promise<void> = Promise.resolve();
    trainer.onCheckpoint.add((checkpoint) => {
        saving = saving.then(async () => {
            await out.writeAsync("checkpoint.bin", await WriteRadianceFieldAsync({ ...checkpoint, metadata: { ...checkpoint.metadata, captureName: capture.name } }));
            log(`train: checkpoint at iteration ${checkpoint.metadata.iterations} saved`);
        });
        // (the failure is reported where the run awaits it)
        saving.catch(() => undefined);
    });
    try {
        context.resetPeak();
        trainer.onStep.add((step) => log(DescribeTrainingStep(step)));
        if (start) {
            log(`train: continuing from iteration ${start.metadata.iterations} up to ${config.budget.iterations}`);
        }
        const { curve, final, seconds } = await TrainWithCurveAsync(trainer, capture, curveAt, log);
        await saving;
        const { holdout, train } = SplitHoldout(capture.frames.length);
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
            psnrMatched: final.psnrMatched,
            appearance: field.appearance ? train.map((frame, k) => ({ frame, gain: [0, 5, 10].map((i) => field.appearance![k * 12 + i]), offset: [3, 7, 11].map((i) => field.appearance![k * 12 + i]) })) : null,
            curve,
            meanSamplesPerRay: warm.length > 0 ? warm.reduce((s, step) => s + step.samplesPerRay, 0) / warm.length : null,
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

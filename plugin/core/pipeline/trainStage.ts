import { SplitHoldout } from "../capture/holdout";
import type { Capture } from "../capture/captureTypes";
import { CaptureUpDirection } from "../capture/captureUp";
import type { GpuContext } from "../gpu/gpuContext";
import { NerfTrainer, type TrainingStepEvent } from "../nerf/nerfTrainer";
import type { RadianceFieldData } from "../nerf/radianceFieldData";
import type { SceneModel, TrainerOptions } from "../nerf/trainerOptions";
import type { FieldRegion } from "../nerf/fieldGeometry";

/**
 * Pipeline stage 2 (setup): a trainer for the capture's training frames (every frame but the
 * holdout ones, index % 8 == 0), idle until `trainAsync`.
 * @param context the WebGPU device to train on
 * @param capture the capture
 * @param config the trainer settings
 * @param start a field to continue training from (a checkpoint, a saved field), or none
 * @returns the trainer
 */
export async function CreateTrainerStageAsync(context: GpuContext, capture: Capture, config: TrainerOptions, start?: RadianceFieldData): Promise<NerfTrainer> {
    const { train } = SplitHoldout(capture.frames.length);
    return NerfTrainer.CreateAsync(context, train.map((i) => capture.frames[i]), TrainingRegion(capture, config.sceneModel), capture.background, config, start);
}

/**
 * The region a capture's field models under a scene model: the capture's box (bounded), or its
 * whole-scene region (contracted); "auto" takes the whole scene when the capture's content
 * reaches beyond any box.
 * @param capture the capture
 * @param model the scene model
 * @returns the region
 */
export function TrainingRegion(capture: Capture, model: SceneModel): FieldRegion {
    const contracted = model === "contracted" || (model === "auto" && capture.wholeScene.unbounded);
    return contracted ? { ...capture.wholeScene.bounds, contraction: { near: capture.wholeScene.near } } : capture.bounds;
}

/**
 * Pipeline stage 2 (result): the trained field with its provenance: the capture's name and up
 * direction (the cameras' mean up, which extraction cuts objects off their support along).
 * @param trainer the trainer (finished, stopped or paused)
 * @param capture the capture it trained on
 * @param psnr the holdout PSNR, when measured
 * @returns the field
 */
export async function ExportTrainedFieldAsync(trainer: NerfTrainer, capture: Capture, psnr?: number): Promise<RadianceFieldData> {
    const field = await trainer.exportFieldAsync();
    return { ...field, metadata: { ...field.metadata, captureName: capture.name, up: CaptureUpDirection(capture.frames), ...(psnr === undefined ? {} : { psnr }) } };
}

/**
 * A training step as one log line (the CLI's and the benchmarks' progress).
 * @param step the event
 * @returns the line
 */
export function DescribeTrainingStep(step: TrainingStepEvent): string {
    return `train: it ${step.iteration}/${step.iterations} loss ${step.loss.toExponential(3)} psnr ${step.psnr.toFixed(2)} dB, ${step.samplesPerRay.toFixed(1)} samples/ray, occupied ${(step.occupiedFraction * 100).toFixed(1)}%, grid ${step.gridSize.join("x")}, ${step.seconds.toFixed(1)} s`;
}

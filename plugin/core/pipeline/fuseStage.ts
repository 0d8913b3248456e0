import { SplitHoldout } from "../capture/holdout";
import type { Capture } from "../capture/captureTypes";
import type { FusionMaskView, FusionProgress, FusionResult, ObjectFieldData, ObjectMaskImage } from "../fusion/objectFieldTypes";
import type { RadianceFieldData } from "../nerf/radianceFieldData";
import type { MaskSet } from "../segmentation/maskSet";
import { FusionIterations, type FuseStageConfig } from "./pipelineConfig";
import type { MaskFuser } from "./pipelineServices";

/** How a fusion run is asked to go. */
export interface FuseRunOptions {
    /** An object field to refine (warm start): the run then takes a share of the iterations. */
    readonly warmStart?: ObjectFieldData;
    readonly onProgress?: (progress: FusionProgress) => void;
    /** Cancels (the caller's earlier results stay). */
    readonly signal?: AbortSignal;
}

/** A fusion run's result: the object field, and it rendered into every capture frame. */
export interface FusedMaskSet {
    readonly result: FusionResult & { readonly backendReason: string };
    /** The fused objects' labels in every capture frame (holdout frames included). */
    readonly frameMasks: readonly ObjectMaskImage[];
    /** Frames whose masks were fused (training frames with a mask). */
    readonly fusedViews: number;
}

/**
 * The fusion views of a mask set: the capture's training frames (the holdout frames, index % 8
 * == 0, stay out of fusion as they stay out of training), each with its labels and weight.
 * @param capture the capture
 * @param masks the masks, one per capture frame
 * @returns the views
 */
export function FusionViewsOf(capture: Capture, masks: MaskSet): FusionMaskView[] {
    if (masks.labels.length !== capture.frames.length) {
        throw new Error(`the mask set has ${masks.labels.length} frames, the capture ${capture.frames.length}`);
    }
    return SplitHoldout(capture.frames.length).train.map((index) => ({ frameIndex: index, cameraToWorld: capture.frames[index].cameraToWorld, intrinsics: capture.frames[index].intrinsics, labels: masks.labels[index], weight: masks.weights[index] }));
}

/**
 * Pipeline stage 4: SANeRF-HQ's mask aggregator. The training frames' masks are fused into an
 * object field (one sigmoid channel for one object, softmax over K + 1 for several) in the fusion
 * worker, then the field is rendered into every capture frame.
 * @param fuser the fusion worker's client
 * @param capture the capture the masks belong to
 * @param field the radiance field (frozen)
 * @param masks the masks
 * @param config the fusion settings
 * @param options warm start, progress, cancellation
 * @returns the object field and its masks in every frame
 */
export async function FuseMaskSetAsync(fuser: MaskFuser, capture: Capture, field: RadianceFieldData, masks: MaskSet, config: FuseStageConfig, options: FuseRunOptions = {}): Promise<FusedMaskSet> {
    const views = FusionViewsOf(capture, masks);
    const { refineShare, minRefineIterations, preferGpu, ...fusion } = config;
    const iterations = FusionIterations(config, options.warmStart !== undefined);
    const result = await fuser.runAsync({ field, views, objects: masks.objects, options: { ...fusion, iterations }, warmStart: options.warmStart, captureName: capture.name, preferGpu }, options.onProgress, options.signal);
    options.signal?.throwIfAborted();
    const frameMasks = await fuser.renderMasksAsync(capture.frames);
    return { result, frameMasks, fusedViews: views.filter((view) => view.weight > 0).length };
}

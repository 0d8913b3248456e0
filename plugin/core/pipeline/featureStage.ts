import { SplitHoldout } from "../capture/holdout";
import type { Capture } from "../capture/captureTypes";
import { FeatureFieldDistillation } from "../features/featureFieldDistillation";
import type { FeatureFieldProgress, FeatureView } from "../features/featureFieldTypes";
import type { GpuContext } from "../gpu/gpuContext";
import type { RadianceFieldData } from "../nerf/radianceFieldData";
import type { SamImageEmbedding, SamModelInfo, SamViewImage } from "../sam/samTypes";
import type { FeatureStageConfig } from "./pipelineConfig";
import { ViewInput } from "./segmentStage";

/** Runs the encoder on views (SamService): what distillation needs from the outside. */
export interface ViewEncoder {
    /** The loaded model (its id and family), or null. */
    readonly model: SamModelInfo | null;
    /** Whether the model uses the views' depth. */
    readonly takesDepth?: boolean;
    /**
     * A view's embedding (from the cache when it holds it).
     * @param image the view, with its depth when the model takes depth
     * @param signal cancels
     * @returns the embedding
     */
    embedAsync(image: SamViewImage, signal?: AbortSignal): Promise<SamImageEmbedding>;
}

/** Progress of the feature stage: the training frames' embeddings, then the distillation. */
export type FeatureStageProgress = { readonly phase: "embed"; readonly done: number; readonly total: number } | ({ readonly phase: "distil" } & FeatureFieldProgress);

/** How a feature-stage run is asked to go. */
export interface FeatureRunOptions {
    /** A WebGPU device, or null for the CPU twins. */
    readonly context: GpuContext | null;
    /** Give a model that takes depth the field's depth of each view (the segment stage's setting). */
    readonly viewDepth: boolean;
    readonly onProgress?: (progress: FeatureStageProgress) => void;
    /** Cancels (the radiance field and the embedding cache are untouched). */
    readonly signal?: AbortSignal;
}

/**
 * Distils the loaded model's image embeddings of the capture's training frames (the holdout
 * frames, index % 8 == 0, stay out as they stay out of training) into a feature field aligned
 * with the radiance field: the pipeline's second feature container, from which a free viewpoint
 * decodes without running the encoder. Embeddings come through the encoder's cache, so frames
 * prompts were already decoded on cost nothing.
 * @param encoder the loaded segmentation service
 * @param capture the capture
 * @param field the trained radiance field
 * @param config the feature settings
 * @param options device, depth, progress, cancel
 * @returns the distilled field, ready to render embeddings (the caller disposes it)
 * @throws FeatureFieldInputError when no model is loaded or the model's embeddings cannot be distilled
 */
export async function DistilFeatureFieldAsync(encoder: ViewEncoder, capture: Capture, field: RadianceFieldData, config: FeatureStageConfig, options: FeatureRunOptions): Promise<FeatureFieldDistillation> {
    const model = encoder.model;
    if (!model) {
        throw new Error("no segmentation model is loaded: load one before distilling its features");
    }
    const indices = SplitHoldout(capture.frames.length).train;
    const views: FeatureView[] = [];
    const withDepth = (encoder.takesDepth ?? false) && options.viewDepth;
    for (const index of indices) {
        options.signal?.throwIfAborted();
        const frame = capture.frames[index];
        const embedding = await encoder.embedAsync(ViewInput(capture, field, index, withDepth), options.signal);
        views.push({ frameIndex: index, cameraToWorld: frame.cameraToWorld, intrinsics: frame.intrinsics, embedding });
        options.onProgress?.({ phase: "embed", done: views.length, total: indices.length });
    }
    const { preferGpu, ...distillation } = config;
    const run = await FeatureFieldDistillation.CreateAsync({ field, views, family: model.family, options: distillation, context: preferGpu ? options.context : null });
    try {
        await run.distillAsync((progress) => options.onProgress?.({ phase: "distil", ...progress }), options.signal);
    } catch (error) {
        run.dispose();
        throw error;
    }
    return run;
}

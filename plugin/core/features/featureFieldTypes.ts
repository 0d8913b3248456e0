/**
 * Typed contracts of the distilled feature field (SANeRF-HQ's second feature container): what
 * distillation takes (capture views with their encoder embeddings), what it gives (a low-resolution
 * feature grid aligned with the radiance field, in a principal-component basis of the embeddings),
 * its options and progress. Babylon- and DOM-free.
 */
import type { CameraIntrinsics } from "../capture/captureTypes";
import type { SamImageEmbedding, SamModelFamily } from "../sam/samTypes";
import type { FeatureBasis } from "./featureBasis";

/** One capture view and its encoder embedding. */
export interface FeatureView {
    /** Capture frame index (for messages). */
    readonly frameIndex: number;
    /** Camera-to-world 4 x 4, row-major, OpenGL convention (capture coordinates). */
    readonly cameraToWorld: ArrayLike<number>;
    readonly intrinsics: CameraIntrinsics;
    /** The encoder's output for the view's image (its `image_embeddings` is distilled). */
    readonly embedding: SamImageEmbedding;
}

/** A posed view to render an embedding for (a capture frame or the viewport's camera, capture coordinates). */
export interface FeatureRenderView {
    readonly cameraToWorld: ArrayLike<number>;
    readonly intrinsics: CameraIntrinsics;
}

/** The feature grid: the radiance field's box (and contraction) at its own resolution. */
export interface FeatureFieldGrid {
    readonly boundsMin: readonly [number, number, number];
    readonly boundsMax: readonly [number, number, number];
    readonly gridSize: readonly [number, number, number];
    /** The grid spans the radiance field's contracted space (a whole-scene field). */
    readonly contracted?: boolean;
    /** Features per point (the basis' components). */
    readonly channels: number;
}

/**
 * A distilled feature field on the CPU: features of featureDistill.wgsl's layout (point v, channel
 * c at v * channels + c; the background feature after the last point), the basis they live in,
 * what padding cells of a rendered embedding get, and the model they were distilled from (a
 * rendered embedding only fits that model's decoder).
 */
export interface FeatureFieldData {
    readonly grid: FeatureFieldGrid;
    readonly features: Float32Array;
    readonly basis: FeatureBasis;
    /** 256 values for the encoder's padding cells. */
    readonly padding: Float32Array;
    /** Id of the model whose encoder produced the distilled embeddings. */
    readonly modelId: string;
    readonly family: SamModelFamily;
    /** Views and iterations it was distilled from. */
    readonly metadata: { readonly views: number; readonly iterations: number; readonly finalLoss: number };
}

/** Distillation settings (defaults: {@link DefaultFeatureFieldOptions}). */
export interface FeatureFieldOptions {
    /** Principal components kept (features per grid point). */
    readonly channels: number;
    /** Grid points along the longest axis. */
    readonly gridResolution: number;
    /** Optimisation steps. */
    readonly iterations: number;
    /** Embedding cells (rays) per step. */
    readonly raysPerBatch: number;
    /** Adam learning rate (decays tenfold over the run). */
    readonly learningRate: number;
    /** Sample slots per ray. */
    readonly maxSamplesPerRay: number;
    /** Seed of the batches. */
    readonly seed: number;
    /** Progress every this many steps. */
    readonly progressInterval: number;
}

/** The defaults: 32 components on a 48-point grid, 1 500 steps of 4 096 cells. */
export const DefaultFeatureFieldOptions: FeatureFieldOptions = {
    channels: 32,
    gridResolution: 48,
    iterations: 1500,
    raysPerBatch: 4096,
    learningRate: 0.05,
    maxSamplesPerRay: 128,
    seed: 1,
    progressInterval: 50,
};

/** Progress of a distillation. */
export interface FeatureFieldProgress {
    readonly iteration: number;
    readonly iterations: number;
    /** Mean squared error per channel of the last batch, in units of the basis' scale. */
    readonly loss: number;
    readonly seconds: number;
}

/**
 * Typed contracts of the mask aggregator (SANeRF-HQ's object field): what fusion takes (per-view
 * masks with their weights), what it gives (an object field aligned with the radiance field), and
 * its options and progress. Babylon- and DOM-free (used by the fusion worker).
 */
import type { CameraIntrinsics } from "../capture/captureTypes";
import type { RadianceFieldData } from "../nerf/radianceFieldData";

/** One view's mask for fusion. */
export interface FusionMaskView {
    /** Capture frame index (for reports and output names). */
    readonly frameIndex: number;
    /** Camera-to-world 4 x 4, row-major, OpenGL convention (capture coordinates). */
    readonly cameraToWorld: ArrayLike<number>;
    readonly intrinsics: CameraIntrinsics;
    /** Per pixel: 0 background, k object k (1 for a single object). */
    readonly labels: Uint8Array;
    /** How much the view counts: the mask's predicted IoU, or 1; 0 skips the view (invalid). */
    readonly weight: number;
}

/** How the object field turns logits into labels. */
export type ObjectFieldMode = "sigmoid" | "softmax";

/** An object the field holds. */
export interface ObjectFieldObject {
    /** Label in the masks (1..K). */
    readonly id: number;
    readonly name: string;
}

/** The object field's grid: the radiance field's box at its own resolution. */
export interface ObjectFieldGrid {
    readonly boundsMin: readonly [number, number, number];
    readonly boundsMax: readonly [number, number, number];
    readonly gridSize: readonly [number, number, number];
    /** True when the grid spans the radiance field's contracted space (the whole scene), as the field's. */
    readonly contracted?: boolean;
    /** Logits per grid point: K + 1 (softmax; channel 0 = background) or 1 (sigmoid, one object). */
    readonly channels: number;
    readonly mode: ObjectFieldMode;
}

/** Provenance of an object field, saved with it. */
export interface ObjectFieldMetadata {
    /** Fusion iterations run in total (warm starts add up). */
    readonly iterations: number;
    /** Whether the Ray-Pair RGB loss was used. */
    readonly rayPair: boolean;
    /** Name of the capture, if known. */
    readonly captureName?: string;
}

/**
 * A fused object field on the CPU: logits on a grid aligned with the radiance field (layout of
 * shaders/fusion/objectCommon.wgsl: point v, channel c at v * channels + c).
 */
export interface ObjectFieldData {
    readonly grid: ObjectFieldGrid;
    readonly logits: Float32Array;
    readonly objects: readonly ObjectFieldObject[];
    readonly metadata: ObjectFieldMetadata;
}

/** Fusion settings (defaults: {@link DefaultFusionOptions}). */
export interface FusionOptions {
    /** Optimisation steps. */
    readonly iterations: number;
    /** Rays per step (a multiple of 64: 8 x 8 patches). */
    readonly raysPerBatch: number;
    /** Object-grid points along the longest axis; default half the radiance grid's. */
    readonly gridResolution?: number;
    /** Adam learning rate on the logits. */
    readonly learningRate: number;
    /** Ray-Pair RGB loss on (for ablations: off). */
    readonly rayPair: boolean;
    /** Its weight against the mask loss (the released training script's 1). */
    readonly rayPairWeight: number;
    /**
     * The w in its exp(-w cos - eps) (the released code's 10): the loss is near zero once a ray's
     * labels agree with its reference's and pushes hardest where they disagree most.
     */
    readonly rayPairSharpness: number;
    /** Colour distance (Euclidean, RGB in 0..1) under which two rays of a patch count as a pair (the released script's 0.1). */
    readonly rayPairThreshold: number;
    /** Fraction of the iterations after which the Ray-Pair loss switches on (0.75: the last quarter). */
    readonly rayPairStart: number;
    /** Epsilon in the logs (1e-6). */
    readonly epsilon: number;
    /** Most samples per ray. */
    readonly maxSamplesPerRay: number;
    /** Seed of the ray batches. */
    readonly seed: number;
    /** Iterations between progress events. */
    readonly progressInterval: number;
}

/** Default fusion settings. */
export const DefaultFusionOptions: FusionOptions = {
    iterations: 1200,
    raysPerBatch: 4096,
    learningRate: 0.1,
    rayPair: true,
    rayPairWeight: 1,
    rayPairSharpness: 10,
    rayPairThreshold: 0.1,
    rayPairStart: 0.75,
    epsilon: 1e-6,
    maxSamplesPerRay: 128,
    seed: 1,
    progressInterval: 50,
};

/** One progress event of a fusion run. */
export interface FusionProgress {
    readonly iteration: number;
    readonly iterations: number;
    /** Mean loss per ray of the last batch (mask loss + Ray-Pair loss). */
    readonly loss: number;
    /** Whether the Ray-Pair loss was on in that batch. */
    readonly rayPairOn: boolean;
    readonly seconds: number;
}

/** Where fusion ran and how long it took. */
export interface FusionResult {
    readonly field: ObjectFieldData;
    readonly backend: "webgpu" | "cpu";
    readonly iterations: number;
    readonly seconds: number;
    readonly history: readonly FusionProgress[];
}

/** A rendered object mask of one view. */
export interface ObjectMaskImage {
    readonly width: number;
    readonly height: number;
    /** Per pixel: the winning label (0 background, k object k). */
    readonly labels: Uint8Array;
    /** Per pixel: probability of "some object" (1 - background). */
    readonly objectProbability: Float32Array;
}

/** What the fusion worker is asked to prepare (buffers are transferred). */
export interface FusionJob {
    readonly field: RadianceFieldData;
    readonly views: readonly FusionMaskView[];
    readonly objects: readonly ObjectFieldObject[];
    readonly options?: Partial<FusionOptions>;
    /** An earlier field to refine (warm start). */
    readonly warmStart?: ObjectFieldData;
    /** Use WebGPU in the worker when it has it (default true); else the CPU twins. */
    readonly preferGpu?: boolean;
    readonly captureName?: string;
}

/** What the worker prepared. */
export interface FusionJobInfo {
    readonly backend: "webgpu" | "cpu";
    /** Why that backend ("no WebGPU in this worker", ...). */
    readonly backendReason: string;
    readonly grid: ObjectFieldGrid;
}

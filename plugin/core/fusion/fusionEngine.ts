import type { CameraIntrinsics } from "../capture/captureTypes";
import type { FieldParams } from "../../../shaders/nerf/fieldMath";
import { PackFrames, type PackedFrames } from "../nerf/trainingFrames";
import type { ObjectParams } from "../../../shaders/fusion/fusionKernels";
import type { FusionMaskView, FusionOptions, ObjectFieldGrid, ObjectMaskImage } from "./objectFieldTypes";

/** What one fusion step needs besides the engine's own state. */
export interface FusionStepParams {
    /** Seed of this step's patches. */
    readonly seed: number;
    readonly rayPairOn: boolean;
    readonly learningRate: number;
    /** Adam step number (1-based) for the bias corrections. */
    readonly adamStep: number;
}

/** A posed view to render the object field from. */
export interface FusionView {
    readonly cameraToWorld: ArrayLike<number>;
    readonly intrinsics: CameraIntrinsics;
}

/**
 * The kernels of one fusion run, on WebGPU or on their CPU twins: a step (patches, frozen NeRF
 * weights, targets, loss and gradients, Adam), the last batch's loss, the logits, and rendered
 * object masks for any view. Both implementations have the same buffer layouts.
 */
export interface FusionEngine {
    readonly backend: "webgpu" | "cpu";
    /**
     * Runs (or queues) one optimisation step.
     * @param step seed, Ray-Pair switch, learning rate, Adam step
     */
    step(step: FusionStepParams): void;
    /**
     * Mean loss per ray of the last step (waits for it).
     * @returns the loss
     */
    readLossAsync(): Promise<number>;
    /**
     * The logits as they are now.
     * @returns a copy
     */
    downloadLogitsAsync(): Promise<Float32Array>;
    /**
     * Renders the object mask of a view.
     * @param view pose and intrinsics (capture coordinates)
     * @returns labels and object probability per pixel
     */
    renderMaskAsync(view: FusionView): Promise<ObjectMaskImage>;
    /** Frees the engine's buffers. */
    dispose(): void;
}

/** Constants shared by both engines. */
export const FusionEarlyStop = 1e-3;
/** Samples whose NeRF weight is below this are skipped by the fusion kernels. */
export const FusionMinWeight = 1e-4;
/** Side of a fusion patch (8 x 8 = 64 rays, one workgroup). */
export const FusionPatchSide = 8;

/**
 * The fusion frames packed for rayGeneration.wgsl: each view's "image" is its mask (R = label,
 * G = weight * 255, A = 255), so the rays' target colour carries label and weight
 * (fusionTargets.wgsl).
 * @param views the masks (views with weight 0 must already be left out)
 * @returns the packed frames
 */
export function PackFusionFrames(views: readonly FusionMaskView[]): PackedFrames {
    return PackFrames(
        views.map((view) => {
            const { width, height } = view.intrinsics;
            const data = new Uint8ClampedArray(width * height * 4);
            const weight = Math.round(Math.min(1, Math.max(0, view.weight)) * 255);
            for (let i = 0; i < width * height; i++) {
                data[i * 4] = view.labels[i];
                data[i * 4 + 1] = weight;
                data[i * 4 + 3] = 255;
            }
            return { cameraToWorld: Float64Array.from(view.cameraToWorld), intrinsics: view.intrinsics, image: { width, height, data } };
        })
    );
}

/**
 * The object kernels' parameters for a batch.
 * @param grid the object grid
 * @param rayCount rays in the batch
 * @param maxSamples sample slots per ray
 * @param options Ray-Pair switch and constants, training or rendering
 * @param options.rayPair Ray-Pair loss on
 * @param options.training accumulate gradients (false: losses / masks only)
 * @param options.rayPairWeight Ray-Pair loss weight
 * @param options.rayPairSharpness Ray-Pair exponent weight
 * @param options.rayPairThreshold Ray-Pair colour threshold
 * @param options.epsilon log epsilon
 * @returns ObjectParams
 */
export function FusionObjectParams(
    grid: ObjectFieldGrid,
    rayCount: number,
    maxSamples: number,
    options: Pick<FusionOptions, "rayPairWeight" | "rayPairSharpness" | "rayPairThreshold" | "epsilon"> & { rayPair: boolean; training: boolean }
): ObjectParams {
    return {
        boundsMin: grid.boundsMin,
        boundsMax: grid.boundsMax,
        gridSize: grid.gridSize,
        contracted: grid.contracted === true,
        channels: grid.channels,
        softmax: grid.mode === "softmax",
        rayCount,
        maxSamples,
        rayPair: options.rayPair,
        training: options.training,
        rayPairWeight: options.rayPairWeight,
        rayPairThreshold: options.rayPairThreshold,
        rayPairSharpness: options.rayPairSharpness,
        epsilon: options.epsilon,
        minWeight: FusionMinWeight,
    };
}

/**
 * The object grid for a radiance field: the same box and contraction, `resolution` points along its
 * longest axis.
 * @param field the radiance field's grid
 * @param resolution points along the longest axis (default half the radiance grid's)
 * @param channels logits per point
 * @returns the grid
 */
export function ObjectGridFor(field: FieldParams, resolution: number | undefined, channels: number): ObjectFieldGrid {
    const longest = Math.max(...field.gridSize);
    const points = resolution ?? Math.max(8, Math.ceil(longest / 2));
    const gridSize = field.gridSize.map((g) => Math.max(2, Math.round((g * points) / longest))) as [number, number, number];
    return { boundsMin: [...field.boundsMin] as [number, number, number], boundsMax: [...field.boundsMax] as [number, number, number], gridSize, contracted: field.contracted === true, channels, mode: channels === 1 ? "sigmoid" : "softmax" };
}

/**
 * Turns the object kernels' per-ray masks (label, its probability, object probability, opacity)
 * into an image.
 * @param rayMask 4 floats per pixel
 * @param width image width
 * @param height image height
 * @returns the mask image
 */
export function MaskImageFromRays(rayMask: Float32Array, width: number, height: number): ObjectMaskImage {
    const labels = new Uint8Array(width * height);
    const objectProbability = new Float32Array(width * height);
    for (let i = 0; i < width * height; i++) {
        labels[i] = rayMask[i * 4];
        objectProbability[i] = rayMask[i * 4 + 2];
    }
    return { width, height, labels, objectProbability };
}

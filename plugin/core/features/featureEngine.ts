import type { FieldParams } from "../../../shaders/nerf/fieldMath";
import type { FeatureParams } from "../../../shaders/features/featureKernels";
import { PackFrames, type PackedFrames } from "../nerf/trainingFrames";
import type { FeatureFieldGrid, FeatureRenderView } from "./featureFieldTypes";

/** What one distillation step needs besides the engine's own state. */
export interface FeatureStepParams {
    /** Seed of this step's cells and samples. */
    readonly seed: number;
    readonly learningRate: number;
    /** Adam step number (1-based) for the bias corrections. */
    readonly adamStep: number;
}

/**
 * The kernels of one feature field, on WebGPU or on their CPU twins: a distillation step (random
 * embedding cells of the training views, frozen NeRF weights, featureDistill, Adam), the last
 * batch's loss, the features, and rendered features for any view's cell grid.
 */
export interface FeatureEngine {
    readonly backend: "webgpu" | "cpu";
    /**
     * Runs (or queues) one optimisation step.
     * @param step seed, learning rate, Adam step
     */
    step(step: FeatureStepParams): void;
    /**
     * Mean squared error per channel of the last step (waits for it).
     * @returns the loss
     */
    readLossAsync(): Promise<number>;
    /**
     * The features as they are now.
     * @returns a copy
     */
    downloadFeaturesAsync(): Promise<Float32Array>;
    /**
     * Renders the features of a view's cell grid (its intrinsics are the cell grid's: one pixel per cell).
     * @param view pose and cell-grid intrinsics
     * @returns width * height * channels values, row-major
     */
    renderFeaturesAsync(view: FeatureRenderView): Promise<Float32Array>;
    /** Frees the engine's buffers. */
    dispose(): void;
}

/** Transmittance at which the feature rays stop (as fusion's). */
export const FeatureEarlyStop = 1e-3;
/** Samples whose NeRF weight is below this are skipped. */
export const FeatureMinWeight = 1e-4;

/**
 * The cell grids of the training views packed for rayGeneration.wgsl: one "pixel" per embedding
 * cell (its colour unused), so a ray's pixel id indexes the targets.
 * @param views cell-grid poses and intrinsics
 * @returns the packed frames
 */
export function PackCellFrames(views: readonly FeatureRenderView[]): PackedFrames {
    return PackFrames(
        views.map((view) => {
            const { width, height } = view.intrinsics;
            return { cameraToWorld: Float64Array.from(view.cameraToWorld), intrinsics: view.intrinsics, image: { width, height, data: new Uint8ClampedArray(width * height * 4) } };
        })
    );
}

/**
 * The featureDistill parameters of a batch.
 * @param grid the feature grid
 * @param rayCount rays in the batch
 * @param maxSamples sample slots per ray
 * @param training accumulate gradients against the targets
 * @returns FeatureParams
 */
export function FeatureKernelParams(grid: FeatureFieldGrid, rayCount: number, maxSamples: number, training: boolean): FeatureParams {
    return { boundsMin: grid.boundsMin, boundsMax: grid.boundsMax, gridSize: grid.gridSize, contracted: grid.contracted === true, channels: grid.channels, rayCount, maxSamples, training, minWeight: FeatureMinWeight };
}

/**
 * The feature grid for a radiance field: the same box and contraction, `resolution` points along
 * its longest axis.
 * @param field the radiance field's grid
 * @param resolution points along the longest axis
 * @param channels features per point
 * @returns the grid
 */
export function FeatureGridFor(field: FieldParams, resolution: number, channels: number): FeatureFieldGrid {
    const longest = Math.max(...field.gridSize);
    const points = Math.min(resolution, longest);
    const gridSize = field.gridSize.map((g) => Math.max(2, Math.round((g * points) / longest))) as [number, number, number];
    return { boundsMin: [...field.boundsMin] as [number, number, number], boundsMax: [...field.boundsMax] as [number, number, number], gridSize, contracted: field.contracted === true, channels };
}

import type { CaptureFrame } from "../capture/captureTypes";
import { VoxelCount } from "../../../shaders/nerf/fieldMath";
import { GradWordsPerPoint } from "../../../shaders/nerf/volumeRenderBackwardKernel";
import { FieldGeometry, type FieldRegion } from "./fieldGeometry";
import { NerfTrainingError } from "./nerfTrainingError";
import type { TrainerOptions } from "./trainerOptions";

/**
 * Refuses frames that cannot train a field: none at all, non-finite intrinsics or poses, or
 * cameras that all sit at one position (identity or copied poses).
 * @param frames the training frames
 */
export function CheckTrainingFrames(frames: readonly Pick<CaptureFrame, "cameraToWorld" | "intrinsics" | "imagePath">[]): void {
    if (frames.length === 0) {
        throw new NerfTrainingError("no training frames (every frame is a holdout view?)", 0);
    }
    for (const frame of frames) {
        const values = [...Array.from(frame.cameraToWorld), frame.intrinsics.fx, frame.intrinsics.fy, frame.intrinsics.cx, frame.intrinsics.cy];
        if (values.some((v) => !Number.isFinite(v))) {
            throw new NerfTrainingError(`${frame.imagePath}: its pose or intrinsics contain a non-finite number`, 0);
        }
    }
    if (frames.length > 1) {
        const origin = (f: (typeof frames)[number]): number[] => [f.cameraToWorld[3], f.cameraToWorld[7], f.cameraToWorld[11]];
        const first = origin(frames[0]);
        const spread = Math.max(...frames.map((frame) => Math.hypot(...origin(frame).map((v, a) => v - first[a]))));
        if (spread < 1e-6) {
            throw new NerfTrainingError(`all ${frames.length} training cameras sit at the same position (${first.map((v) => v.toFixed(3)).join(", ")}): the poses look wrong (identity or copied matrices?)`, 0);
        }
    }
}

/**
 * Refuses a budget whose final grid cannot exist on the device, before any training: the largest
 * buffer of the grid's training state (Adam's moments: two floats per gradient word of a point) must fit the
 * device's limits for one buffer and one storage binding.
 * @param limits the device's limits
 * @param bounds the box the field models
 * @param options the trainer options (final grid resolution, step, occupancy scale)
 * @throws NerfTrainingError naming the grid, the bytes it needs and the device's limit
 */
export function CheckTrainingGrid(limits: Pick<GPUSupportedLimits, "maxBufferSize" | "maxStorageBufferBindingSize">, bounds: FieldRegion, options: Pick<TrainerOptions, "budget" | "stepInVoxels" | "occupancyScale">): void {
    const final = FieldGeometry(bounds, options.budget.gridResolution, options.stepInVoxels, 0, options.occupancyScale);
    const largest = VoxelCount(final) * GradWordsPerPoint * 8;
    const limit = Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize);
    if (largest > limit) {
        const MiB = 2 ** 20;
        throw new NerfTrainingError(`a ${final.gridSize.join("x")} grid (grid resolution ${options.budget.gridResolution}) needs ${(largest / MiB).toFixed(0)} MiB in one buffer; this device allows ${(limit / MiB).toFixed(0)} MiB: lower the grid resolution`, 0);
    }
}

import type { GpuContext } from "../gpu/gpuContext";
import { FieldGeometry, OccupiedBounds, type FieldRegion } from "./fieldGeometry";
import { GpuFieldState } from "./gpuFieldState";
import type { NerfKernelSet } from "./nerfKernelSet";
import type { TrainerOptions } from "./trainerOptions";
import type { TrainingLevel } from "./trainingLevel";

/**
 * Grows a training level's grid to `resolution` points on its longest axis: optionally shrinks
 * the box to the occupied region first (bounded fields), resamples density and SH onto the new grid (upsampleGrid
 * kernel), rebuilds occupancy, and frees the old level. Adam moments start from zero.
 * @param context the device
 * @param kernels compiled kernels
 * @param level the current level (disposed here)
 * @param resolution new points along the longest axis
 * @param how tighten the box; trainer options; whether occupancy is past its warm-up
 * @param how.tighten shrink the box to the occupied cells
 * @param how.options trainer options (step, occupancy scale and threshold)
 * @param how.warm occupancy warm-up is over (else every cell stays occupied)
 * @returns the new field state (trainable)
 */
export async function GrowGridAsync(context: GpuContext, kernels: NerfKernelSet, level: TrainingLevel, resolution: number, how: { tighten: boolean; options: TrainerOptions; warm: boolean }): Promise<GpuFieldState> {
    const old = level.state;
    let bounds: FieldRegion = { min: old.params.boundsMin, max: old.params.boundsMax, ...(old.params.contracted ? { contraction: { near: old.params.near ?? 0 } } : {}) };
    // a contracted field keeps its box: its grid already spans the whole scene
    if (how.tighten && how.warm && !old.params.contracted) {
        const bits = (await old.downloadAsync()).occupancy;
        bounds = OccupiedBounds(old.params, bits) ?? bounds;
    }
    const geometry = FieldGeometry(bounds, resolution, how.options.stepInVoxels, old.params.densityShift, how.options.occupancyScale);
    old.releaseTraining();
    const next = await GpuFieldState.CreateAsync(context, geometry, true);
    const encoder = context.device.createCommandEncoder({ label: "grow-grid" });
    const pass = encoder.beginComputePass();
    const points = geometry.gridSize[0] * geometry.gridSize[1] * geometry.gridSize[2];
    kernels.upsample.encode(pass, kernels.upsample.bind({ field: next.fieldUniform, source: old.fieldUniform, oldDensity: old.density, oldSh: old.sh, newDensity: next.density, newSh: next.sh }), points);
    pass.end();
    context.device.queue.submit([encoder.finish()]);
    await context.finishAsync();
    level.dispose();
    if (how.warm) {
        const occupancyEncoder = context.device.createCommandEncoder({ label: "grow-occupancy" });
        const cells = geometry.occupancySize[0] * geometry.occupancySize[1] * geometry.occupancySize[2];
        context.write(next.training!.occupancyStats, new Uint32Array(4));
        const params = context.createUniformBuffer("grow-occupancy-params", Float32Array.from([0, how.options.occupancyThreshold]));
        const occupancyPass = occupancyEncoder.beginComputePass();
        kernels.occupancyUpdate.encode(occupancyPass, kernels.occupancyUpdate.bind({ field: next.fieldUniform, params, density: next.density, cellDensity: next.cellDensity, occupancy: next.occupancy, stats: next.training!.occupancyStats }), Math.ceil(cells / 32));
        occupancyPass.end();
        context.device.queue.submit([occupancyEncoder.finish()]);
        await context.finishAsync();
        context.release(params);
    } else {
        next.fillOccupancy();
    }
    return next;
}

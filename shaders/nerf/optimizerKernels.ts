import adamSource from "./adam.wgsl";
import occupancySource from "./occupancyUpdate.wgsl";
import prepareSource from "./prepareIndirect.wgsl";
import tvSource from "./totalVariation.wgsl";
import upsampleSource from "./upsampleGrid.wgsl";
import type { AdamConstants } from "../common/adamMath";
import { DefineComputeKernel } from "../common/kernelDescriptor";
import { WgslSnippets } from "../common/wgslLibrary";
import { ComposeFieldKernel } from "./nerfKernelCommon";

/** Touched count -> indirect dispatch arguments; see prepareIndirect.wgsl. */
export const PrepareIndirectKernel = DefineComputeKernel({
    label: "prepareIndirect",
    source: prepareSource,
    workgroupSize: 1,
    bindings: { touchedState: "read-only-storage", indirectArgs: "storage" },
});

/** Total-variation gradient on touched points; see totalVariation.wgsl. Dispatched indirectly. */
export const TotalVariationKernel = DefineComputeKernel({
    label: "totalVariation",
    source: ComposeFieldKernel(tvSource),
    workgroupSize: 64,
    bindings: { field: "uniform", params: "uniform", density: "read-only-storage", sh: "read-only-storage", touchedList: "read-only-storage", touchedState: "read-only-storage", grad: "storage" },
});

/** Masked Adam on touched points; see adam.wgsl. Dispatched indirectly. */
export const AdamKernel = DefineComputeKernel({
    label: "adam",
    source: ComposeFieldKernel(adamSource, WgslSnippets.adamStep),
    workgroupSize: 64,
    bindings: { params: "uniform", touchedList: "read-only-storage", touchedState: "read-only-storage", grad: "storage", density: "storage", sh: "storage", moments: "storage" },
});

/** Occupancy bitfield refresh; see occupancyUpdate.wgsl. Dispatch over ceil(cells / 32) words. */
export const OccupancyUpdateKernel = DefineComputeKernel({
    label: "occupancyUpdate",
    source: ComposeFieldKernel(occupancySource),
    workgroupSize: 64,
    bindings: { field: "uniform", params: "uniform", density: "read-only-storage", cellDensity: "storage", occupancy: "storage", stats: "storage" },
});

/** Grid resampling; see upsampleGrid.wgsl. Dispatch over the new grid's points. */
export const UpsampleGridKernel = DefineComputeKernel({
    label: "upsampleGrid",
    source: ComposeFieldKernel(upsampleSource),
    workgroupSize: 64,
    bindings: { field: "uniform", source: "uniform", oldDensity: "read-only-storage", oldSh: "read-only-storage", newDensity: "storage", newSh: "storage" },
});

/** AdamParams of adam.wgsl. */
export interface AdamParams extends AdamConstants {
    readonly lrDensity: number;
    readonly lrColor: number;
    /** FIXED_POINT_SCALE of the gradient words (deterministic mode). */
    readonly fixedPointScale: number;
}

/**
 * Packs AdamParams.
 * @param params the parameters
 * @returns 8 f32
 */
export function PackAdamParams(params: AdamParams): Float32Array {
    return Float32Array.from([params.lrDensity, params.lrColor, params.beta1, params.beta2, params.epsilon, params.biasCorrection1, params.biasCorrection2, params.fixedPointScale]);
}

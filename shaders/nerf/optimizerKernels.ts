import adamSource from "./adam.wgsl";
import occupancySource from "./occupancyUpdate.wgsl";
import prepareSource from "./prepareIndirect.wgsl";
import tvSource from "./totalVariation.wgsl";
import upsampleSource from "./upsampleGrid.wgsl";
import { DefineKernel } from "../common/kernelDescriptor";
import { ComposeFieldKernel } from "./nerfKernelCommon";

/** Touched count -> indirect dispatch arguments; see prepareIndirect.wgsl. */
export const PrepareIndirectKernel = DefineKernel({
    label: "prepareIndirect",
    source: prepareSource,
    entryPoint: "main",
    workgroupSize: 1,
    bindings: [
        { name: "touchedState", binding: 0, kind: "read-only-storage" },
        { name: "indirectArgs", binding: 1, kind: "storage" },
    ],
});

/** Total-variation gradient on touched points; see totalVariation.wgsl. Dispatched indirectly. */
export const TotalVariationKernel = DefineKernel({
    label: "totalVariation",
    source: ComposeFieldKernel(tvSource),
    entryPoint: "main",
    workgroupSize: 64,
    bindings: [
        { name: "field", binding: 0, kind: "uniform" },
        { name: "params", binding: 1, kind: "uniform" },
        { name: "density", binding: 2, kind: "read-only-storage" },
        { name: "sh", binding: 3, kind: "read-only-storage" },
        { name: "touchedList", binding: 4, kind: "read-only-storage" },
        { name: "touchedState", binding: 5, kind: "read-only-storage" },
        { name: "grad", binding: 6, kind: "storage" },
    ],
});

/** Masked Adam on touched points; see adam.wgsl. Dispatched indirectly. */
export const AdamKernel = DefineKernel({
    label: "adam",
    source: ComposeFieldKernel(adamSource),
    entryPoint: "main",
    workgroupSize: 64,
    bindings: [
        { name: "params", binding: 0, kind: "uniform" },
        { name: "touchedList", binding: 1, kind: "read-only-storage" },
        { name: "touchedState", binding: 2, kind: "read-only-storage" },
        { name: "grad", binding: 3, kind: "storage" },
        { name: "density", binding: 4, kind: "storage" },
        { name: "sh", binding: 5, kind: "storage" },
        { name: "moments", binding: 6, kind: "storage" },
    ],
});

/** Occupancy bitfield refresh; see occupancyUpdate.wgsl. Dispatch over ceil(cells / 32) words. */
export const OccupancyUpdateKernel = DefineKernel({
    label: "occupancyUpdate",
    source: ComposeFieldKernel(occupancySource),
    entryPoint: "main",
    workgroupSize: 64,
    bindings: [
        { name: "field", binding: 0, kind: "uniform" },
        { name: "params", binding: 1, kind: "uniform" },
        { name: "density", binding: 2, kind: "read-only-storage" },
        { name: "cellDensity", binding: 3, kind: "storage" },
        { name: "occupancy", binding: 4, kind: "storage" },
        { name: "stats", binding: 5, kind: "storage" },
    ],
});

/** Grid resampling; see upsampleGrid.wgsl. Dispatch over the new grid's points. */
export const UpsampleGridKernel = DefineKernel({
    label: "upsampleGrid",
    source: ComposeFieldKernel(upsampleSource),
    entryPoint: "main",
    workgroupSize: 64,
    bindings: [
        { name: "field", binding: 0, kind: "uniform" },
        { name: "source", binding: 1, kind: "uniform" },
        { name: "oldDensity", binding: 2, kind: "read-only-storage" },
        { name: "oldSh", binding: 3, kind: "read-only-storage" },
        { name: "newDensity", binding: 4, kind: "storage" },
        { name: "newSh", binding: 5, kind: "storage" },
    ],
});

/** AdamParams of adam.wgsl. */
export interface AdamParams {
    readonly lrDensity: number;
    readonly lrColor: number;
    readonly beta1: number;
    readonly beta2: number;
    readonly epsilon: number;
    /** 1 / (1 - beta1^t). */
    readonly biasCorrection1: number;
    /** 1 / (1 - beta2^t). */
    readonly biasCorrection2: number;
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

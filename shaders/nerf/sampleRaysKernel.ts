import source from "./sampleRays.wgsl";
import { DefineComputeKernel } from "../common/kernelDescriptor";
import { ComposeRayKernel } from "./nerfKernelCommon";

/** Ray sampling against the occupancy grid; see sampleRays.wgsl. SampleParams is 4 u32. */
export const SampleRaysKernel = DefineComputeKernel({
    label: "sampleRays",
    source: ComposeRayKernel(source),
    workgroupSize: 64,
    bindings: { field: "uniform", params: "uniform", rays: "read-only-storage", occupancy: "read-only-storage", sampleT: "storage", sampleCount: "storage" },
});

/** SampleParams of sampleRays.wgsl. */
export interface SampleParams {
    readonly rayCount: number;
    readonly maxSamples: number;
    readonly seed: number;
    readonly jitter: boolean;
}

/**
 * Packs SampleParams.
 * @param params the parameters
 * @returns 4 u32
 */
export function PackSampleParams(params: SampleParams): Uint32Array {
    return Uint32Array.from([params.rayCount, params.maxSamples, params.seed >>> 0, params.jitter ? 1 : 0]);
}

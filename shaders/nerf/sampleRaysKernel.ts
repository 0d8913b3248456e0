import source from "./sampleRays.wgsl";
import { DefineKernel } from "../common/kernelDescriptor";
import { ComposeFieldKernel } from "./nerfKernelCommon";

/** Ray sampling against the occupancy grid; see sampleRays.wgsl. SampleParams is 4 u32. */
export const SampleRaysKernel = DefineKernel({
    label: "sampleRays",
    source: ComposeFieldKernel(source),
    entryPoint: "main",
    workgroupSize: 64,
    bindings: [
        { name: "field", binding: 0, kind: "uniform" },
        { name: "params", binding: 1, kind: "uniform" },
        { name: "rays", binding: 2, kind: "read-only-storage" },
        { name: "occupancy", binding: 3, kind: "read-only-storage" },
        { name: "sampleT", binding: 4, kind: "storage" },
        { name: "sampleCount", binding: 5, kind: "storage" },
    ],
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

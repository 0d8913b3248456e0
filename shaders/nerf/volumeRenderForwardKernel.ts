import source from "./volumeRenderForward.wgsl";
import { DefineComputeKernel } from "../common/kernelDescriptor";
import { ComposeRayKernel } from "./nerfKernelCommon";

/** Volume rendering, forward; see volumeRenderForward.wgsl. Reads RenderParams (rayCommon.wgsl). */
export const VolumeRenderForwardKernel = DefineComputeKernel({
    label: "volumeRenderForward",
    source: ComposeRayKernel(source),
    workgroupSize: 64,
    bindings: { field: "uniform", params: "uniform", rays: "read-only-storage", sampleT: "read-only-storage", sampleCount: "read-only-storage", density: "read-only-storage", sh: "read-only-storage", results: "storage", rayLoss: "storage" },
});

/** RenderParams of rayCommon.wgsl: the uniform of volumeRenderForward, volumeRenderBackward and fieldWeights. */
export interface RenderParams {
    readonly rayCount: number;
    readonly maxSamples: number;
    readonly training: boolean;
    /** Stop a ray once its transmittance falls below this. */
    readonly earlyStop: number;
    /** Weight of the distortion regulariser in the backward pass (volumeRenderBackward.wgsl); 0 or absent: off. */
    readonly distortion?: number;
}

/** Bytes of packed RenderParams (3 u32, 2 f32, padding). */
export const RenderParamsBytes = 32;

/** Bytes of one RayResult (3 vec4: colour, extra, gradient; rayCommon.wgsl). */
export const RayResultBytes = 48;

/**
 * Packs RenderParams.
 * @param params the parameters
 * @returns RenderParamsBytes bytes
 */
export function PackRenderParams(params: RenderParams): ArrayBuffer {
    const buffer = new ArrayBuffer(RenderParamsBytes);
    new Uint32Array(buffer).set([params.rayCount, params.maxSamples, params.training ? 1 : 0]);
    new Float32Array(buffer).set([params.earlyStop, params.distortion ?? 0], 3);
    return buffer;
}

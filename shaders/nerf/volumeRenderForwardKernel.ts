import source from "./volumeRenderForward.wgsl";
import { DefineKernel } from "../common/kernelDescriptor";
import { ComposeFieldKernel } from "./nerfKernelCommon";

/** Volume rendering, forward; see volumeRenderForward.wgsl. RenderParams: 3 u32 + 2 f32 (32 bytes with padding). */
export const VolumeRenderForwardKernel = DefineKernel({
    label: "volumeRenderForward",
    source: ComposeFieldKernel(source),
    entryPoint: "main",
    workgroupSize: 64,
    bindings: [
        { name: "field", binding: 0, kind: "uniform" },
        { name: "params", binding: 1, kind: "uniform" },
        { name: "rays", binding: 2, kind: "read-only-storage" },
        { name: "sampleT", binding: 3, kind: "read-only-storage" },
        { name: "sampleCount", binding: 4, kind: "read-only-storage" },
        { name: "density", binding: 5, kind: "read-only-storage" },
        { name: "sh", binding: 6, kind: "read-only-storage" },
        { name: "results", binding: 7, kind: "storage" },
        { name: "rayLoss", binding: 8, kind: "storage" },
    ],
});

/** RenderParams of the forward and backward kernels. */
export interface RenderParams {
    readonly rayCount: number;
    readonly maxSamples: number;
    readonly training: boolean;
    /** Stop a ray once its transmittance falls below this. */
    readonly earlyStop: number;
    /** Weight of the distortion regulariser in the backward pass (volumeRenderBackward.wgsl); 0 or absent: off. */
    readonly distortion?: number;
}

/** Bytes of packed RenderParams. */
export const RenderParamsBytes = 32;

/** Bytes of one RayResult (3 vec4: colour, extra, gradient). */
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

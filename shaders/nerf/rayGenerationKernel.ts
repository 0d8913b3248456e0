import source from "./rayGeneration.wgsl";
import { DefineComputeKernel } from "../common/kernelDescriptor";
import frameCameras from "./frameCameras.wgsl";
import { ComposeRayKernel } from "./nerfKernelCommon";

/** Ray generation; see rayGeneration.wgsl. RayParams is 8 u32. */
export const RayGenerationKernel = DefineComputeKernel({
    label: "rayGeneration",
    source: ComposeRayKernel(source, frameCameras),
    workgroupSize: 64,
    bindings: { field: "uniform", params: "uniform", cameras: "read-only-storage", pixels: "read-only-storage", rays: "storage" },
});

/** RayParams of rayGeneration.wgsl. */
export interface RayParams {
    readonly rayCount: number;
    readonly frameCount: number;
    readonly totalPixels: number;
    readonly seed: number;
    /** 0 = random training batch, 1 = render one frame's pixels, 2 = random square patches (fusion). */
    readonly mode: 0 | 1 | 2;
    /** Frame to render (mode 1), or the patch side S (mode 2). */
    readonly frame: number;
    readonly firstRay: number;
    /** RayBackground code. */
    readonly background: number;
}

/**
 * Packs RayParams for the uniform buffer.
 * @param params the parameters
 * @returns 8 u32
 */
export function PackRayParams(params: RayParams): Uint32Array {
    return Uint32Array.from([params.rayCount, params.frameCount, params.totalPixels, params.seed >>> 0, params.mode, params.frame, params.firstRay, params.background]);
}

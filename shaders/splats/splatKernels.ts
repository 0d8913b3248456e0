import splatBlendSource from "./splatBlend.wgsl";
import { DefineComputeKernel } from "../common/kernelDescriptor";
import { ComposeWgsl, WgslSnippets } from "../common/wgslLibrary";

/** Front-to-back blending of projected splats per pixel, rendering or summing label weights; see splatBlend.wgsl. Dispatch over pixels. */
export const SplatBlendKernel = DefineComputeKernel({
    label: "splatBlend",
    source: ComposeWgsl(splatBlendSource, WgslSnippets.linearIndex, WgslSnippets.atomicAccumulate),
    workgroupSize: 64,
    bindings: {
        params: "uniform",
        entries: "read-only-storage",
        tileRanges: "read-only-storage",
        tileEntries: "read-only-storage",
        pixelLabels: "read-only-storage",
        image: "storage",
        weights: "storage",
    },
});

/** BlendParams of splatBlend.wgsl. */
export interface SplatBlendParams {
    readonly width: number;
    readonly height: number;
    readonly tilesX: number;
    /** 0: render colour, opacity and depth; K + 1: sum weights per splat into K objects' slots and slot 0 (outside). */
    readonly labelSlots: number;
}

/**
 * Packs BlendParams (16 bytes).
 * @param params the parameters
 * @returns the uniform's bytes
 */
export function PackSplatBlendParams(params: SplatBlendParams): ArrayBuffer {
    return new Uint32Array([params.width, params.height, params.tilesX, params.labelSlots]).buffer;
}

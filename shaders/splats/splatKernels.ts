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
    /** Labels mode: sum each weight (1) or its square (2). */
    readonly weightPower?: 1 | 2;
}

/**
 * Packs BlendParams (32 bytes: five u32 padded to the uniform's 16-byte size).
 * @param params the parameters
 * @returns the uniform's bytes
 */
export function PackSplatBlendParams(params: SplatBlendParams): ArrayBuffer {
    return new Uint32Array([params.width, params.height, params.tilesX, params.labelSlots, params.weightPower ?? 1, 0, 0, 0]).buffer;
}

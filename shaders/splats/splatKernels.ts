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
    /** Labels mode: which pixels vote for a splat, and how much (default footprint). */
    readonly vote?: SplatLabelVote;
    /** Centre votes: how far behind the surface a pixel shows a splat may lie and still vote, as a share of that surface's depth. */
    readonly surfaceTolerance?: number;
}

/**
 * Which pixels of a view vote for a splat's label, and with what: "footprint" every pixel it
 * covers with its blending weight w (FlashSplat's form), "footprintSquared" every pixel with w^2,
 * "centre" only the pixel holding the splat's projected centre, with the splat's alpha there shared
 * among the four pixels around the centre by bilinear weights (the mask read at the centre), when
 * the splat lies on the surface that pixel shows (its footprintSquared votes are summed beside,
 * for splats whose centre no view shows on a surface).
 */
export type SplatLabelVote = "footprint" | "footprintSquared" | "centre";

/** BlendParams.vote's value for each vote. */
export const SplatLabelVoteCode: Readonly<Record<SplatLabelVote, number>> = { footprint: 0, footprintSquared: 1, centre: 2 };

/**
 * Packs BlendParams (32 bytes: five u32 and an f32, padded to a multiple of 16 bytes).
 * @param params the parameters
 * @returns the uniform's bytes
 */
export function PackSplatBlendParams(params: SplatBlendParams): ArrayBuffer {
    const words = new Uint32Array([params.width, params.height, params.tilesX, params.labelSlots, SplatLabelVoteCode[params.vote ?? "footprint"], 0, 0, 0]);
    new Float32Array(words.buffer)[5] = params.surfaceTolerance ?? 0;
    return words.buffer;
}

import { SplatLabelVoteCode, type SplatBlendParams } from "./splatKernels";

/** The buffers of one splatBlend pass, laid out as splatBlend.wgsl reads and writes them. */
export interface SplatBlendBuffers {
    readonly entries: Float32Array;
    readonly tileRanges: Uint32Array;
    readonly tileEntries: Uint32Array;
    /** One label per pixel (labels mode). */
    readonly pixelLabels: Uint32Array | null;
    /** 5 floats per pixel (render mode, out). */
    readonly image: Float32Array | null;
    /** labelSlots floats per splat, 2 * labelSlots with centre votes (labels mode, added to). */
    readonly weights: Float32Array | null;
}

/** Centre votes: a splat reaches the surface a pixel shows when its depth less this many of its depth sigmas lies in front of it (SURFACE_SIGMAS). */
const SurfaceSigmas = 2;

/** A splat's alpha at a pixel centre (splatAlpha in the kernel), 0 where it is skipped. */
function SplatAlpha(entries: Float32Array, e: number, x: number, y: number): number {
    const f = Math.fround;
    const dx = f(entries[e] - (x + 0.5));
    const dy = f(entries[e + 1] - (y + 0.5));
    const power = f(-0.5 * (entries[e + 4] * dx * dx + entries[e + 6] * dy * dy) - entries[e + 5] * dx * dy);
    if (power > 0) {
        return 0;
    }
    const alpha = f(Math.min(0.99, entries[e + 3] * Math.exp(power)));
    return alpha < 1 / 255 ? 0 : alpha;
}

/** Centre votes: the depth of the surface a pixel shows, widened by the tolerance (infinite where nothing is drawn). */
function SurfaceDepth(params: SplatBlendParams, buffers: SplatBlendBuffers, tile: number, x: number, y: number): number {
    const { entries, tileRanges, tileEntries } = buffers;
    let shown = 1;
    let weightedDepth = 0;
    for (let k = tileRanges[tile * 2]; k < tileRanges[tile * 2 + 1]; k++) {
        const e = tileEntries[k] * 12;
        const alpha = SplatAlpha(entries, e, x, y);
        if (alpha === 0) {
            continue;
        }
        const next = Math.fround(shown * (1 - alpha));
        if (next < 0.0001) {
            break;
        }
        weightedDepth += alpha * shown * entries[e + 2];
        shown = next;
    }
    return shown < 1 ? (weightedDepth / (1 - shown)) * (1 + (params.surfaceTolerance ?? 0)) : Infinity;
}

/**
 * CPU twin of splatBlend.wgsl: the same loop per pixel over the same buffers, in f32 where the
 * kernel rounds (Math.fround), so the parity tests compare like with like.
 * @param params the pass's parameters
 * @param buffers its buffers
 */
export function SplatBlendCpu(params: SplatBlendParams, buffers: SplatBlendBuffers): void {
    const { entries, tileRanges, tileEntries } = buffers;
    const bits = new Uint32Array(entries.buffer, entries.byteOffset, entries.length);
    const f = Math.fround;
    const vote = SplatLabelVoteCode[params.vote ?? "footprint"];
    const centreVotes = params.labelSlots > 0 && vote === SplatLabelVoteCode.centre;
    const slots = params.labelSlots;
    for (let pixel = 0; pixel < params.width * params.height; pixel++) {
        const x = pixel % params.width;
        const y = Math.floor(pixel / params.width);
        const tile = Math.floor(y / 16) * params.tilesX + Math.floor(x / 16);
        const label = slots > 0 ? Math.min(buffers.pixelLabels?.[pixel] ?? 0, slots - 1) : 0;
        const surfaceDepth = centreVotes ? SurfaceDepth(params, buffers, tile, x, y) : Infinity;
        let transmittance = 1;
        let r = 0;
        let g = 0;
        let b = 0;
        let depth = 0;
        for (let k = tileRanges[tile * 2]; k < tileRanges[tile * 2 + 1]; k++) {
            const e = tileEntries[k] * 12;
            const alpha = SplatAlpha(entries, e, x, y);
            if (alpha === 0) {
                continue;
            }
            const next = f(transmittance * (1 - alpha));
            if (next < 0.0001) {
                break;
            }
            const weight = f(alpha * transmittance);
            if (slots > 0) {
                const weights = buffers.weights!;
                if (centreVotes) {
                    const base = bits[e + 7] * slots * 2;
                    weights[base + slots + label] = f(weights[base + slots + label] + f(weight * weight));
                    const onSurface = entries[e + 2] - SurfaceSigmas * entries[e + 11] <= surfaceDepth;
                    if (onSurface && Math.floor(entries[e]) === x && Math.floor(entries[e + 1]) === y) {
                        CentreVote(params, buffers.pixelLabels!, weights, base, entries[e], entries[e + 1], alpha);
                    }
                } else {
                    const slot = bits[e + 7] * slots + label;
                    weights[slot] = f(weights[slot] + (vote === SplatLabelVoteCode.footprintSquared ? f(weight * weight) : weight));
                }
            } else {
                r += weight * entries[e + 8];
                g += weight * entries[e + 9];
                b += weight * entries[e + 10];
                depth += weight * entries[e + 2];
            }
            transmittance = next;
        }
        if (slots === 0 && buffers.image) {
            buffers.image.set([r, g, b, 1 - transmittance, depth], pixel * 5);
        }
    }
}

/**
 * A centre vote (the WGSL's centreVote): the splat's alpha shared among the four pixels around its
 * projected centre with bilinear weights between their centres, each share to its pixel's label
 * (the mask read at the centre itself, not at the nearest pixel centre).
 */
function CentreVote(params: SplatBlendParams, pixelLabels: Uint32Array, weights: Float32Array, base: number, u: number, v: number, alpha: number): void {
    const f = Math.fround;
    const gx = f(u - 0.5);
    const gy = f(v - 0.5);
    const x0 = Math.floor(gx);
    const y0 = Math.floor(gy);
    const tx = f(gx - x0);
    const ty = f(gy - y0);
    for (let n = 0; n < 4; n++) {
        const dx = n & 1;
        const dy = n >> 1;
        const nx = Math.min(Math.max(x0 + dx, 0), params.width - 1);
        const ny = Math.min(Math.max(y0 + dy, 0), params.height - 1);
        const w = f(f(dx === 1 ? tx : 1 - tx) * f(dy === 1 ? ty : 1 - ty));
        const slot = base + Math.min(pixelLabels[ny * params.width + nx], params.labelSlots - 1);
        weights[slot] = f(weights[slot] + f(alpha * w));
    }
}

import type { SplatBlendParams } from "./splatKernels";

/** The buffers of one splatBlend pass, laid out as splatBlend.wgsl reads and writes them. */
export interface SplatBlendBuffers {
    readonly entries: Float32Array;
    readonly tileRanges: Uint32Array;
    readonly tileEntries: Uint32Array;
    /** One label per pixel (labels mode). */
    readonly pixelLabels: Uint32Array | null;
    /** 5 floats per pixel (render mode, out). */
    readonly image: Float32Array | null;
    /** labelSlots floats per splat (labels mode, added to). */
    readonly weights: Float32Array | null;
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
    for (let pixel = 0; pixel < params.width * params.height; pixel++) {
        const x = pixel % params.width;
        const y = Math.floor(pixel / params.width);
        const tile = Math.floor(y / 16) * params.tilesX + Math.floor(x / 16);
        const label = params.labelSlots > 0 ? Math.min(buffers.pixelLabels?.[pixel] ?? 0, params.labelSlots - 1) : 0;
        let transmittance = 1;
        let r = 0;
        let g = 0;
        let b = 0;
        let depth = 0;
        for (let k = tileRanges[tile * 2]; k < tileRanges[tile * 2 + 1]; k++) {
            const e = tileEntries[k] * 12;
            const dx = f(entries[e] - (x + 0.5));
            const dy = f(entries[e + 1] - (y + 0.5));
            const power = f(-0.5 * (entries[e + 4] * dx * dx + entries[e + 6] * dy * dy) - entries[e + 5] * dx * dy);
            if (power > 0) {
                continue;
            }
            const alpha = f(Math.min(0.99, entries[e + 3] * Math.exp(power)));
            if (alpha < 1 / 255) {
                continue;
            }
            const next = f(transmittance * (1 - alpha));
            if (next < 0.0001) {
                break;
            }
            const weight = f(alpha * transmittance);
            if (params.labelSlots > 0) {
                const slot = bits[e + 7] * params.labelSlots + label;
                buffers.weights![slot] = f(buffers.weights![slot] + (params.weightPower === 2 ? f(weight * weight) : weight));
            } else {
                r += weight * entries[e + 8];
                g += weight * entries[e + 9];
                b += weight * entries[e + 10];
                depth += weight * entries[e + 2];
            }
            transmittance = next;
        }
        if (params.labelSlots === 0 && buffers.image) {
            buffers.image.set([r, g, b, 1 - transmittance, depth], pixel * 5);
        }
    }
}

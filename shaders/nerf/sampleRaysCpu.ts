import { OccupancyBit, OccupancyCellAt, Random01, type FieldParams } from "./fieldMath";
import type { SampleParams } from "./sampleRaysKernel";

/**
 * CPU twin of sampleRays.wgsl.
 * @param field grid parameters
 * @param params sample parameters
 * @param rays the Ray buffer (16 floats per ray)
 * @param occupancy occupancy bits
 * @returns sampleT (rayCount * maxSamples) and sampleCount
 */
export function SampleRaysCpu(field: FieldParams, params: SampleParams, rays: ArrayBuffer, occupancy: Uint32Array): { sampleT: Float32Array; sampleCount: Uint32Array } {
    const f = new Float32Array(rays);
    const sampleT = new Float32Array(params.rayCount * params.maxSamples);
    const sampleCount = new Uint32Array(params.rayCount);
    for (let r = 0; r < params.rayCount; r++) {
        const o = r * 16;
        const origin = [f[o], f[o + 1], f[o + 2]];
        const direction = [f[o + 4], f[o + 5], f[o + 6]];
        const tNear = f[o + 3];
        const tFar = f[o + 7];
        const offset = params.jitter ? Random01(params.seed, r) : 0.5;
        let count = 0;
        if (tNear < tFar) {
            const steps = Math.max(0, Math.ceil(Math.fround((tFar - tNear) / field.stepSize - offset)));
            for (let k = 0; k < steps && count < params.maxSamples; k++) {
                const t = Math.fround(tNear + (k + offset) * field.stepSize);
                const p = [0, 1, 2].map((a) => origin[a] + t * direction[a]);
                if (OccupancyBit(occupancy, OccupancyCellAt(field, p))) {
                    sampleT[r * params.maxSamples + count++] = t;
                }
            }
        }
        sampleCount[r] = count;
    }
    return { sampleT, sampleCount };
}

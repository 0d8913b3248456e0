import { MarchDistance, MarchSteps, OccupancyBit, OccupancyCellAt, Random01, type FieldParams } from "./fieldMath";
import type { SampleParams } from "./sampleRaysKernel";
import { PointAt, RayAt } from "./rayMath";

/**
 * CPU twin of sampleRays.wgsl.
 * @param field grid parameters
 * @param params sample parameters
 * @param rays the Ray buffer (rayCommon.wgsl)
 * @param occupancy occupancy bits
 * @returns sampleT (rayCount * maxSamples) and sampleCount
 */
export function SampleRaysCpu(field: FieldParams, params: SampleParams, rays: ArrayBuffer, occupancy: Uint32Array): { sampleT: Float32Array; sampleCount: Uint32Array } {
    const f = new Float32Array(rays);
    const sampleT = new Float32Array(params.rayCount * params.maxSamples);
    const sampleCount = new Uint32Array(params.rayCount);
    for (let r = 0; r < params.rayCount; r++) {
        const ray = RayAt(f, r);
        const { tNear, tFar } = ray;
        const offset = params.jitter ? Random01(params.seed, r) : 0.5;
        let count = 0;
        if (tNear < tFar) {
            const steps = MarchSteps(field, tNear, tFar, offset);
            for (let k = 0; k < steps && count < params.maxSamples; k++) {
                const t = MarchDistance(field, tNear, tFar, Math.fround(k + offset));
                if (OccupancyBit(occupancy, OccupancyCellAt(field, PointAt(ray, t)))) {
                    sampleT[r * params.maxSamples + count++] = t;
                }
            }
        }
        sampleCount[r] = count;
    }
    return { sampleT, sampleCount };
}

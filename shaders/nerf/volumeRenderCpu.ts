import { MarchCoordinate, SampleWidth, ShBasis, Sigmoid, SigmaOf, StepAlpha, type FieldParams } from "./fieldMath";
import { FieldDensityAt, FieldSampleAt, PointAt, RayAt, type RayView } from "./rayMath";
import type { RenderParams } from "./volumeRenderForwardKernel";

/**
 * CPU twin of volumeRenderForward.wgsl: same RayResult layout (12 floats per ray) and loss.
 * @param field grid parameters
 * @param params render parameters
 * @param rays Ray buffer
 * @param sampleT sample distances
 * @param sampleCount samples per ray
 * @param density raw density per grid point
 * @param sh 12 SH coefficients per grid point
 * @returns results (12 floats per ray) and per-ray loss
 */
export function VolumeRenderForwardCpu(field: FieldParams, params: RenderParams, rays: ArrayBuffer, sampleT: Float32Array, sampleCount: Uint32Array, density: Float32Array, sh: Float32Array): { results: Float32Array; rayLoss: Float32Array } {
    const f = new Float32Array(rays);
    const results = new Float32Array(params.rayCount * 12);
    const rayLoss = new Float32Array(params.rayCount);
    for (let r = 0; r < params.rayCount; r++) {
        const ray = RayAt(f, r);
        const basis = ShBasis(ray.direction);
        let transmittance = 1;
        const colour = [0, 0, 0];
        let depth = 0;
        let used = 0;
        let nonFinite = false;
        for (let i = 0; i < sampleCount[r]; i++) {
            const t = sampleT[r * params.maxSamples + i];
            const sample = FieldSampleAt(field, density, sh, PointAt(ray, t), basis);
            nonFinite ||= !Number.isFinite(sample.raw) || !Number.isFinite(sample.colour[0] + sample.colour[1] + sample.colour[2]);
            const alpha = StepAlpha(SigmaOf(field, sample.raw), SampleWidth(field, ray.tFar, t));
            const w = transmittance * alpha;
            for (let ch = 0; ch < 3; ch++) {
                colour[ch] += w * sample.colour[ch];
            }
            depth += w * t;
            transmittance *= 1 - alpha;
            used = i + 1;
            if (transmittance < params.earlyStop) {
                break;
            }
        }
        const opacity = 1 - transmittance;
        const final = colour.map((c, ch) => c + transmittance * ray.background[ch]);
        const o = r * 12;
        results.set([final[0], final[1], final[2], opacity, depth / Math.max(opacity, 1e-6), used, 0, transmittance], o);
        if (params.training) {
            const error = final.map((c, ch) => c - ray.target[ch]);
            const loss = nonFinite ? 1e9 : error[0] ** 2 + error[1] ** 2 + error[2] ** 2;
            rayLoss[r] = loss;
            results[o + 6] = loss;
            results.set([2 * error[0], 2 * error[1], 2 * error[2], 0], o + 8);
        }
    }
    return { results, rayLoss };
}

/** A ray's sample weights w_i and march coordinates m_i (the distortion regulariser's terms). */
function RayWeights(field: FieldParams, density: Float32Array, ray: RayView, sampleT: Float32Array, base: number, used: number): { w: number[]; m: number[] } {
    const w: number[] = [];
    const m: number[] = [];
    let transmittance = 1;
    for (let i = 0; i < used; i++) {
        const t = sampleT[base + i];
        const alpha = StepAlpha(SigmaOf(field, FieldDensityAt(field, density, PointAt(ray, t))), SampleWidth(field, ray.tFar, t));
        w.push(transmittance * alpha);
        m.push(MarchCoordinate(field, ray.tFar, t));
        transmittance *= 1 - alpha;
    }
    return { w, m };
}

/**
 * The distortion regulariser of a batch (see volumeRenderBackward.wgsl), summed over its rays:
 * lambda * (sum_ij w_i w_j |m_i - m_j| + 1/3 sum_i w_i^2), by the direct double sum.
 * @param field grid parameters
 * @param params render parameters (distortion = lambda)
 * @param rays Ray buffer
 * @param sampleT sample distances
 * @param results the forward pass's results (samples used per ray)
 * @param density raw density per grid point
 * @returns the regulariser's value
 */
export function DistortionLossCpu(field: FieldParams, params: RenderParams, rays: ArrayBuffer, sampleT: Float32Array, results: Float32Array, density: Float32Array): number {
    const f = new Float32Array(rays);
    let total = 0;
    for (let r = 0; r < params.rayCount; r++) {
        const ray = RayAt(f, r);
        const { w, m } = RayWeights(field, density, ray, sampleT, r * params.maxSamples, results[r * 12 + 5]);
        for (let i = 0; i < w.length; i++) {
            for (let j = 0; j < w.length; j++) {
                total += w[i] * w[j] * Math.abs(m[i] - m[j]);
            }
            total += (w[i] * w[i]) / 3;
        }
    }
    return (params.distortion ?? 0) * total;
}

/**
 * CPU twin of volumeRenderBackward.wgsl: float gradients (13 per grid point, as the grad buffer
 * lays them out) and the set of touched grid points.
 * @param field grid parameters
 * @param params render parameters
 * @param rays Ray buffer
 * @param sampleT sample distances
 * @param density raw density per grid point
 * @param sh 12 SH coefficients per grid point
 * @param results the forward pass's results (with dL/dC)
 * @returns gradients and touched points
 */
export function VolumeRenderBackwardCpu(field: FieldParams, params: RenderParams, rays: ArrayBuffer, sampleT: Float32Array, density: Float32Array, sh: Float32Array, results: Float32Array): { grad: Float64Array; touched: Set<number> } {
    const f = new Float32Array(rays);
    const pointCount = density.length;
    const grad = new Float64Array(pointCount * 13);
    const touched = new Set<number>();
    for (let r = 0; r < params.rayCount; r++) {
        const ray = RayAt(f, r);
        const basis = ShBasis(ray.direction);
        const o = r * 12;
        const used = results[o + 5];
        const final = [results[o], results[o + 1], results[o + 2]];
        const gradC = [results[o + 8], results[o + 9], results[o + 10]];
        // distortion: g_i = dL/dw_i from prefix and suffix sums (the kernel's formulation)
        const lambda = params.distortion ?? 0;
        const { w: weights, m: positions } = lambda > 0 ? RayWeights(field, density, ray, sampleT, r * params.maxSamples, used) : { w: [], m: [] };
        const totalW = weights.reduce((a, b) => a + b, 0);
        const totalWM = weights.reduce((a, b, i) => a + b * positions[i], 0);
        let prefixW = 0;
        let prefixWM = 0;
        const g = weights.map((w, i) => {
            const m = positions[i];
            const value = lambda * (2 * (m * prefixW - prefixWM + (totalWM - prefixWM - w * m) - m * (totalW - prefixW - w)) + (2 * w) / 3);
            prefixW += w;
            prefixWM += w * m;
            return value;
        });
        const totalWG = weights.reduce((a, w, i) => a + w * g[i], 0);
        let prefixWG = 0;
        let transmittance = 1;
        const accumulated = [0, 0, 0];
        for (let i = 0; i < used; i++) {
            const t = sampleT[r * params.maxSamples + i];
            const sample = FieldSampleAt(field, density, sh, PointAt(ray, t), basis);
            const shifted = sample.raw + field.densityShift;
            const width = SampleWidth(field, ray.tFar, t);
            const alpha = StepAlpha(SigmaOf(field, sample.raw), width);
            const w = transmittance * alpha;
            const next = transmittance * (1 - alpha);
            let gradSigma = 0;
            for (let ch = 0; ch < 3; ch++) {
                accumulated[ch] += w * sample.colour[ch];
                gradSigma += gradC[ch] * (next * sample.colour[ch] - (final[ch] - accumulated[ch]));
            }
            gradSigma *= width;
            if (lambda > 0) {
                prefixWG += weights[i] * g[i];
                gradSigma += width * (next * g[i] - (totalWG - prefixWG));
            }
            const gradRaw = shifted > 15 ? gradSigma : gradSigma * Sigmoid(shifted);
            const gradZ = sample.colour.map((c, ch) => gradC[ch] * w * c * (1 - c));
            for (let c = 0; c < 8; c++) {
                const index = sample.corners.index[c];
                const weight = sample.corners.weight[c];
                grad[13 * index] += weight * gradRaw;
                for (let ch = 0; ch < 3; ch++) {
                    for (let b = 0; b < 4; b++) {
                        grad[13 * index + 1 + 4 * ch + b] += weight * gradZ[ch] * basis[b];
                    }
                }
                touched.add(index);
            }
            transmittance = next;
        }
    }
    return { grad, touched };
}

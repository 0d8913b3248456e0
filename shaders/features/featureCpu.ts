import { TrilinearCornersAt, type FieldGridFrame } from "../nerf/fieldMath";
import type { FeatureParams } from "./featureKernels";

/** What featureDistill.wgsl writes, on the CPU. */
export interface FeatureDistillResult {
    /** Rendered feature per ray and channel, [r * channels + c]. */
    readonly rayFeature: Float32Array;
    /** (F_c - E_c)^2 / channels per ray and channel (training only; zeros otherwise). */
    readonly rayLoss: Float32Array;
    /** dL/d(feature) for the grid and the background, in doubles (training only). */
    readonly grad: Float64Array;
    /** Points that received a gradient (the background is point `pointCount`). */
    readonly touched: Set<number>;
}

/**
 * CPU twin of featureDistill.wgsl: every ray's rendered feature and, when training, its squared
 * error against the target of its pixel id and the gradients of the grid and background.
 * @param params the grid and batch
 * @param rays the Ray buffer (pixel id in background.w)
 * @param samples (position, w) per slot
 * @param rayColor (rgb, used) per ray
 * @param targets channels per pixel id (training only)
 * @param features the grid and background, (points + 1) * channels
 * @returns rendered features, losses, gradients and touched points
 */
export function FeatureDistillCpu(params: FeatureParams, rays: ArrayBuffer, samples: Float32Array, rayColor: Float32Array, targets: Float32Array, features: Float32Array): FeatureDistillResult {
    const channels = params.channels;
    const points = params.gridSize[0] * params.gridSize[1] * params.gridSize[2];
    const grid: FieldGridFrame = { boundsMin: params.boundsMin, boundsMax: params.boundsMax, gridSize: params.gridSize, contracted: params.contracted === true };
    const pixelIds = new Uint32Array(rays);
    const rayFeature = new Float32Array(params.rayCount * channels);
    const rayLoss = new Float32Array(params.rayCount * channels);
    const grad = new Float64Array(features.length);
    const touched = new Set<number>();
    for (let r = 0; r < params.rayCount; r++) {
        const used = rayColor[r * 4 + 3];
        const corners: { index: Uint32Array; weight: Float64Array; w: number }[] = [];
        let opacity = 0;
        for (let i = 0; i < used; i++) {
            const o = (r * params.maxSamples + i) * 4;
            const w = samples[o + 3];
            if (w < params.minWeight) {
                continue;
            }
            corners.push({ ...TrilinearCornersAt(grid, samples.subarray(o, o + 3)), w });
            opacity += w;
        }
        const backgroundShare = Math.max(0, 1 - opacity);
        const pixel = pixelIds[r * 16 + 15];
        for (let c = 0; c < channels; c++) {
            let value = 0;
            for (const sample of corners) {
                let f = 0;
                for (let k = 0; k < 8; k++) {
                    f += sample.weight[k] * features[sample.index[k] * channels + c];
                }
                value += sample.w * f;
            }
            value += backgroundShare * features[points * channels + c];
            rayFeature[r * channels + c] = value;
            if (!params.training) {
                continue;
            }
            const difference = value - targets[pixel * channels + c];
            rayLoss[r * channels + c] = (difference * difference) / channels;
            const g = (2 * difference) / channels;
            for (const sample of corners) {
                for (let k = 0; k < 8; k++) {
                    grad[sample.index[k] * channels + c] += g * sample.w * sample.weight[k];
                    touched.add(sample.index[k]);
                }
            }
            grad[points * channels + c] += g * backgroundShare;
            touched.add(points);
        }
    }
    return { rayFeature, rayLoss, grad, touched };
}

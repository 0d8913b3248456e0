import { AdamStepCpu } from "../common/adamMath";
import { AppearanceTransformFloats, type AppearanceParams } from "./appearanceKernels";
import { FrameCameraBytes, RayBytes } from "./nerfKernelCommon";

/** u32 offset of a FrameCamera's firstPixel (size.z; frameCameras.wgsl). */
const FirstPixelWord = 18;

/**
 * CPU twin of frameCameras.wgsl's frameOfPixel: the frame holding a global pixel index.
 * @param cameras the packed FrameCamera structs
 * @param frameCount the frames
 * @param pixel the pixel index over all frames
 * @returns the frame
 */
export function FrameOfPixelCpu(cameras: ArrayBuffer, frameCount: number, pixel: number): number {
    const words = new Uint32Array(cameras);
    const stride = FrameCameraBytes / 4;
    let lo = 0;
    let hi = frameCount - 1;
    while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (words[mid * stride + FirstPixelWord] <= pixel) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    return lo;
}

/**
 * CPU twin of appearanceApply.wgsl: the batch's colours seen through each ray's photo transform,
 * its loss and dL/dC, in place in the same RayResult layout (12 floats per ray).
 * @param params the ray and photo counts
 * @param rays the Ray buffer (background.w holds the pixel index)
 * @param cameras the packed FrameCamera structs
 * @param transforms 12 floats per photo
 * @param results the forward pass's results (gradient and loss updated)
 * @returns the per-ray loss and each ray's photo
 */
export function AppearanceApplyCpu(params: Pick<AppearanceParams, "rayCount" | "frameCount">, rays: ArrayBuffer, cameras: ArrayBuffer, transforms: Float32Array, results: Float32Array): { rayLoss: Float32Array; rayFrame: Uint32Array } {
    const f = new Float32Array(rays);
    const u = new Uint32Array(rays);
    const rayLoss = new Float32Array(params.rayCount);
    const rayFrame = new Uint32Array(params.rayCount);
    const floats = RayBytes / 4;
    for (let r = 0; r < params.rayCount; r++) {
        const frame = FrameOfPixelCpu(cameras, params.frameCount, u[r * floats + 15]);
        rayFrame[r] = frame;
        const o = r * 12;
        const colour = [results[o], results[o + 1], results[o + 2], 1];
        const t = frame * AppearanceTransformFloats;
        const error2 = [0, 1, 2].map((c) => 2 * (Dot4(transforms, t + 4 * c, colour) - f[r * floats + 8 + c]));
        const loss = results[o + 6] >= 1e9 ? 1e9 : 0.25 * (error2[0] ** 2 + error2[1] ** 2 + error2[2] ** 2);
        for (let k = 0; k < 3; k++) {
            results[o + 8 + k] = error2[0] * transforms[t + k] + error2[1] * transforms[t + 4 + k] + error2[2] * transforms[t + 8 + k];
        }
        results[o + 11] = 0;
        results[o + 6] = loss;
        rayLoss[r] = loss;
    }
    return { rayLoss, rayFrame };
}

/**
 * CPU twin of appearanceStep.wgsl: each photo's transform gradient over the batch (plus the pull
 * towards the identity) and one Adam step on the gains and offsets, for photos with rays in the batch.
 * @param params counts, learning rate, regularisation and Adam's constants
 * @param rays the Ray buffer
 * @param results the batch's results (colour C)
 * @param rayFrame each ray's photo
 * @param transforms 12 floats per photo (updated)
 * @param moments 24 floats per photo (updated)
 * @returns the gradient per photo (NaN for photos without rays in the batch and for the cross terms)
 */
export function AppearanceStepCpu(params: AppearanceParams, rays: ArrayBuffer, results: Float32Array, rayFrame: Uint32Array, transforms: Float32Array, moments: Float32Array): Float64Array {
    const f = new Float32Array(rays);
    const floats = RayBytes / 4;
    const sums = new Float64Array(params.frameCount * 13);
    for (let r = 0; r < params.rayCount; r++) {
        const frame = rayFrame[r];
        if (results[r * 12 + 6] >= 1e9) {
            continue;
        }
        const colour = [results[r * 12], results[r * 12 + 1], results[r * 12 + 2], 1];
        const t = frame * AppearanceTransformFloats;
        for (let c = 0; c < 3; c++) {
            const e = 2 * (Dot4(transforms, t + 4 * c, colour) - f[r * floats + 8 + c]);
            for (let k = 0; k < 4; k++) {
                sums[frame * 13 + 4 * c + k] += e * colour[k];
            }
        }
        sums[frame * 13 + 12] += 1;
    }
    const gradient = new Float64Array(params.frameCount * AppearanceTransformFloats).fill(NaN);
    for (let frame = 0; frame < params.frameCount; frame++) {
        const count = sums[frame * 13 + 12];
        if (count === 0) {
            continue;
        }
        for (let k = 0; k < 12; k++) {
            if (k % 4 !== Math.floor(k / 4) && k % 4 !== 3) {
                continue;
            }
            const slot = frame * AppearanceTransformFloats + k;
            const identity = k % 4 === Math.floor(k / 4) ? 1 : 0;
            const g = sums[frame * 13 + k] + 2 * params.regularization * count * (transforms[slot] - identity);
            gradient[slot] = g;
            transforms[slot] = AdamStepCpu(transforms[slot], g, moments, slot, params.learningRate, params);
        }
    }
    return gradient;
}

/**
 * CPU twin of appearanceCentre.wgsl: shifts every photo's transform so that their mean is the identity.
 * @param frameCount the photos
 * @param transforms 12 floats per photo (updated)
 */
export function AppearanceCentreCpu(frameCount: number, transforms: Float32Array): void {
    if (frameCount === 0) {
        return;
    }
    for (let k = 0; k < AppearanceTransformFloats; k++) {
        let sum = 0;
        for (let f = 0; f < frameCount; f++) {
            sum = Math.fround(sum + transforms[f * AppearanceTransformFloats + k]);
        }
        const shift = Math.fround(Math.fround(sum / frameCount) - (k % 4 === Math.floor(k / 4) ? 1 : 0));
        for (let f = 0; f < frameCount; f++) {
            transforms[f * AppearanceTransformFloats + k] -= shift;
        }
    }
}

function Dot4(values: Float32Array, offset: number, vector: readonly number[]): number {
    return values[offset] * vector[0] + values[offset + 1] * vector[1] + values[offset + 2] * vector[2] + values[offset + 3] * vector[3];
}

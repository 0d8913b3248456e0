import { SampleWidth, ShBasis, Sigmoid, SigmaOf, StepAlpha, TrilinearCornersAt, type FieldParams } from "../nerf/fieldMath";
import { FieldSampleAt, PointAt, RayAt } from "../nerf/rayMath";
import { AdamStepCpu } from "../common/adamMath";
import { FusionPatchRays, type ObjectAdamParams, type ObjectParams } from "./fusionKernels";

/**
 * CPU twin of fieldWeights.wgsl.
 * @param field radiance-field grid
 * @param params rayCount, maxSamples, earlyStop
 * @param params.rayCount rays
 * @param params.maxSamples sample slots per ray
 * @param params.earlyStop transmittance at which rays stop
 * @param rays Ray buffer
 * @param sampleT sample distances
 * @param sampleCount samples per ray
 * @param density raw densities
 * @param sh SH coefficients
 * @returns samples (4 floats per slot) and rayColor (4 floats per ray)
 */
export function FieldWeightsCpu(field: FieldParams, params: { rayCount: number; maxSamples: number; earlyStop: number }, rays: ArrayBuffer, sampleT: Float32Array, sampleCount: Uint32Array, density: Float32Array, sh: Float32Array): { samples: Float32Array; rayColor: Float32Array } {
    const f = new Float32Array(rays);
    const samples = new Float32Array(params.rayCount * params.maxSamples * 4);
    const rayColor = new Float32Array(params.rayCount * 4);
    for (let r = 0; r < params.rayCount; r++) {
        const ray = RayAt(f, r);
        const basis = ShBasis(ray.direction);
        let transmittance = 1;
        const colour = [0, 0, 0];
        let used = 0;
        for (let i = 0; i < sampleCount[r]; i++) {
            const t = sampleT[r * params.maxSamples + i];
            const p = PointAt(ray, t);
            const sample = FieldSampleAt(field, density, sh, p, basis);
            const alpha = StepAlpha(SigmaOf(field, sample.raw), SampleWidth(field, ray.tFar, t));
            const w = transmittance * alpha;
            for (let ch = 0; ch < 3; ch++) {
                colour[ch] += w * sample.colour[ch];
            }
            samples.set([p[0], p[1], p[2], w], (r * params.maxSamples + i) * 4);
            transmittance *= 1 - alpha;
            used = i + 1;
            if (transmittance < params.earlyStop) {
                break;
            }
        }
        rayColor.set([colour[0], colour[1], colour[2], used], r * 4);
    }
    return { samples, rayColor };
}

/** The object field's grid as FieldParams (for trilinear lookups). */
function ObjectGrid(params: ObjectParams): FieldParams {
    return { boundsMin: params.boundsMin, boundsMax: params.boundsMax, gridSize: params.gridSize, contracted: params.contracted === true, stepSize: 0, densityShift: 0, occupancySize: [1, 1, 1] };
}

/** Corners of a point and the activation (softmax probabilities or one sigmoid) there. */
function ActivationAt(params: ObjectParams, logits: Float32Array, p: ArrayLike<number>): { corners: ReturnType<typeof TrilinearCornersAt>; probabilities: number[] } {
    const corners = TrilinearCornersAt(ObjectGrid(params), p);
    const c = params.channels;
    const l = new Array<number>(c).fill(0);
    for (let corner = 0; corner < 8; corner++) {
        for (let k = 0; k < c; k++) {
            l[k] += corners.weight[corner] * logits[corners.index[corner] * c + k];
        }
    }
    if (!params.softmax) {
        return { corners, probabilities: [Sigmoid(l[0])] };
    }
    const largest = Math.max(...l);
    const e = l.map((v) => Math.exp(v - largest));
    const total = e.reduce((a, b) => a + b, 0);
    return { corners, probabilities: e.map((v) => v / total) };
}

/** Label distribution of one ray and its opacity. */
function RayDistribution(params: ObjectParams, logits: Float32Array, samples: Float32Array, rayColor: Float32Array, r: number): number[] {
    const m = new Array<number>(params.channels).fill(0);
    let opacity = 0;
    for (let i = 0; i < rayColor[r * 4 + 3]; i++) {
        const o = (r * params.maxSamples + i) * 4;
        const w = samples[o + 3];
        if (w < params.minWeight) {
            continue;
        }
        const { probabilities } = ActivationAt(params, logits, samples.subarray(o, o + 3));
        probabilities.forEach((p, k) => (m[k] += w * p));
        opacity += w;
    }
    if (params.softmax) {
        m[0] += Math.max(0, 1 - opacity);
    }
    return m;
}

/**
 * The Ray-Pair RGB loss of one patch (see objectFusion.wgsl): losses added to rayLoss, gradients
 * with respect to the rays' label distributions added to g.
 */
function RayPairTerms(params: ObjectParams, rays: number[], m: number[][], errors: number[], rayColor: Float32Array, rayLoss: Float32Array, g: number[][]): void {
    const reference = errors.indexOf(Math.min(...errors));
    if (errors[reference] >= 1e8) {
        return;
    }
    const vector = (j: number): number[] => (params.softmax ? m[j] : [1 - m[j][0], m[j][0]]);
    const colourDistance = (a: number, b: number): number => Math.hypot(rayColor[a * 4] - rayColor[b * 4], rayColor[a * 4 + 1] - rayColor[b * 4 + 1], rayColor[a * 4 + 2] - rayColor[b * 4 + 2]);
    const similar = rays.map((r, j) => j !== reference && colourDistance(r, rays[reference]) < params.rayPairThreshold);
    const pairs = similar.filter(Boolean).length;
    const referenceVector = vector(reference);
    const chosen = referenceVector.indexOf(Math.max(...referenceVector));
    const scale = (params.rayPairWeight * FusionPatchRays) / pairs;
    for (let j = 0; j < rays.length; j++) {
        if (!similar[j]) {
            continue;
        }
        const a = vector(j);
        const na = Math.hypot(...a) + 1e-12;
        const cosine = a[chosen] / na;
        const term = Math.exp(-params.rayPairSharpness * cosine - params.epsilon);
        rayLoss[rays[j]] += scale * term;
        a.forEach((value, k) => {
            const ga = -scale * params.rayPairSharpness * term * ((k === chosen ? 1 : 0) / na - (cosine * value) / (na * na));
            if (params.softmax) {
                g[j][k] += ga;
            } else {
                // d/dm of (1 - m, m): second component minus first
                g[j][0] += (k === 1 ? 1 : -1) * ga;
            }
        });
    }
}

/**
 * CPU twin of objectFusion.wgsl: losses, ray-pair terms and float gradients (channels per point).
 * @param params object-field parameters
 * @param samples (position, w) per slot
 * @param rayColor (rgb, used) per ray
 * @param rayTarget (label, weight) per ray
 * @param logits the object field
 * @returns per-ray loss, gradients and touched points
 */
export function ObjectFusionCpu(params: ObjectParams, samples: Float32Array, rayColor: Float32Array, rayTarget: Float32Array, logits: Float32Array): { rayLoss: Float32Array; grad: Float64Array; touched: Set<number> } {
    const c = params.channels;
    const rayLoss = new Float32Array(params.rayCount);
    const grad = new Float64Array(logits.length);
    const touched = new Set<number>();
    const eps = params.epsilon;
    const patches = Math.ceil(params.rayCount / FusionPatchRays);
    for (let patch = 0; patch < patches; patch++) {
        const first = patch * FusionPatchRays;
        const rays = Array.from({ length: FusionPatchRays }, (_, j) => first + j).filter((r) => r < params.rayCount);
        const m = rays.map((r) => RayDistribution(params, logits, samples, rayColor, r));
        const g = rays.map(() => new Array<number>(c).fill(0));
        const errors = rays.map((r, j) => {
            const label = rayTarget[r * 2];
            const weight = rayTarget[r * 2 + 1];
            if (params.softmax) {
                const chosen = Math.min(label, c - 1);
                rayLoss[r] = -weight * Math.log(m[j][chosen] + eps);
                g[j][chosen] = -weight / (m[j][chosen] + eps);
                return weight > 0 ? -Math.log(m[j][chosen] + eps) : 1e9;
            }
            const y = label > 0 ? 1 : 0;
            rayLoss[r] = -weight * (y * Math.log(m[j][0] + eps) + (1 - y) * Math.log(1 - m[j][0] + eps));
            g[j][0] = -weight * (y / (m[j][0] + eps) - (1 - y) / (1 - m[j][0] + eps));
            return weight > 0 ? -Math.log((y ? m[j][0] : 1 - m[j][0]) + eps) : 1e9;
        });
        if (params.rayPair && params.training && rays.length > 0) {
            RayPairTerms(params, rays, m, errors, rayColor, rayLoss, g);
        }
        if (!params.training) {
            continue;
        }
        rays.forEach((r, j) => {
            for (let i = 0; i < rayColor[r * 4 + 3]; i++) {
                const o = (r * params.maxSamples + i) * 4;
                const w = samples[o + 3];
                if (w < params.minWeight) {
                    continue;
                }
                const { corners, probabilities: p } = ActivationAt(params, logits, samples.subarray(o, o + 3));
                let dl: number[];
                if (params.softmax) {
                    const expected = p.reduce((s, v, k) => s + g[j][k] * v, 0);
                    dl = p.map((v, k) => w * v * (g[j][k] - expected));
                } else {
                    dl = [g[j][0] * w * p[0] * (1 - p[0])];
                }
                for (let corner = 0; corner < 8; corner++) {
                    const index = corners.index[corner];
                    dl.forEach((d, k) => (grad[index * c + k] += corners.weight[corner] * d));
                    touched.add(index);
                }
            }
        });
    }
    return { rayLoss, grad, touched };
}

/**
 * CPU twin of objectAdam.wgsl.
 * @param params Adam parameters
 * @param points touched points
 * @param grad float gradients (reset to 0)
 * @param logits the object field (updated)
 * @param moments (m, s) per logit (updated)
 */
export function ObjectAdamCpu(params: ObjectAdamParams, points: Iterable<number>, grad: Float64Array, logits: Float32Array, moments: Float32Array): void {
    for (const v of points) {
        for (let k = 0; k < params.channels; k++) {
            const word = v * params.channels + k;
            logits[word] = AdamStepCpu(logits[word], grad[word], moments, word, params.learningRate, params);
            grad[word] = 0;
        }
    }
}

/**
 * CPU twin of objectMask.wgsl.
 * @param params object-field parameters
 * @param samples (position, w) per slot
 * @param rayColor (rgb, used) per ray
 * @param logits the object field
 * @returns (label, its probability, object probability, opacity) per ray
 */
export function ObjectMaskCpu(params: ObjectParams, samples: Float32Array, rayColor: Float32Array, logits: Float32Array): Float32Array {
    const out = new Float32Array(params.rayCount * 4);
    for (let r = 0; r < params.rayCount; r++) {
        const m = RayDistribution(params, logits, samples, rayColor, r);
        let opacity = 0;
        for (let i = 0; i < rayColor[r * 4 + 3]; i++) {
            const w = samples[(r * params.maxSamples + i) * 4 + 3];
            opacity += w >= params.minWeight ? w : 0;
        }
        if (!params.softmax) {
            out.set([m[0] > 0.5 ? 1 : 0, Math.max(m[0], 1 - m[0]), m[0], opacity], r * 4);
        } else {
            const best = m.indexOf(Math.max(...m));
            out.set([best, m[best], 1 - m[0], opacity], r * 4);
        }
    }
    return out;
}

/**
 * CPU twin of fusionTargets.wgsl.
 * @param rayCount rays
 * @param rays Ray buffer (rayGeneration.wgsl)
 * @returns (label, view weight) per ray
 */
export function FusionTargetsCpu(rayCount: number, rays: ArrayBuffer): Float32Array {
    const f = new Float32Array(rays);
    const out = new Float32Array(rayCount * 2);
    for (let r = 0; r < rayCount; r++) {
        const target = RayAt(f, r).target;
        out[r * 2] = Math.round(Math.fround(target[0] * 255));
        out[r * 2 + 1] = target[1];
    }
    return out;
}

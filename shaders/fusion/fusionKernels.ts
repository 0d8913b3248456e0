import fieldWeightsSource from "./fieldWeights.wgsl";
import objectCommon from "./objectCommon.wgsl";
import objectFusionSource from "./objectFusion.wgsl";
import objectAdamSource from "./objectAdam.wgsl";
import objectMaskSource from "./objectMask.wgsl";
import fusionTargetsSource from "./fusionTargets.wgsl";
import { DefineKernel } from "../common/kernelDescriptor";
import { ComposeFieldKernel } from "../nerf/nerfKernelCommon";

/** The frozen NeRF's weights and colour along rays; see fieldWeights.wgsl. Dispatch over rays. */
export const FieldWeightsKernel = DefineKernel({
    label: "fieldWeights",
    source: ComposeFieldKernel(fieldWeightsSource),
    entryPoint: "main",
    workgroupSize: 64,
    bindings: [
        { name: "field", binding: 0, kind: "uniform" },
        { name: "params", binding: 1, kind: "uniform" },
        { name: "rays", binding: 2, kind: "read-only-storage" },
        { name: "sampleT", binding: 3, kind: "read-only-storage" },
        { name: "sampleCount", binding: 4, kind: "read-only-storage" },
        { name: "density", binding: 5, kind: "read-only-storage" },
        { name: "sh", binding: 6, kind: "read-only-storage" },
        { name: "samples", binding: 7, kind: "storage" },
        { name: "rayColor", binding: 8, kind: "storage" },
    ],
});

/** Each fusion ray's mask label and view weight from its target pixel; see fusionTargets.wgsl. TargetParams is 4 u32. */
export const FusionTargetsKernel = DefineKernel({
    label: "fusionTargets",
    source: ComposeFieldKernel(fusionTargetsSource),
    entryPoint: "main",
    workgroupSize: 64,
    bindings: [
        { name: "params", binding: 0, kind: "uniform" },
        { name: "rays", binding: 1, kind: "read-only-storage" },
        { name: "rayTarget", binding: 2, kind: "storage" },
    ],
});

/** One fusion step on patches of 64 rays (one workgroup each); see objectFusion.wgsl. */
export const ObjectFusionKernel = DefineKernel({
    label: "objectFusion",
    source: ComposeFieldKernel(`${objectCommon}\n${objectFusionSource}`),
    entryPoint: "main",
    workgroupSize: 64,
    bindings: [
        { name: "params", binding: 0, kind: "uniform" },
        { name: "samples", binding: 1, kind: "read-only-storage" },
        { name: "rayColor", binding: 2, kind: "read-only-storage" },
        { name: "rayTarget", binding: 3, kind: "read-only-storage" },
        { name: "logits", binding: 4, kind: "read-only-storage" },
        { name: "grad", binding: 5, kind: "storage" },
        { name: "touchedList", binding: 6, kind: "storage" },
        { name: "touchedState", binding: 7, kind: "storage" },
        { name: "rayLoss", binding: 8, kind: "storage" },
    ],
});

/** Masked Adam on the object field; see objectAdam.wgsl. Dispatched indirectly. */
export const ObjectAdamKernel = DefineKernel({
    label: "objectAdam",
    source: ComposeFieldKernel(objectAdamSource),
    entryPoint: "main",
    workgroupSize: 64,
    bindings: [
        { name: "params", binding: 0, kind: "uniform" },
        { name: "touchedList", binding: 1, kind: "read-only-storage" },
        { name: "touchedState", binding: 2, kind: "read-only-storage" },
        { name: "grad", binding: 3, kind: "storage" },
        { name: "logits", binding: 4, kind: "storage" },
        { name: "moments", binding: 5, kind: "storage" },
    ],
});

/** Object masks for rays; see objectMask.wgsl. Dispatch over rays. */
export const ObjectMaskKernel = DefineKernel({
    label: "objectMask",
    source: ComposeFieldKernel(`${objectCommon}\n${objectMaskSource}`),
    entryPoint: "main",
    workgroupSize: 64,
    bindings: [
        { name: "params", binding: 0, kind: "uniform" },
        { name: "samples", binding: 1, kind: "read-only-storage" },
        { name: "rayColor", binding: 2, kind: "read-only-storage" },
        { name: "logits", binding: 3, kind: "read-only-storage" },
        { name: "rayMask", binding: 4, kind: "storage" },
    ],
});

/** The object field's grid and the step's switches (ObjectParams in objectCommon.wgsl). */
export interface ObjectParams {
    readonly boundsMin: readonly [number, number, number];
    readonly boundsMax: readonly [number, number, number];
    readonly gridSize: readonly [number, number, number];
    /** Logits per point: objects + 1 (softmax) or 1 (sigmoid). */
    readonly channels: number;
    readonly softmax: boolean;
    readonly rayCount: number;
    readonly maxSamples: number;
    readonly rayPair: boolean;
    readonly training: boolean;
    readonly rayPairWeight: number;
    readonly rayPairThreshold: number;
    readonly rayPairSharpness: number;
    readonly epsilon: number;
    /** Samples with a smaller NeRF weight are skipped. */
    readonly minWeight: number;
}

/** Bytes of ObjectParams (objectCommon.wgsl). */
export const ObjectParamsBytes = 96;

/** Rays per fusion patch (8 x 8) = the fusion workgroup size. */
export const FusionPatchRays = 64;

/** Most logits per point the kernels handle. */
export const MaxObjectChannels = 8;

/**
 * Packs ObjectParams (96 bytes).
 * @param params the parameters
 * @returns the uniform's bytes
 */
export function PackObjectParams(params: ObjectParams): ArrayBuffer {
    const buffer = new ArrayBuffer(ObjectParamsBytes);
    const f = new Float32Array(buffer);
    const u = new Uint32Array(buffer);
    f.set(params.boundsMin, 0);
    u[3] = params.channels;
    f.set(params.boundsMax, 4);
    u[7] = params.softmax ? 1 : 0;
    u.set(params.gridSize, 8);
    u[11] = params.gridSize[0] * params.gridSize[1] * params.gridSize[2];
    u.set([params.rayCount, params.maxSamples, params.rayPair ? 1 : 0, params.training ? 1 : 0], 12);
    f.set([params.rayPairWeight, params.rayPairThreshold, params.epsilon, params.minWeight, params.rayPairSharpness], 16);
    return buffer;
}

/** ObjectAdamParams of objectAdam.wgsl. */
export interface ObjectAdamParams {
    readonly learningRate: number;
    readonly beta1: number;
    readonly beta2: number;
    readonly epsilon: number;
    readonly biasCorrection1: number;
    readonly biasCorrection2: number;
    readonly fixedPointScale: number;
    readonly channels: number;
}

/**
 * Packs ObjectAdamParams (32 bytes).
 * @param params the parameters
 * @returns the uniform's bytes
 */
export function PackObjectAdamParams(params: ObjectAdamParams): ArrayBuffer {
    const buffer = new ArrayBuffer(32);
    new Float32Array(buffer).set([params.learningRate, params.beta1, params.beta2, params.epsilon, params.biasCorrection1, params.biasCorrection2, params.fixedPointScale]);
    new Uint32Array(buffer)[7] = params.channels;
    return buffer;
}

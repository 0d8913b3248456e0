import fieldWeightsSource from "./fieldWeights.wgsl";
import objectCommon from "./objectCommon.wgsl";
import objectFusionSource from "./objectFusion.wgsl";
import objectAdamSource from "./objectAdam.wgsl";
import objectMaskSource from "./objectMask.wgsl";
import fusionTargetsSource from "./fusionTargets.wgsl";
import type { AdamConstants } from "../common/adamMath";
import { DefineComputeKernel } from "../common/kernelDescriptor";
import { WgslSnippets } from "../common/wgslLibrary";
import { ComposeFieldKernel, ComposeRayKernel } from "../nerf/nerfKernelCommon";

/** The frozen NeRF's weights and colour along rays; see fieldWeights.wgsl. Dispatch over rays. */
export const FieldWeightsKernel = DefineComputeKernel({
    label: "fieldWeights",
    source: ComposeRayKernel(fieldWeightsSource),
    workgroupSize: 64,
    bindings: { field: "uniform", params: "uniform", rays: "read-only-storage", sampleT: "read-only-storage", sampleCount: "read-only-storage", density: "read-only-storage", sh: "read-only-storage", samples: "storage", rayColor: "storage" },
});

/** Each fusion ray's mask label and view weight from its target pixel; see fusionTargets.wgsl. TargetParams is 4 u32. */
export const FusionTargetsKernel = DefineComputeKernel({
    label: "fusionTargets",
    source: ComposeRayKernel(fusionTargetsSource),
    workgroupSize: 64,
    bindings: { params: "uniform", rays: "read-only-storage", rayTarget: "storage" },
});

/** One fusion step on patches of 64 rays (one workgroup each); see objectFusion.wgsl. */
export const ObjectFusionKernel = DefineComputeKernel({
    label: "objectFusion",
    source: ComposeFieldKernel(objectFusionSource, objectCommon, WgslSnippets.touchedPoints),
    workgroupSize: 64,
    bindings: { params: "uniform", samples: "read-only-storage", rayColor: "read-only-storage", rayTarget: "read-only-storage", logits: "read-only-storage", grad: "storage", touchedList: "storage", touchedState: "storage", rayLoss: "storage" },
});

/** Masked Adam on the object field; see objectAdam.wgsl. Dispatched indirectly. */
export const ObjectAdamKernel = DefineComputeKernel({
    label: "objectAdam",
    source: ComposeFieldKernel(objectAdamSource, WgslSnippets.adamStep),
    workgroupSize: 64,
    bindings: { params: "uniform", touchedList: "read-only-storage", touchedState: "read-only-storage", grad: "storage", logits: "storage", moments: "storage" },
});

/** Object masks for rays; see objectMask.wgsl. Dispatch over rays. */
export const ObjectMaskKernel = DefineComputeKernel({
    label: "objectMask",
    source: ComposeFieldKernel(objectMaskSource, objectCommon),
    workgroupSize: 64,
    bindings: { params: "uniform", samples: "read-only-storage", rayColor: "read-only-storage", logits: "read-only-storage", rayMask: "storage" },
});

/** The object field's grid and the step's switches (ObjectParams in objectCommon.wgsl). */
export interface ObjectParams {
    readonly boundsMin: readonly [number, number, number];
    readonly boundsMax: readonly [number, number, number];
    readonly gridSize: readonly [number, number, number];
    /** The grid spans the contracted space of a whole-scene field (fieldCommon.wgsl). */
    readonly contracted?: boolean;
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
    u[21] = params.contracted ? 1 : 0;
    return buffer;
}

/** ObjectAdamParams of objectAdam.wgsl. */
export interface ObjectAdamParams extends AdamConstants {
    readonly learningRate: number;
    /** FIXED_POINT_SCALE of the gradient words (deterministic mode). */
    readonly fixedPointScale: number;
    /** Logits per point. */
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

import applySource from "./appearanceApply.wgsl";
import stepSource from "./appearanceStep.wgsl";
import centreSource from "./appearanceCentre.wgsl";
import appearanceParams from "./appearanceParams.wgsl";
import frameCameras from "./frameCameras.wgsl";
import type { AdamConstants } from "../common/adamMath";
import { DefineComputeKernel } from "../common/kernelDescriptor";
import { WgslSnippets } from "../common/wgslLibrary";
import { ComposeRayKernel } from "./nerfKernelCommon";

/** Per-photo colour transforms on a training batch's colours, loss and gradient; see appearanceApply.wgsl. Dispatch over the batch's rays. */
export const AppearanceApplyKernel = DefineComputeKernel({
    label: "appearanceApply",
    source: ComposeRayKernel(applySource, frameCameras, appearanceParams),
    workgroupSize: 64,
    bindings: { params: "uniform", rays: "read-only-storage", cameras: "read-only-storage", transforms: "read-only-storage", results: "storage", rayLoss: "storage", rayFrame: "storage" },
});

/** The transforms' gradient and Adam step, one workgroup per photo; see appearanceStep.wgsl. Dispatch over photos x 64 invocations. */
export const AppearanceStepKernel = DefineComputeKernel({
    label: "appearanceStep",
    source: ComposeRayKernel(stepSource, appearanceParams, WgslSnippets.adamStep),
    workgroupSize: 64,
    bindings: { params: "uniform", rays: "read-only-storage", results: "read-only-storage", rayFrame: "read-only-storage", transforms: "storage", moments: "storage", gradient: "storage" },
});

/** Moves the transforms' mean to the identity; see appearanceCentre.wgsl. Dispatch over 12 invocations (one workgroup). */
export const AppearanceCentreKernel = DefineComputeKernel({
    label: "appearanceCentre",
    source: ComposeRayKernel(centreSource, appearanceParams),
    workgroupSize: 64,
    bindings: { params: "uniform", transforms: "storage" },
});

/** Floats of one photo's transform: 3 rows (A[c][0..2], b[c]). */
export const AppearanceTransformFloats = 12;

/** The identity transform (rows of [A | b]). */
export const IdentityAppearance: readonly number[] = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0];

/** AppearanceParams of appearanceParams.wgsl. */
export interface AppearanceParams extends AdamConstants {
    readonly rayCount: number;
    readonly frameCount: number;
    readonly learningRate: number;
    /** Weight of the pull towards the identity, per ray of the photo in the batch. */
    readonly regularization: number;
}

/** Bytes of packed AppearanceParams. */
export const AppearanceParamsBytes = 48;

/**
 * Packs AppearanceParams.
 * @param params the parameters
 * @returns AppearanceParamsBytes bytes
 */
export function PackAppearanceParams(params: AppearanceParams): ArrayBuffer {
    const buffer = new ArrayBuffer(AppearanceParamsBytes);
    new Uint32Array(buffer).set([params.rayCount, params.frameCount]);
    new Float32Array(buffer).set([params.learningRate, params.regularization, params.beta1, params.beta2, params.epsilon, params.biasCorrection1, params.biasCorrection2], 2);
    return buffer;
}

/**
 * Identity transforms for a number of photos.
 * @param frameCount the photos
 * @returns 12 floats per photo
 */
export function IdentityAppearances(frameCount: number): Float32Array {
    const transforms = new Float32Array(frameCount * AppearanceTransformFloats);
    for (let f = 0; f < frameCount; f++) {
        transforms.set(IdentityAppearance, f * AppearanceTransformFloats);
    }
    return transforms;
}

import featureDistillSource from "./featureDistill.wgsl";
import { DefineComputeKernel } from "../common/kernelDescriptor";
import { WgslSnippets } from "../common/wgslLibrary";
import { ComposeRayKernel } from "../nerf/nerfKernelCommon";

/** Channels one featureDistill invocation handles (GROUP_CHANNELS in featureDistill.wgsl). */
export const FeatureGroupChannels = 16;

/** One distillation step's forward and backward, or a render of features; see featureDistill.wgsl. Dispatch over {@link FeatureInvocations}. */
export const FeatureDistillKernel = DefineComputeKernel({
    label: "featureDistill",
    source: ComposeRayKernel(`const GROUP_CHANNELS: u32 = ${FeatureGroupChannels}u;\n${featureDistillSource}`, WgslSnippets.touchedPoints),
    workgroupSize: 64,
    bindings: {
        params: "uniform",
        rays: "read-only-storage",
        samples: "read-only-storage",
        rayColor: "read-only-storage",
        targets: "read-only-storage",
        features: "read-only-storage",
        grad: "storage",
        touchedList: "storage",
        touchedState: "storage",
        rayFeature: "storage",
        rayLoss: "storage",
    },
});

/** The feature grid and the batch (FeatureParams in featureDistill.wgsl). */
export interface FeatureParams {
    readonly boundsMin: readonly [number, number, number];
    readonly boundsMax: readonly [number, number, number];
    readonly gridSize: readonly [number, number, number];
    /** The grid spans the contracted space of a whole-scene field (fieldCommon.wgsl). */
    readonly contracted?: boolean;
    /** Features per point. */
    readonly channels: number;
    readonly rayCount: number;
    readonly maxSamples: number;
    /** Accumulate gradients against the targets (false: render features only). */
    readonly training: boolean;
    /** Samples with a smaller NeRF weight are skipped. */
    readonly minWeight: number;
}

/** Bytes of FeatureParams. */
export const FeatureParamsBytes = 64;

/**
 * Invocations of one featureDistill dispatch: one per (ray, group of {@link FeatureGroupChannels} channels), rays padded to the workgroup size.
 * @param rayCount rays
 * @param channels features per point
 * @returns the dispatch count
 */
export function FeatureInvocations(rayCount: number, channels: number): number {
    return Math.ceil(rayCount / 64) * 64 * Math.ceil(channels / FeatureGroupChannels);
}

/**
 * Packs FeatureParams (64 bytes).
 * @param params the parameters
 * @returns the uniform's bytes
 */
export function PackFeatureParams(params: FeatureParams): ArrayBuffer {
    const buffer = new ArrayBuffer(FeatureParamsBytes);
    const f = new Float32Array(buffer);
    const u = new Uint32Array(buffer);
    f.set(params.boundsMin, 0);
    u[3] = params.channels;
    f.set(params.boundsMax, 4);
    u[7] = params.gridSize[0] * params.gridSize[1] * params.gridSize[2];
    u.set(params.gridSize, 8);
    u[11] = params.rayCount;
    u[12] = params.maxSamples;
    u[13] = params.training ? 1 : 0;
    f[14] = params.minWeight;
    u[15] = params.contracted ? 1 : 0;
    return buffer;
}

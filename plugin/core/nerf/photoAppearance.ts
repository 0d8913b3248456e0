import { ComputeKernel } from "../gpu/computeKernel";
import type { GpuContext } from "../gpu/gpuContext";
import { AppearanceApplyKernel, AppearanceCentreKernel, AppearanceStepKernel, AppearanceTransformFloats, IdentityAppearances, PackAppearanceParams } from "../../../shaders/nerf/appearanceKernels";
import type { RayBatch } from "./rayBatch";
import type { FrameBuffers } from "./trainingFrames";

/** The Adam step of the photos' transforms for one iteration. */
export interface AppearanceStepSettings {
    readonly learningRate: number;
    /** Pull towards the identity, per ray of the photo in the batch. */
    readonly regularization: number;
    /** Adam steps taken so far, this one included (bias correction). */
    readonly step: number;
}

/**
 * Per-photo appearance in training: one affine colour transform per training photo (exposure and
 * white balance), applied to the batch's rendered colours before the loss and learned with Adam
 * beside the field (shaders/nerf/appearanceApply.wgsl, appearanceStep.wgsl), their mean held at the
 * identity (appearanceCentre.wgsl): the field keeps the photos' average appearance, which renders
 * (the NerfNode, holdout views) show, since they use the field alone.
 */
export class PhotoAppearance {
    /** Training photos. */
    public readonly frameCount: number;
    private readonly _context: GpuContext;
    private readonly _apply: ComputeKernel<(typeof AppearanceApplyKernel.bindings)[number]["name"]>;
    private readonly _step: ComputeKernel<(typeof AppearanceStepKernel.bindings)[number]["name"]>;
    private readonly _centre: ComputeKernel<(typeof AppearanceCentreKernel.bindings)[number]["name"]>;
    private readonly _params: GPUBuffer;
    private readonly _transforms: GPUBuffer;
    private readonly _moments: GPUBuffer;
    private readonly _gradient: GPUBuffer;
    private readonly _rayFrame: GPUBuffer;
    private readonly _applyGroup: GPUBindGroup;
    private readonly _stepGroup: GPUBindGroup;
    private readonly _centreGroup: GPUBindGroup;
    private readonly _rayCount: number;

    private constructor(context: GpuContext, kernels: [PhotoAppearance["_apply"], PhotoAppearance["_step"], PhotoAppearance["_centre"]], batch: RayBatch, frames: FrameBuffers, frameCount: number, start?: Float32Array) {
        this._context = context;
        this.frameCount = frameCount;
        this._rayCount = batch.capacity;
        [this._apply, this._step, this._centre] = kernels;
        this._params = context.createUniformBuffer("appearanceParams", new Uint8Array(PackAppearanceParams({ rayCount: 0, frameCount, learningRate: 0, regularization: 0, beta1: 0.9, beta2: 0.99, epsilon: 1e-8, biasCorrection1: 1, biasCorrection2: 1 })));
        this._transforms = context.createStorageBuffer("appearanceTransforms", start ?? IdentityAppearances(frameCount));
        this._moments = context.createStorageBuffer("appearanceMoments", frameCount * AppearanceTransformFloats * 8);
        this._gradient = context.createStorageBuffer("appearanceGradient", frameCount * AppearanceTransformFloats * 4);
        this._rayFrame = context.createStorageBuffer("rayFrame", batch.capacity * 4);
        this._applyGroup = this._apply.bind({ params: this._params, rays: batch.rays, cameras: frames.cameras, transforms: this._transforms, results: batch.results, rayLoss: batch.rayLoss, rayFrame: this._rayFrame });
        this._stepGroup = this._step.bind({ params: this._params, rays: batch.rays, results: batch.results, rayFrame: this._rayFrame, transforms: this._transforms, moments: this._moments, gradient: this._gradient });
        this._centreGroup = this._centre.bind({ params: this._params, transforms: this._transforms });
    }

    /**
     * Compiles the kernels and allocates the transforms (identity, or `start`) for a batch and its frames.
     * @param context the device
     * @param batch the training batch
     * @param frames the training frames' buffers
     * @param frameCount training photos
     * @param start transforms to continue from (12 floats per photo)
     * @returns the appearance state
     * @throws RangeError when `start` does not hold one transform per photo
     */
    public static async CreateAsync(context: GpuContext, batch: RayBatch, frames: FrameBuffers, frameCount: number, start?: Float32Array): Promise<PhotoAppearance> {
        if (start && start.length !== frameCount * AppearanceTransformFloats) {
            throw new RangeError(`the per-photo appearance to continue from holds ${start.length / AppearanceTransformFloats} transforms for ${frameCount} training photos`);
        }
        const kernels = await Promise.all([ComputeKernel.CreateAsync(context, AppearanceApplyKernel), ComputeKernel.CreateAsync(context, AppearanceStepKernel), ComputeKernel.CreateAsync(context, AppearanceCentreKernel)]);
        return context.allocateCheckedAsync(`per-photo appearance for ${frameCount} photos`, () => new PhotoAppearance(context, kernels, batch, frames, frameCount, start));
    }

    /**
     * Queues this iteration's step settings (before the iteration's submit).
     * @param settings learning rate, regularisation and step count
     */
    public setStep(settings: AppearanceStepSettings): void {
        const bias = (beta: number): number => 1 / (1 - beta ** settings.step);
        this._context.write(
            this._params,
            new Uint8Array(PackAppearanceParams({ rayCount: this._rayCount, frameCount: this.frameCount, learningRate: settings.learningRate, regularization: settings.regularization, beta1: 0.9, beta2: 0.99, epsilon: 1e-8, biasCorrection1: bias(0.9), biasCorrection2: bias(0.99) }))
        );
    }

    /**
     * Records the transform of the batch's colours (after the forward pass, before the backward pass).
     * @param pass the iteration's compute pass
     */
    public encodeApply(pass: GPUComputePassEncoder): void {
        this._apply.encode(pass, this._applyGroup, this._rayCount);
    }

    /**
     * Records the transforms' gradient and Adam step, then their centring on the identity (after encodeApply).
     * @param pass the iteration's compute pass
     */
    public encodeStep(pass: GPUComputePassEncoder): void {
        this._step.encode(pass, this._stepGroup, this.frameCount * this._step.descriptor.workgroupSize);
        this._centre.encode(pass, this._centreGroup, AppearanceTransformFloats);
    }

    /**
     * Downloads the transforms.
     * @returns 12 floats per training photo: rows (A[c][0..2], b[c]) of C' = A C + b
     */
    public async downloadAsync(): Promise<Float32Array> {
        return this._context.readFloat32Async(this._transforms);
    }

    /** Frees the buffers. */
    public dispose(): void {
        for (const buffer of [this._params, this._transforms, this._moments, this._gradient, this._rayFrame]) {
            this._context.release(buffer);
        }
    }
}

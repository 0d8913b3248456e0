import { ComputeKernel } from "../gpu/computeKernel";
import type { GpuContext } from "../gpu/gpuContext";
import { GpuFieldState } from "../nerf/gpuFieldState";
import type { RadianceFieldData } from "../nerf/radianceFieldData";
import type { PackedFrames } from "../nerf/trainingFrames";
import { PcgHash } from "../../../shaders/nerf/fieldMath";
import { PackRayParams, RayGenerationKernel } from "../../../shaders/nerf/rayGenerationKernel";
import { PackSampleParams, SampleRaysKernel } from "../../../shaders/nerf/sampleRaysKernel";
import { PackRenderParams, RenderParamsBytes } from "../../../shaders/nerf/volumeRenderForwardKernel";
import { PrepareIndirectKernel } from "../../../shaders/nerf/optimizerKernels";
import { TouchedBitsOffset } from "../../../shaders/nerf/volumeRenderBackwardKernel";
import { FrameCameraBytes, RayBackground, RayBytes } from "../../../shaders/nerf/nerfKernelCommon";
import { FieldWeightsKernel, ObjectAdamKernel, PackObjectAdamParams } from "../../../shaders/fusion/fusionKernels";
import { FeatureDistillKernel, FeatureInvocations, FeatureParamsBytes, PackFeatureParams } from "../../../shaders/features/featureKernels";
import { FeatureEarlyStop, FeatureKernelParams, PackCellFrames, type FeatureEngine, type FeatureStepParams } from "./featureEngine";
import type { FeatureFieldGrid, FeatureFieldOptions, FeatureRenderView } from "./featureFieldTypes";

type Kernels = {
    rays: ComputeKernel<"field" | "params" | "cameras" | "pixels" | "rays">;
    samples: ComputeKernel<"field" | "params" | "rays" | "occupancy" | "sampleT" | "sampleCount">;
    weights: ComputeKernel<"field" | "params" | "rays" | "sampleT" | "sampleCount" | "density" | "sh" | "samples" | "rayColor">;
    distill: ComputeKernel<"params" | "rays" | "samples" | "rayColor" | "targets" | "features" | "grad" | "touchedList" | "touchedState" | "rayFeature" | "rayLoss">;
    prepare: ComputeKernel<"touchedState" | "indirectArgs">;
    adam: ComputeKernel<"params" | "touchedList" | "touchedState" | "grad" | "logits" | "moments">;
};

type GroupName = "rays" | "samples" | "weights" | "distill" | "prepare" | "adam";

/**
 * Feature distillation on WebGPU: the frozen radiance field, the training views' cell targets and
 * the feature grid with its gradients and Adam moments in GPU buffers; one command buffer per step.
 * Gradients are accumulated as floats (compare-exchange): the background feature takes a share
 * of every ray, more than fixed point's range holds.
 */
export class GpuFeatureEngine implements FeatureEngine {
    /** Always "webgpu". */
    public readonly backend = "webgpu" as const;
    private readonly _context: GpuContext;
    private readonly _kernels: Kernels;
    private readonly _field: GpuFieldState;
    private readonly _grid: FeatureFieldGrid;
    private readonly _options: FeatureFieldOptions;
    private readonly _frames: PackedFrames;
    private readonly _buffers: Record<string, GPUBuffer>;
    private readonly _groups: Record<GroupName, GPUBindGroup>;
    private readonly _rayCount: number;

    private constructor(context: GpuContext, kernels: Kernels, field: GpuFieldState, grid: FeatureFieldGrid, options: FeatureFieldOptions, frames: PackedFrames, targets: Float32Array, features: Float32Array) {
        this._context = context;
        this._kernels = kernels;
        this._field = field;
        this._grid = grid;
        this._options = options;
        this._frames = frames;
        const rays = (this._rayCount = options.raysPerBatch);
        const slots = rays * options.maxSamplesPerRay;
        const points = features.length / grid.channels;
        const b = {
            cameras: context.createStorageBuffer("features-cameras", frames.frameCount > 0 ? new Uint8Array(frames.cameras) : FrameCameraBytes),
            pixels: context.createStorageBuffer("features-pixels", Math.max(4, frames.totalPixels * 4)),
            rays: context.createStorageBuffer("features-rays", rays * RayBytes),
            sampleT: context.createStorageBuffer("features-sampleT", slots * 4),
            sampleCount: context.createStorageBuffer("features-sampleCount", rays * 4),
            samples: context.createStorageBuffer("features-samples", slots * 16),
            rayColor: context.createStorageBuffer("features-rayColor", rays * 16),
            targets: context.createStorageBuffer("features-targets", targets.length > 0 ? targets : 4),
            features: context.createStorageBuffer("features-grid", features),
            grad: context.createStorageBuffer("features-grad", features.byteLength),
            moments: context.createStorageBuffer("features-moments", features.byteLength * 2),
            touchedList: context.createStorageBuffer("features-touchedList", points * 4),
            touchedState: context.createStorageBuffer("features-touchedState", (TouchedBitsOffset + Math.ceil(points / 32)) * 4),
            rayFeature: context.createStorageBuffer("features-rayFeature", rays * grid.channels * 4),
            rayLoss: context.createStorageBuffer("features-rayLoss", rays * grid.channels * 4),
            indirectArgs: context.createStorageBuffer("features-indirect", 16, GPUBufferUsage.INDIRECT),
            rayParams: context.createUniformBuffer("features-rayParams", new Uint32Array(8)),
            sampleParams: context.createUniformBuffer("features-sampleParams", new Uint32Array(4)),
            weightParams: context.createUniformBuffer("features-weightParams", new Uint8Array(RenderParamsBytes)),
            featureParams: context.createUniformBuffer("features-params", new Uint8Array(FeatureParamsBytes)),
            adamParams: context.createUniformBuffer("features-adamParams", new Uint32Array(8)),
        };
        this._buffers = b;
        const f = field.fieldUniform;
        this._groups = {
            rays: kernels.rays.bind({ field: f, params: b.rayParams, cameras: b.cameras, pixels: b.pixels, rays: b.rays }),
            samples: kernels.samples.bind({ field: f, params: b.sampleParams, rays: b.rays, occupancy: field.occupancy, sampleT: b.sampleT, sampleCount: b.sampleCount }),
            weights: kernels.weights.bind({ field: f, params: b.weightParams, rays: b.rays, sampleT: b.sampleT, sampleCount: b.sampleCount, density: field.density, sh: field.sh, samples: b.samples, rayColor: b.rayColor }),
            distill: kernels.distill.bind({ params: b.featureParams, rays: b.rays, samples: b.samples, rayColor: b.rayColor, targets: b.targets, features: b.features, grad: b.grad, touchedList: b.touchedList, touchedState: b.touchedState, rayFeature: b.rayFeature, rayLoss: b.rayLoss }),
            prepare: kernels.prepare.bind({ touchedState: b.touchedState, indirectArgs: b.indirectArgs }),
            adam: kernels.adam.bind({ params: b.adamParams, touchedList: b.touchedList, touchedState: b.touchedState, grad: b.grad, logits: b.features, moments: b.moments }),
        };
    }

    /**
     * Uploads the field, the targets and the initial features and compiles the kernels.
     * @param context the device
     * @param field the frozen radiance field
     * @param grid the feature grid
     * @param options distillation settings
     * @param views the training views' cell grids (may be empty for a render-only engine)
     * @param targets channels per cell of those grids, in their order
     * @param features initial features ((points + 1) * channels)
     * @returns the engine
     */
    public static async CreateAsync(context: GpuContext, field: RadianceFieldData, grid: FeatureFieldGrid, options: FeatureFieldOptions, views: readonly FeatureRenderView[], targets: Float32Array, features: Float32Array): Promise<GpuFeatureEngine> {
        const [rays, samples, weights, distill, prepare, adam] = await Promise.all([
            ComputeKernel.CreateAsync(context, RayGenerationKernel),
            ComputeKernel.CreateAsync(context, SampleRaysKernel),
            ComputeKernel.CreateAsync(context, FieldWeightsKernel),
            ComputeKernel.CreateAsync(context, FeatureDistillKernel),
            ComputeKernel.CreateAsync(context, PrepareIndirectKernel),
            ComputeKernel.CreateAsync(context, ObjectAdamKernel),
        ]);
        const state = await GpuFieldState.CreateAsync(context, field.params, false);
        state.upload(field.density, field.sh, field.occupancy);
        const frames = PackCellFrames(views);
        const bytes = options.raysPerBatch * (RayBytes + options.maxSamplesPerRay * 20 + 24 + grid.channels * 8) + features.byteLength * 4 + targets.byteLength;
        return context.allocateCheckedAsync(`feature field buffers (${(bytes / 2 ** 20).toFixed(0)} MiB)`, () => new GpuFeatureEngine(context, { rays, samples, weights, distill, prepare, adam }, state, grid, options, frames, targets, features));
    }

    /**
     * Queues one step: random cells, samples, weights, loss and gradients, Adam.
     * @param step seed, learning rate, Adam step
     */
    public step(step: FeatureStepParams): void {
        const o = this._options;
        const b = this._buffers;
        const rays = this._rayCount;
        const context = this._context;
        const frames = this._frames;
        context.write(b.rayParams, PackRayParams({ rayCount: rays, frameCount: frames.frameCount, totalPixels: frames.totalPixels, seed: step.seed, mode: 0, frame: 0, firstRay: 0, background: RayBackground.white }));
        context.write(b.sampleParams, PackSampleParams({ rayCount: rays, maxSamples: o.maxSamplesPerRay, seed: PcgHash(step.seed ^ 0x2545f491), jitter: true }));
        context.write(b.weightParams, new Uint8Array(PackRenderParams({ rayCount: rays, maxSamples: o.maxSamplesPerRay, training: true, earlyStop: FeatureEarlyStop })));
        context.write(b.featureParams, new Uint8Array(PackFeatureParams(FeatureKernelParams(this._grid, rays, o.maxSamplesPerRay, true))));
        context.write(b.adamParams, new Uint8Array(PackObjectAdamParams({ learningRate: step.learningRate, beta1: 0.9, beta2: 0.99, epsilon: 1e-8, biasCorrection1: 1 / (1 - 0.9 ** step.adamStep), biasCorrection2: 1 / (1 - 0.99 ** step.adamStep), fixedPointScale: 1, channels: this._grid.channels })));
        const k = this._kernels;
        const g = this._groups;
        const encoder = context.device.createCommandEncoder({ label: "feature-step" });
        encoder.clearBuffer(b.touchedState);
        const pass = encoder.beginComputePass({ label: "feature-step" });
        k.rays.encode(pass, g.rays, rays);
        k.samples.encode(pass, g.samples, rays);
        k.weights.encode(pass, g.weights, rays);
        k.distill.encode(pass, g.distill, FeatureInvocations(rays, this._grid.channels));
        k.prepare.encode(pass, g.prepare, 1);
        k.adam.encodeIndirect(pass, g.adam, b.indirectArgs);
        pass.end();
        context.device.queue.submit([encoder.finish()]);
    }

    /**
     * Mean squared error per channel of the last step.
     * @returns the loss
     */
    public async readLossAsync(): Promise<number> {
        const loss = await this._context.readFloat32Async(this._buffers.rayLoss);
        return loss.reduce((sum, v) => sum + v, 0) / this._rayCount;
    }

    /**
     * The features.
     * @returns a copy
     */
    public async downloadFeaturesAsync(): Promise<Float32Array> {
        return this._context.readFloat32Async(this._buffers.features);
    }

    /**
     * Renders the features of a view's cell grid, in chunks of the batch size.
     * @param view pose and cell-grid intrinsics
     * @returns width * height * channels values
     */
    public async renderFeaturesAsync(view: FeatureRenderView): Promise<Float32Array> {
        const { width, height } = view.intrinsics;
        const cells = width * height;
        const channels = this._grid.channels;
        const context = this._context;
        const b = this._buffers;
        const k = this._kernels;
        const o = this._options;
        const packed = PackCellFrames([view]);
        const cameras = context.createStorageBuffer("render-camera", new Uint8Array(packed.cameras));
        const pixels = context.createStorageBuffer("render-pixels", packed.pixels);
        const gathered = context.createStorageBuffer("render-features", cells * channels * 4);
        try {
            const rays = k.rays.bind({ field: this._field.fieldUniform, params: b.rayParams, cameras, pixels, rays: b.rays });
            for (let first = 0; first < cells; first += this._rayCount) {
                const count = Math.min(this._rayCount, cells - first);
                context.write(b.rayParams, PackRayParams({ rayCount: count, frameCount: 1, totalPixels: cells, seed: 0, mode: 1, frame: 0, firstRay: first, background: RayBackground.white }));
                context.write(b.sampleParams, PackSampleParams({ rayCount: count, maxSamples: o.maxSamplesPerRay, seed: 0, jitter: false }));
                context.write(b.weightParams, new Uint8Array(PackRenderParams({ rayCount: count, maxSamples: o.maxSamplesPerRay, training: false, earlyStop: FeatureEarlyStop })));
                context.write(b.featureParams, new Uint8Array(PackFeatureParams(FeatureKernelParams(this._grid, count, o.maxSamplesPerRay, false))));
                const encoder = context.device.createCommandEncoder({ label: "feature-render" });
                const pass = encoder.beginComputePass({ label: "feature-render" });
                k.rays.encode(pass, rays, count);
                k.samples.encode(pass, this._groups.samples, count);
                k.weights.encode(pass, this._groups.weights, count);
                k.distill.encode(pass, this._groups.distill, FeatureInvocations(count, channels));
                pass.end();
                encoder.copyBufferToBuffer(b.rayFeature, 0, gathered, first * channels * 4, count * channels * 4);
                context.device.queue.submit([encoder.finish()]);
            }
            return await context.readFloat32Async(gathered);
        } finally {
            context.release(cameras);
            context.release(pixels);
            context.release(gathered);
        }
    }

    /** Frees every buffer (the context stays). */
    public dispose(): void {
        Object.values(this._buffers).forEach((buffer) => this._context.release(buffer));
        this._field.dispose();
    }
}

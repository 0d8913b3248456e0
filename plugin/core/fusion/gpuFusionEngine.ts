import { ComputeKernel } from "../gpu/computeKernel";
import type { GpuContext } from "../gpu/gpuContext";
import { GpuFieldState } from "../nerf/gpuFieldState";
import type { RadianceFieldData } from "../nerf/radianceFieldData";
import { PackFrames } from "../nerf/trainingFrames";
import { PcgHash } from "../../../shaders/nerf/fieldMath";
import { PackRayParams, RayGenerationKernel } from "../../../shaders/nerf/rayGenerationKernel";
import { PackSampleParams, SampleRaysKernel } from "../../../shaders/nerf/sampleRaysKernel";
import { PackRenderParams, RenderParamsBytes } from "../../../shaders/nerf/volumeRenderForwardKernel";
import { PrepareIndirectKernel } from "../../../shaders/nerf/optimizerKernels";
import { TouchedBitsOffset } from "../../../shaders/nerf/volumeRenderBackwardKernel";
import { RayBackground, RayBytes } from "../../../shaders/nerf/nerfKernelCommon";
import { DefaultFixedPointScale } from "../../../shaders/reduce/scatterAddKernel";
import { FieldWeightsKernel, FusionTargetsKernel, ObjectAdamKernel, ObjectFusionKernel, ObjectMaskKernel, ObjectParamsBytes, PackObjectAdamParams, PackObjectParams } from "../../../shaders/fusion/fusionKernels";
import { FusionEarlyStop, FusionObjectParams, FusionPatchSide, MaskImageFromRays, PackFusionFrames, type FusionEngine, type FusionStepParams, type FusionView } from "./fusionEngine";
import type { FusionMaskView, FusionOptions, ObjectFieldGrid, ObjectMaskImage } from "./objectFieldTypes";

type Kernels = {
    rays: ComputeKernel<"field" | "params" | "cameras" | "pixels" | "rays">;
    samples: ComputeKernel<"field" | "params" | "rays" | "occupancy" | "sampleT" | "sampleCount">;
    weights: ComputeKernel<"field" | "params" | "rays" | "sampleT" | "sampleCount" | "density" | "sh" | "samples" | "rayColor">;
    targets: ComputeKernel<"params" | "rays" | "rayTarget">;
    fusion: ComputeKernel<"params" | "samples" | "rayColor" | "rayTarget" | "logits" | "grad" | "touchedList" | "touchedState" | "rayLoss">;
    prepare: ComputeKernel<"touchedState" | "indirectArgs">;
    adam: ComputeKernel<"params" | "touchedList" | "touchedState" | "grad" | "logits" | "moments">;
    mask: ComputeKernel<"params" | "samples" | "rayColor" | "logits" | "rayMask">;
};

/**
 * Fusion on WebGPU: the frozen radiance field, the mask frames and the object field's logits,
 * gradients and Adam moments in GPU buffers; one command buffer per step; gradients accumulated in
 * fixed point, so a seed gives the same field every run.
 */
export class GpuFusionEngine implements FusionEngine {
    /** Always "webgpu". */
    public readonly backend = "webgpu" as const;
    private readonly _context: GpuContext;
    private readonly _kernels: Kernels;
    private readonly _field: GpuFieldState;
    private readonly _grid: ObjectFieldGrid;
    private readonly _options: FusionOptions;
    private readonly _frameCount: number;
    private readonly _totalPixels: number;
    private readonly _buffers: Record<string, GPUBuffer>;
    private readonly _groups: Record<"rays" | "samples" | "weights" | "targets" | "fusion" | "prepare" | "adam", GPUBindGroup>;
    private readonly _rayCount: number;

    private constructor(context: GpuContext, kernels: Kernels, field: GpuFieldState, grid: ObjectFieldGrid, options: FusionOptions, views: readonly FusionMaskView[], logits: Float32Array) {
        this._context = context;
        this._kernels = kernels;
        this._field = field;
        this._grid = grid;
        this._options = options;
        this._rayCount = options.raysPerBatch;
        const frames = PackFusionFrames(views);
        this._frameCount = frames.frameCount;
        this._totalPixels = frames.totalPixels;
        const rays = this._rayCount;
        const slots = rays * options.maxSamplesPerRay;
        const points = grid.gridSize[0] * grid.gridSize[1] * grid.gridSize[2];
        const b = {
            cameras: context.createStorageBuffer("fusion-cameras", new Uint8Array(frames.cameras)),
            pixels: context.createStorageBuffer("fusion-masks", frames.pixels),
            rays: context.createStorageBuffer("fusion-rays", rays * RayBytes),
            sampleT: context.createStorageBuffer("fusion-sampleT", slots * 4),
            sampleCount: context.createStorageBuffer("fusion-sampleCount", rays * 4),
            samples: context.createStorageBuffer("fusion-samples", slots * 16),
            rayColor: context.createStorageBuffer("fusion-rayColor", rays * 16),
            rayTarget: context.createStorageBuffer("fusion-rayTarget", rays * 8),
            rayLoss: context.createStorageBuffer("fusion-rayLoss", rays * 4),
            rayMask: context.createStorageBuffer("fusion-rayMask", rays * 16),
            logits: context.createStorageBuffer("fusion-logits", logits),
            grad: context.createStorageBuffer("fusion-grad", points * grid.channels * 4),
            moments: context.createStorageBuffer("fusion-moments", points * grid.channels * 8),
            touchedList: context.createStorageBuffer("fusion-touchedList", points * 4),
            touchedState: context.createStorageBuffer("fusion-touchedState", (TouchedBitsOffset + Math.ceil(points / 32)) * 4),
            indirectArgs: context.createStorageBuffer("fusion-indirect", 16, GPUBufferUsage.INDIRECT),
            rayParams: context.createUniformBuffer("fusion-rayParams", new Uint32Array(8)),
            sampleParams: context.createUniformBuffer("fusion-sampleParams", new Uint32Array(4)),
            weightParams: context.createUniformBuffer("fusion-weightParams", new Uint8Array(RenderParamsBytes)),
            targetParams: context.createUniformBuffer("fusion-targetParams", Uint32Array.from([rays, 0, 0, 0])),
            objectParams: context.createUniformBuffer("fusion-objectParams", new Uint8Array(ObjectParamsBytes)),
            adamParams: context.createUniformBuffer("fusion-adamParams", new Uint32Array(8)),
        };
        this._buffers = b;
        const f = field.fieldUniform;
        this._groups = {
            rays: kernels.rays.bind({ field: f, params: b.rayParams, cameras: b.cameras, pixels: b.pixels, rays: b.rays }),
            samples: kernels.samples.bind({ field: f, params: b.sampleParams, rays: b.rays, occupancy: field.occupancy, sampleT: b.sampleT, sampleCount: b.sampleCount }),
            weights: kernels.weights.bind({ field: f, params: b.weightParams, rays: b.rays, sampleT: b.sampleT, sampleCount: b.sampleCount, density: field.density, sh: field.sh, samples: b.samples, rayColor: b.rayColor }),
            targets: kernels.targets.bind({ params: b.targetParams, rays: b.rays, rayTarget: b.rayTarget }),
            fusion: kernels.fusion.bind({ params: b.objectParams, samples: b.samples, rayColor: b.rayColor, rayTarget: b.rayTarget, logits: b.logits, grad: b.grad, touchedList: b.touchedList, touchedState: b.touchedState, rayLoss: b.rayLoss }),
            prepare: kernels.prepare.bind({ touchedState: b.touchedState, indirectArgs: b.indirectArgs }),
            adam: kernels.adam.bind({ params: b.adamParams, touchedList: b.touchedList, touchedState: b.touchedState, grad: b.grad, logits: b.logits, moments: b.moments }),
        };
    }

    /**
     * Uploads the field, the masks and the initial logits and compiles the kernels.
     * @param context the device
     * @param field the frozen radiance field
     * @param grid the object grid
     * @param options fusion settings
     * @param views the masks (weight > 0)
     * @param logits initial logits
     * @returns the engine
     */
    public static async CreateAsync(context: GpuContext, field: RadianceFieldData, grid: ObjectFieldGrid, options: FusionOptions, views: readonly FusionMaskView[], logits: Float32Array): Promise<GpuFusionEngine> {
        const mode = { DETERMINISTIC: 1 };
        const [rays, samples, weights, targets, fusion, prepare, adam, mask] = await Promise.all([
            ComputeKernel.CreateAsync(context, RayGenerationKernel),
            ComputeKernel.CreateAsync(context, SampleRaysKernel),
            ComputeKernel.CreateAsync(context, FieldWeightsKernel),
            ComputeKernel.CreateAsync(context, FusionTargetsKernel),
            ComputeKernel.CreateAsync(context, ObjectFusionKernel, mode),
            ComputeKernel.CreateAsync(context, PrepareIndirectKernel),
            ComputeKernel.CreateAsync(context, ObjectAdamKernel, mode),
            ComputeKernel.CreateAsync(context, ObjectMaskKernel),
        ]);
        const state = await GpuFieldState.CreateAsync(context, field.params, false);
        state.upload(field.density, field.sh, field.occupancy);
        const bytes = options.raysPerBatch * (RayBytes + options.maxSamplesPerRay * 20 + 56) + logits.byteLength * 4;
        return context.allocateCheckedAsync(`fusion buffers (${(bytes / 2 ** 20).toFixed(0)} MiB)`, () => new GpuFusionEngine(context, { rays, samples, weights, targets, fusion, prepare, adam, mask }, state, grid, options, views, logits));
    }

    /**
     * Queues one step: patches, samples, weights, targets, loss and gradients, Adam.
     * @param step seed, Ray-Pair switch, learning rate, Adam step
     */
    public step(step: FusionStepParams): void {
        const o = this._options;
        const b = this._buffers;
        const rays = this._rayCount;
        const context = this._context;
        context.write(b.rayParams, PackRayParams({ rayCount: rays, frameCount: this._frameCount, totalPixels: this._totalPixels, seed: step.seed, mode: 2, frame: FusionPatchSide, firstRay: 0, background: RayBackground.white }));
        context.write(b.sampleParams, PackSampleParams({ rayCount: rays, maxSamples: o.maxSamplesPerRay, seed: PcgHash(step.seed ^ 0x2545f491), jitter: true }));
        context.write(b.weightParams, new Uint8Array(PackRenderParams({ rayCount: rays, maxSamples: o.maxSamplesPerRay, training: true, earlyStop: FusionEarlyStop })));
        context.write(b.objectParams, new Uint8Array(PackObjectParams(FusionObjectParams(this._grid, rays, o.maxSamplesPerRay, { ...o, rayPair: step.rayPairOn, training: true }))));
        context.write(b.adamParams, new Uint8Array(PackObjectAdamParams({ learningRate: step.learningRate, beta1: 0.9, beta2: 0.99, epsilon: 1e-8, biasCorrection1: 1 / (1 - 0.9 ** step.adamStep), biasCorrection2: 1 / (1 - 0.99 ** step.adamStep), fixedPointScale: DefaultFixedPointScale, channels: this._grid.channels })));
        const k = this._kernels;
        const g = this._groups;
        const encoder = context.device.createCommandEncoder({ label: "fusion-step" });
        encoder.clearBuffer(b.touchedState);
        const pass = encoder.beginComputePass({ label: "fusion-step" });
        k.rays.encode(pass, g.rays, rays);
        k.samples.encode(pass, g.samples, rays);
        k.weights.encode(pass, g.weights, rays);
        k.targets.encode(pass, g.targets, rays);
        k.fusion.encode(pass, g.fusion, rays);
        k.prepare.encode(pass, g.prepare, 1);
        k.adam.encodeIndirect(pass, g.adam, b.indirectArgs);
        pass.end();
        context.device.queue.submit([encoder.finish()]);
    }

    /**
     * Mean loss per ray of the last step.
     * @returns the loss
     */
    public async readLossAsync(): Promise<number> {
        const loss = await this._context.readFloat32Async(this._buffers.rayLoss);
        return loss.reduce((sum, v) => sum + v, 0) / loss.length;
    }

    /**
     * The logits.
     * @returns a copy
     */
    public async downloadLogitsAsync(): Promise<Float32Array> {
        return this._context.readFloat32Async(this._buffers.logits);
    }

    /**
     * Renders the object mask of a view, in chunks of the batch size.
     * @param view pose and intrinsics
     * @returns the mask image
     */
    public async renderMaskAsync(view: FusionView): Promise<ObjectMaskImage> {
        const { width, height } = view.intrinsics;
        const pixelCount = width * height;
        const context = this._context;
        const b = this._buffers;
        const k = this._kernels;
        const f = this._field;
        const o = this._options;
        const packed = PackFrames([{ cameraToWorld: Float64Array.from(view.cameraToWorld), intrinsics: view.intrinsics, image: { width, height, data: new Uint8ClampedArray(pixelCount * 4) } }]);
        const cameras = context.createStorageBuffer("mask-camera", new Uint8Array(packed.cameras));
        const pixels = context.createStorageBuffer("mask-pixels", packed.pixels);
        const gathered = context.createStorageBuffer("mask-gathered", pixelCount * 16);
        try {
            const groups = {
                rays: k.rays.bind({ field: f.fieldUniform, params: b.rayParams, cameras, pixels, rays: b.rays }),
                mask: k.mask.bind({ params: b.objectParams, samples: b.samples, rayColor: b.rayColor, logits: b.logits, rayMask: b.rayMask }),
            };
            for (let first = 0; first < pixelCount; first += this._rayCount) {
                const count = Math.min(this._rayCount, pixelCount - first);
                context.write(b.rayParams, PackRayParams({ rayCount: count, frameCount: 1, totalPixels: pixelCount, seed: 0, mode: 1, frame: 0, firstRay: first, background: RayBackground.white }));
                context.write(b.sampleParams, PackSampleParams({ rayCount: count, maxSamples: o.maxSamplesPerRay, seed: 0, jitter: false }));
                context.write(b.weightParams, new Uint8Array(PackRenderParams({ rayCount: count, maxSamples: o.maxSamplesPerRay, training: false, earlyStop: FusionEarlyStop })));
                context.write(b.objectParams, new Uint8Array(PackObjectParams(FusionObjectParams(this._grid, count, o.maxSamplesPerRay, { ...o, rayPair: false, training: false }))));
                const encoder = context.device.createCommandEncoder({ label: "object-mask" });
                const pass = encoder.beginComputePass({ label: "object-mask" });
                k.rays.encode(pass, groups.rays, count);
                k.samples.encode(pass, this._groups.samples, count);
                k.weights.encode(pass, this._groups.weights, count);
                k.mask.encode(pass, groups.mask, count);
                pass.end();
                encoder.copyBufferToBuffer(b.rayMask, 0, gathered, first * 16, count * 16);
                context.device.queue.submit([encoder.finish()]);
            }
            return MaskImageFromRays(await context.readFloat32Async(gathered), width, height);
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

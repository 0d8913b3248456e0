import type { RadianceFieldData } from "../nerf/radianceFieldData";
import { PackFrames, type PackedFrames } from "../nerf/trainingFrames";
import { PcgHash } from "../../../shaders/nerf/fieldMath";
import { RayGenerationCpu } from "../../../shaders/nerf/rayGenerationCpu";
import { SampleRaysCpu } from "../../../shaders/nerf/sampleRaysCpu";
import { RayBackground } from "../../../shaders/nerf/nerfKernelCommon";
import { FieldWeightsCpu, FusionTargetsCpu, ObjectAdamCpu, ObjectFusionCpu, ObjectMaskCpu } from "../../../shaders/fusion/fusionCpu";
import { DefaultFixedPointScale } from "../../../shaders/reduce/scatterAddKernel";
import { FusionEarlyStop, FusionObjectParams, FusionPatchSide, MaskImageFromRays, PackFusionFrames, type FusionEngine, type FusionStepParams, type FusionView } from "./fusionEngine";
import type { FusionMaskView, FusionOptions, ObjectFieldGrid, ObjectMaskImage } from "./objectFieldTypes";

/**
 * Fusion on the CPU twins of the fusion kernels (same buffer layouts, same rays and samples for
 * a seed): the path when the worker has no WebGPU, and the reference the GPU engine is tested
 * against. Gradients are rounded to the GPU's fixed point before Adam, as the GPU accumulates them.
 */
export class CpuFusionEngine implements FusionEngine {
    /** Always "cpu". */
    public readonly backend = "cpu" as const;
    private readonly _field: RadianceFieldData;
    private readonly _grid: ObjectFieldGrid;
    private readonly _options: FusionOptions;
    private readonly _frames: PackedFrames;
    private readonly _logits: Float32Array;
    private readonly _moments: Float32Array;
    private _lastLoss = 0;

    /**
     * @param field the frozen radiance field
     * @param grid the object grid
     * @param options fusion settings
     * @param views the masks (weight > 0)
     * @param logits initial logits (copied)
     */
    public constructor(field: RadianceFieldData, grid: ObjectFieldGrid, options: FusionOptions, views: readonly FusionMaskView[], logits: Float32Array) {
        this._field = field;
        this._grid = grid;
        this._options = options;
        this._frames = PackFusionFrames(views);
        this._logits = Float32Array.from(logits);
        this._moments = new Float32Array(logits.length * 2);
    }

    /**
     * Runs one step now.
     * @param step seed, Ray-Pair switch, learning rate, Adam step
     */
    public step(step: FusionStepParams): void {
        const o = this._options;
        const rayCount = o.raysPerBatch;
        const traced = this._trace(this._frames, { rayCount, mode: 2, frame: FusionPatchSide, firstRay: 0, seed: step.seed, jitter: true });
        const targets = FusionTargetsCpu(rayCount, traced.rays);
        const params = FusionObjectParams(this._grid, rayCount, o.maxSamplesPerRay, { ...o, rayPair: step.rayPairOn, training: true });
        const result = ObjectFusionCpu(params, traced.samples, traced.rayColor, targets, this._logits);
        this._lastLoss = result.rayLoss.reduce((sum, v) => sum + v, 0) / rayCount;
        const grad = result.grad.map((g) => Math.round(g * DefaultFixedPointScale) / DefaultFixedPointScale);
        ObjectAdamCpu(
            { learningRate: step.learningRate, beta1: 0.9, beta2: 0.99, epsilon: 1e-8, biasCorrection1: 1 / (1 - 0.9 ** step.adamStep), biasCorrection2: 1 / (1 - 0.99 ** step.adamStep), fixedPointScale: DefaultFixedPointScale, channels: this._grid.channels },
            result.touched,
            grad,
            this._logits,
            this._moments
        );
    }

    /**
     * Mean loss per ray of the last step.
     * @returns the loss
     */
    public async readLossAsync(): Promise<number> {
        return this._lastLoss;
    }

    /**
     * The logits.
     * @returns a copy
     */
    public async downloadLogitsAsync(): Promise<Float32Array> {
        return Float32Array.from(this._logits);
    }

    /**
     * Renders the object mask of a view.
     * @param view pose and intrinsics
     * @returns the mask image
     */
    public async renderMaskAsync(view: FusionView): Promise<ObjectMaskImage> {
        const { width, height } = view.intrinsics;
        const pixelCount = width * height;
        const frames = PackFrames([{ cameraToWorld: Float64Array.from(view.cameraToWorld), intrinsics: view.intrinsics, image: { width, height, data: new Uint8ClampedArray(pixelCount * 4) } }]);
        const out = new Float32Array(pixelCount * 4);
        const chunk = this._options.raysPerBatch;
        for (let first = 0; first < pixelCount; first += chunk) {
            const count = Math.min(chunk, pixelCount - first);
            const traced = this._trace(frames, { rayCount: count, mode: 1, frame: 0, firstRay: first, seed: 0, jitter: false });
            const params = FusionObjectParams(this._grid, count, this._options.maxSamplesPerRay, { ...this._options, rayPair: false, training: false });
            out.set(ObjectMaskCpu(params, traced.samples, traced.rayColor, this._logits), first * 4);
        }
        return MaskImageFromRays(out, width, height);
    }

    /** Nothing to free. */
    public dispose(): void {}

    /** Rays, samples and the frozen weights of a batch, as rayGeneration, sampleRays and fieldWeights compute them. */
    private _trace(frames: PackedFrames, batch: { rayCount: number; mode: 1 | 2; frame: number; firstRay: number; seed: number; jitter: boolean }): { rays: ArrayBuffer; samples: Float32Array; rayColor: Float32Array } {
        const field = this._field;
        const maxSamples = this._options.maxSamplesPerRay;
        const rays = RayGenerationCpu(field.params, { rayCount: batch.rayCount, frameCount: frames.frameCount, totalPixels: frames.totalPixels, seed: batch.seed, mode: batch.mode, frame: batch.frame, firstRay: batch.firstRay, background: RayBackground.white }, frames);
        const { sampleT, sampleCount } = SampleRaysCpu(field.params, { rayCount: batch.rayCount, maxSamples, seed: batch.jitter ? PcgHash(batch.seed ^ 0x2545f491) : 0, jitter: batch.jitter }, rays, field.occupancy);
        const { samples, rayColor } = FieldWeightsCpu(field.params, { rayCount: batch.rayCount, maxSamples, earlyStop: FusionEarlyStop }, rays, sampleT, sampleCount, field.density, field.sh);
        return { rays, samples, rayColor };
    }
}

import type { RadianceFieldData } from "../nerf/radianceFieldData";
import type { PackedFrames } from "../nerf/trainingFrames";
import { PcgHash } from "../../../shaders/nerf/fieldMath";
import { RayGenerationCpu } from "../../../shaders/nerf/rayGenerationCpu";
import { SampleRaysCpu } from "../../../shaders/nerf/sampleRaysCpu";
import { RayBackground } from "../../../shaders/nerf/nerfKernelCommon";
import { FieldWeightsCpu, ObjectAdamCpu } from "../../../shaders/fusion/fusionCpu";
import { FeatureDistillCpu } from "../../../shaders/features/featureCpu";
import { FeatureEarlyStop, FeatureKernelParams, PackCellFrames, type FeatureEngine, type FeatureStepParams } from "./featureEngine";
import type { FeatureFieldGrid, FeatureFieldOptions, FeatureRenderView } from "./featureFieldTypes";

/**
 * Feature distillation on the CPU twins of the kernels (same buffer layouts, same rays and samples
 * for a seed): the path without WebGPU, and the reference the GPU engine is tested against.
 */
export class CpuFeatureEngine implements FeatureEngine {
    /** Always "cpu". */
    public readonly backend = "cpu" as const;
    private readonly _field: RadianceFieldData;
    private readonly _grid: FeatureFieldGrid;
    private readonly _options: FeatureFieldOptions;
    private readonly _frames: PackedFrames;
    private readonly _targets: Float32Array;
    private readonly _features: Float32Array;
    private readonly _moments: Float32Array;
    private _lastLoss = 0;

    /**
     * @param field the frozen radiance field
     * @param grid the feature grid
     * @param options distillation settings
     * @param views the training views' cell grids
     * @param targets channels per cell of those grids, in their order
     * @param features initial features (copied)
     */
    public constructor(field: RadianceFieldData, grid: FeatureFieldGrid, options: FeatureFieldOptions, views: readonly FeatureRenderView[], targets: Float32Array, features: Float32Array) {
        this._field = field;
        this._grid = grid;
        this._options = options;
        this._frames = PackCellFrames(views);
        this._targets = targets;
        this._features = Float32Array.from(features);
        this._moments = new Float32Array(features.length * 2);
    }

    /**
     * Runs one step now.
     * @param step seed, learning rate, Adam step
     */
    public step(step: FeatureStepParams): void {
        const rayCount = this._options.raysPerBatch;
        const traced = this._trace(this._frames, { rayCount, mode: 0, firstRay: 0, seed: step.seed, jitter: true });
        const result = FeatureDistillCpu(FeatureKernelParams(this._grid, rayCount, this._options.maxSamplesPerRay, true), traced.rays, traced.samples, traced.rayColor, this._targets, this._features);
        this._lastLoss = result.rayLoss.reduce((sum, v) => sum + v, 0) / rayCount;
        ObjectAdamCpu(
            { learningRate: step.learningRate, beta1: 0.9, beta2: 0.99, epsilon: 1e-8, biasCorrection1: 1 / (1 - 0.9 ** step.adamStep), biasCorrection2: 1 / (1 - 0.99 ** step.adamStep), fixedPointScale: 1, channels: this._grid.channels },
            result.touched,
            result.grad.map(Math.fround),
            this._features,
            this._moments
        );
    }

    /**
     * Mean squared error per channel of the last step.
     * @returns the loss
     */
    public async readLossAsync(): Promise<number> {
        return this._lastLoss;
    }

    /**
     * The features.
     * @returns a copy
     */
    public async downloadFeaturesAsync(): Promise<Float32Array> {
        return Float32Array.from(this._features);
    }

    /**
     * Renders the features of a view's cell grid.
     * @param view pose and cell-grid intrinsics
     * @returns width * height * channels values
     */
    public async renderFeaturesAsync(view: FeatureRenderView): Promise<Float32Array> {
        const { width, height } = view.intrinsics;
        const cells = width * height;
        const channels = this._grid.channels;
        const frames = PackCellFrames([view]);
        const out = new Float32Array(cells * channels);
        const chunk = this._options.raysPerBatch;
        for (let first = 0; first < cells; first += chunk) {
            const count = Math.min(chunk, cells - first);
            const traced = this._trace(frames, { rayCount: count, mode: 1, firstRay: first, seed: 0, jitter: false });
            const result = FeatureDistillCpu(FeatureKernelParams(this._grid, count, this._options.maxSamplesPerRay, false), traced.rays, traced.samples, traced.rayColor, this._targets, this._features);
            out.set(result.rayFeature, first * channels);
        }
        return out;
    }

    /** Nothing to free. */
    public dispose(): void {}

    /** Rays, samples and the frozen weights of a batch, as rayGeneration, sampleRays and fieldWeights compute them. */
    private _trace(frames: PackedFrames, batch: { rayCount: number; mode: 0 | 1; firstRay: number; seed: number; jitter: boolean }): { rays: ArrayBuffer; samples: Float32Array; rayColor: Float32Array } {
        const field = this._field;
        const maxSamples = this._options.maxSamplesPerRay;
        const rays = RayGenerationCpu(field.params, { rayCount: batch.rayCount, frameCount: frames.frameCount, totalPixels: frames.totalPixels, seed: batch.seed, mode: batch.mode, frame: 0, firstRay: batch.firstRay, background: RayBackground.white }, frames);
        const { sampleT, sampleCount } = SampleRaysCpu(field.params, { rayCount: batch.rayCount, maxSamples, seed: batch.jitter ? PcgHash(batch.seed ^ 0x2545f491) : 0, jitter: batch.jitter }, rays, field.occupancy);
        const { samples, rayColor } = FieldWeightsCpu(field.params, { rayCount: batch.rayCount, maxSamples, earlyStop: FeatureEarlyStop }, rays, sampleT, sampleCount, field.density, field.sh);
        return { rays, samples, rayColor };
    }
}

import type { GpuContext } from "../gpu/gpuContext";
import type { RadianceFieldData } from "../nerf/radianceFieldData";
import type { SamImageEmbedding, SamModelFamily } from "../sam/samTypes";
import { PcgHash } from "../../../shaders/nerf/fieldMath";
import { CpuFeatureEngine } from "./cpuFeatureEngine";
import { GpuFeatureEngine } from "./gpuFeatureEngine";
import { FeatureGridFor, type FeatureEngine } from "./featureEngine";
import { FitFeatureBasis, PaddingEmbedding, ProjectCells, UnprojectCells, type EmbeddingCells } from "./featureBasis";
import { CellGridIntrinsics, DistilledTensorName, EmbeddingCellLayoutFor, EmbeddingChannels, EmbeddingGridSide } from "./embeddingCells";
import { DefaultFeatureFieldOptions, type FeatureFieldData, type FeatureFieldGrid, type FeatureFieldOptions, type FeatureFieldProgress, type FeatureRenderView, type FeatureView } from "./featureFieldTypes";
import { FeatureFieldInputError } from "./featureFieldInputError";

/** What a distillation starts from. */
export interface FeatureFieldDistillationSetup {
    /** The frozen radiance field (its weights render the features). */
    readonly field: RadianceFieldData;
    /** Training views with their encoder embeddings (one model). */
    readonly views: readonly FeatureView[];
    /** Family of the model that produced the embeddings (sets where its cells lie). */
    readonly family: SamModelFamily;
    /** Settings (defaults: DefaultFeatureFieldOptions). */
    readonly options?: Partial<FeatureFieldOptions>;
    /** A WebGPU device, or null for the CPU path. */
    readonly context: GpuContext | null;
}

/**
 * SANeRF-HQ's second feature container: the encoder's image embeddings of the capture's views
 * distilled into a low-resolution feature grid aligned with the radiance field (in the embeddings'
 * principal-component basis), rendered with the frozen field's weights. A prompt in any viewpoint
 * then decodes from a rendered embedding without running the encoder. Runs on WebGPU or on the
 * CPU twins of the same kernels.
 */
export class FeatureFieldDistillation {
    /** The feature grid. */
    public readonly grid: FeatureFieldGrid;
    /** Settings in use. */
    public readonly options: FeatureFieldOptions;
    private readonly _engine: FeatureEngine;
    private readonly _data: Omit<FeatureFieldData, "features" | "metadata">;
    private readonly _viewCount: number;
    private _iterations = 0;
    private _lastLoss = Number.NaN;

    private constructor(engine: FeatureEngine, data: Omit<FeatureFieldData, "features" | "metadata">, options: FeatureFieldOptions, viewCount: number) {
        this._engine = engine;
        this._data = data;
        this.grid = data.grid;
        this.options = options;
        this._viewCount = viewCount;
    }

    /** Where the kernels run. */
    public get backend(): "webgpu" | "cpu" {
        return this._engine.backend;
    }

    /** Mean squared error per channel at the last progress report (NaN before any). */
    public get loss(): number {
        return this._lastLoss;
    }

    /** Id of the model whose decoder the rendered embeddings fit. */
    public get modelId(): string {
        return this._data.modelId;
    }

    /**
     * Checks the inputs, fits the basis, projects the views' cells and prepares the engine.
     * @param setup field, views with embeddings, family, options, device
     * @returns the distillation, ready to run
     * @throws FeatureFieldInputError naming what is wrong with the inputs
     */
    public static async CreateAsync(setup: FeatureFieldDistillationSetup): Promise<FeatureFieldDistillation> {
        const options: FeatureFieldOptions = { ...DefaultFeatureFieldOptions, ...setup.options };
        ValidateSetup(setup, options);
        const cells: EmbeddingCells[] = setup.views.map((view) => ({ data: view.embedding.tensors[DistilledTensorName].data, layout: EmbeddingCellLayoutFor(setup.family, view.intrinsics.width, view.intrinsics.height) }));
        const basis = FitFeatureBasis(cells, options.channels, 4096, options.seed);
        const projected = cells.map((view) => ProjectCells(basis, view));
        const targets = new Float32Array(projected.reduce((sum, p) => sum + p.length, 0));
        projected.reduce((offset, p) => (targets.set(p, offset), offset + p.length), 0);
        const grid = FeatureGridFor(setup.field.params, options.gridResolution, options.channels);
        const points = grid.gridSize[0] * grid.gridSize[1] * grid.gridSize[2];
        const features = new Float32Array((points + 1) * options.channels);
        const cellViews: FeatureRenderView[] = setup.views.map((view, v) => ({ cameraToWorld: view.cameraToWorld, intrinsics: CellGridIntrinsics(view.intrinsics, cells[v].layout) }));
        const engine = setup.context ? await GpuFeatureEngine.CreateAsync(setup.context, setup.field, grid, options, cellViews, targets, features) : new CpuFeatureEngine(setup.field, grid, options, cellViews, targets, features);
        const data = { grid, basis, padding: PaddingEmbedding(cells), modelId: setup.views[0].embedding.modelId, family: setup.family };
        return new FeatureFieldDistillation(engine, data, options, setup.views.length);
    }

    /**
     * Opens a distilled field for rendering (no training views).
     * @param field the radiance field it was distilled with
     * @param data the distilled field
     * @param context a WebGPU device, or null for the CPU path
     * @returns the field, ready to render embeddings
     * @throws FeatureFieldInputError when the data does not fill its grid
     */
    public static async OpenAsync(field: RadianceFieldData, data: FeatureFieldData, context: GpuContext | null): Promise<FeatureFieldDistillation> {
        const points = data.grid.gridSize.reduce((a, b) => a * b, 1);
        if (data.features.length !== (points + 1) * data.grid.channels || data.basis.components.length !== data.grid.channels * EmbeddingChannels || data.padding.length !== EmbeddingChannels) {
            throw new FeatureFieldInputError("the feature field is corrupt: its features, basis or padding do not fit its grid");
        }
        const options: FeatureFieldOptions = { ...DefaultFeatureFieldOptions, channels: data.grid.channels };
        const engine = context ? await GpuFeatureEngine.CreateAsync(context, field, data.grid, options, [], new Float32Array(0), data.features) : new CpuFeatureEngine(field, data.grid, options, [], new Float32Array(0), data.features);
        const distillation = new FeatureFieldDistillation(engine, data, options, data.metadata.views);
        distillation._iterations = data.metadata.iterations;
        distillation._lastLoss = data.metadata.finalLoss;
        return distillation;
    }

    /**
     * Runs the iterations (the learning rate decays tenfold over the run).
     * @param onProgress called every `progressInterval` iterations and at the end
     * @param signal cancels (rejects with an AbortError; the engine keeps its state)
     * @returns the distilled field
     */
    public async distillAsync(onProgress?: (progress: FeatureFieldProgress) => void, signal?: AbortSignal): Promise<FeatureFieldData> {
        const o = this.options;
        const started = performance.now();
        for (let it = 0; it < o.iterations; it++) {
            signal?.throwIfAborted();
            this._engine.step({ seed: PcgHash((o.seed * 7919 + it) >>> 0), learningRate: o.learningRate * 0.1 ** (it / o.iterations), adamStep: it + 1 });
            const done = it + 1;
            this._iterations = done;
            if (done % o.progressInterval === 0 || done === o.iterations) {
                const loss = await this._engine.readLossAsync();
                if (!Number.isFinite(loss)) {
                    throw new Error(`feature distillation diverged at iteration ${done} (loss ${loss}); lower the learning rate`);
                }
                this._lastLoss = loss;
                onProgress?.({ iteration: done, iterations: o.iterations, loss, seconds: (performance.now() - started) / 1000 });
            } else if (done % 8 === 0) {
                await this._engine.readLossAsync();
            }
            if (done % 8 === 0) {
                // a macrotask turn, so that a cancel message (or the page) gets its turn even on the CPU path
                await new Promise((resolve) => setTimeout(resolve, 0));
            }
        }
        return this.exportFieldAsync();
    }

    /**
     * The feature field as it is now.
     * @returns the field on the CPU
     */
    public async exportFieldAsync(): Promise<FeatureFieldData> {
        return { ...this._data, features: await this._engine.downloadFeaturesAsync(), metadata: { views: this._viewCount, iterations: this._iterations, finalLoss: this._lastLoss } };
    }

    /**
     * Renders the image embedding of any view (a capture frame or the viewport's camera in capture
     * coordinates): the features of its cells, taken back to the encoder's 256 channels. Decode it
     * with the same model (SamService.decodeAsync takes it in place of an image).
     * @param view pose and the view's own intrinsics
     * @returns an embedding of the model the field was distilled from
     */
    public async renderEmbeddingAsync(view: FeatureRenderView): Promise<SamImageEmbedding> {
        const { width, height } = view.intrinsics;
        if (!Array.from(view.cameraToWorld).every(Number.isFinite) || !(width >= 1 && height >= 1)) {
            throw new FeatureFieldInputError(`cannot render features for a ${width}x${height} view with a non-finite pose`);
        }
        const layout = EmbeddingCellLayoutFor(this._data.family, width, height);
        const features = await this._engine.renderFeaturesAsync({ cameraToWorld: view.cameraToWorld, intrinsics: CellGridIntrinsics(view.intrinsics, layout) });
        const data = UnprojectCells(this._data.basis, features, layout, this._data.padding);
        const i = view.intrinsics;
        const imageKey = `feature-field:${Array.from(view.cameraToWorld, (v) => v.toPrecision(7)).join(",")}:${[i.fx, i.fy, i.cx, i.cy, width, height].join(",")}`;
        return { modelId: this._data.modelId, imageKey, width, height, tensors: { [DistilledTensorName]: { data, dims: [1, EmbeddingChannels, EmbeddingGridSide, EmbeddingGridSide] } } };
    }

    /** Frees the engine. */
    public dispose(): void {
        this._engine.dispose();
    }
}

function ValidateSetup(setup: FeatureFieldDistillationSetup, options: FeatureFieldOptions): void {
    if (setup.views.length === 0) {
        throw new FeatureFieldInputError("feature distillation needs at least one view with its embedding");
    }
    if (!Number.isInteger(options.channels) || options.channels < 1 || options.channels > EmbeddingChannels) {
        throw new FeatureFieldInputError(`channels must be an integer in 1..${EmbeddingChannels} (got ${options.channels})`);
    }
    if (!Number.isInteger(options.raysPerBatch) || options.raysPerBatch <= 0 || !(options.iterations >= 1) || !(options.learningRate > 0) || !(options.gridResolution >= 2)) {
        throw new FeatureFieldInputError(`raysPerBatch (${options.raysPerBatch}), iterations (${options.iterations}), learningRate (${options.learningRate}) and gridResolution (${options.gridResolution}) must be positive (the grid at least 2)`);
    }
    const modelId = setup.views[0].embedding.modelId;
    const expected = [1, EmbeddingChannels, EmbeddingGridSide, EmbeddingGridSide];
    for (const view of setup.views) {
        EmbeddingCellLayoutFor(setup.family, view.intrinsics.width, view.intrinsics.height);
        if (view.embedding.modelId !== modelId) {
            throw new FeatureFieldInputError(`frame ${view.frameIndex}: its embedding comes from model ${view.embedding.modelId}, the others' from ${modelId}`);
        }
        const tensor = view.embedding.tensors[DistilledTensorName];
        if (!tensor) {
            throw new FeatureFieldInputError(`frame ${view.frameIndex}: the embedding has no ${DistilledTensorName} (it has ${Object.keys(view.embedding.tensors).join(", ") || "nothing"})`);
        }
        if (tensor.dims.length !== 4 || tensor.dims.some((d, k) => d !== expected[k]) || tensor.data.length !== expected.reduce((a, b) => a * b, 1)) {
            throw new FeatureFieldInputError(`frame ${view.frameIndex}: ${DistilledTensorName} is [${tensor.dims.join(", ")}] with ${tensor.data.length} values; a feature field needs [${expected.join(", ")}]`);
        }
        if (view.embedding.width !== view.intrinsics.width || view.embedding.height !== view.intrinsics.height) {
            throw new FeatureFieldInputError(`frame ${view.frameIndex}: the embedding is of a ${view.embedding.width}x${view.embedding.height} image, the view is ${view.intrinsics.width}x${view.intrinsics.height}`);
        }
        if (!Array.from(view.cameraToWorld).every(Number.isFinite) || view.cameraToWorld.length !== 16) {
            throw new FeatureFieldInputError(`frame ${view.frameIndex}: the pose is not a finite 4x4 matrix`);
        }
        if (!tensor.data.every(Number.isFinite)) {
            throw new FeatureFieldInputError(`frame ${view.frameIndex}: ${DistilledTensorName} holds non-finite values`);
        }
    }
}

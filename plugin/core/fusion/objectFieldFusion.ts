import type { GpuContext } from "../gpu/gpuContext";
import type { RadianceFieldData } from "../nerf/radianceFieldData";
import { PcgHash } from "../../../shaders/nerf/fieldMath";
import { CpuFusionEngine } from "./cpuFusionEngine";
import { GpuFusionEngine } from "./gpuFusionEngine";
import { ObjectGridFor, type FusionEngine, type FusionView } from "./fusionEngine";
import { DefaultFusionOptions, type FusionMaskView, type FusionOptions, type FusionProgress, type FusionResult, type ObjectFieldData, type ObjectFieldGrid, type ObjectFieldObject, type ObjectMaskImage } from "./objectFieldTypes";
import { FusionInputError } from "./fusionInputError";

/** What a fusion run starts from. */
export interface ObjectFieldFusionSetup {
    /** The frozen radiance field (its density gives the structure, its colours the Ray-Pair pairs). */
    readonly field: RadianceFieldData;
    /** Per-view masks; views with weight 0 are skipped. */
    readonly views: readonly FusionMaskView[];
    /** The objects (labels 1..K in the masks). One object: sigmoid; several: softmax with background. */
    readonly objects: readonly ObjectFieldObject[];
    /** Settings (defaults: DefaultFusionOptions). */
    readonly options?: Partial<FusionOptions>;
    /** An earlier field to refine (warm start): same grid and objects. */
    readonly warmStart?: ObjectFieldData;
    /** A WebGPU device, or null for the CPU path. */
    readonly context: GpuContext | null;
    /** Name of the capture, for the metadata. */
    readonly captureName?: string;
}

/**
 * SANeRF-HQ's mask aggregator: fits an object field (logits on a grid aligned with the radiance
 * field) so that volume rendering its probabilities with the frozen NeRF's weights reproduces the
 * per-view masks (cross-entropy / BCE weighted by each mask's predicted IoU), with the Ray-Pair
 * RGB loss over 8 x 8 patches in the last quarter of the iterations. Runs on WebGPU or on the CPU
 * twins with the same kernels. A warm start refines an existing field instead of starting afresh.
 */
export class ObjectFieldFusion {
    /** The object grid. */
    public readonly grid: ObjectFieldGrid;
    /** Settings in use. */
    public readonly options: FusionOptions;
    private readonly _engine: FusionEngine;
    private readonly _setup: ObjectFieldFusionSetup;
    private readonly _startIterations: number;

    private constructor(setup: ObjectFieldFusionSetup, grid: ObjectFieldGrid, options: FusionOptions, engine: FusionEngine) {
        this._setup = setup;
        this.grid = grid;
        this.options = options;
        this._engine = engine;
        this._startIterations = setup.warmStart?.metadata.iterations ?? 0;
    }

    /** Where the kernels run. */
    public get backend(): "webgpu" | "cpu" {
        return this._engine.backend;
    }

    /**
     * Checks the inputs and prepares the engine.
     * @param setup field, masks, objects, options, warm start, device
     * @returns the fusion, ready to run
     * @throws FusionInputError naming what is wrong with the inputs
     */
    public static async CreateAsync(setup: ObjectFieldFusionSetup): Promise<ObjectFieldFusion> {
        const options: FusionOptions = { ...DefaultFusionOptions, ...setup.options };
        ValidateSetup(setup, options);
        const channels = setup.objects.length === 1 ? 1 : setup.objects.length + 1;
        const grid = setup.warmStart ? setup.warmStart.grid : ObjectGridFor(setup.field.params, options.gridResolution, channels);
        const points = grid.gridSize[0] * grid.gridSize[1] * grid.gridSize[2];
        const logits = setup.warmStart ? setup.warmStart.logits : new Float32Array(points * channels);
        const views = setup.views.filter((view) => view.weight > 0);
        const engine = setup.context ? await GpuFusionEngine.CreateAsync(setup.context, setup.field, grid, options, views, logits) : new CpuFusionEngine(setup.field, grid, options, views, logits);
        return new ObjectFieldFusion(setup, grid, options, engine);
    }

    /**
     * Runs the iterations.
     * @param onProgress called every `progressInterval` iterations and at the end
     * @param signal cancels (rejects with an AbortError; the engine keeps its state)
     * @returns the fused field and the run's figures
     */
    public async fuseAsync(onProgress?: (progress: FusionProgress) => void, signal?: AbortSignal): Promise<FusionResult> {
        const o = this.options;
        const started = performance.now();
        const history: FusionProgress[] = [];
        const rayPairFrom = Math.floor(o.iterations * o.rayPairStart);
        for (let it = 0; it < o.iterations; it++) {
            signal?.throwIfAborted();
            const rayPairOn = o.rayPair && it >= rayPairFrom;
            const learningRate = o.learningRate * 0.1 ** (it / o.iterations);
            this._engine.step({ seed: PcgHash((o.seed * 7919 + this._startIterations + it) >>> 0), rayPairOn, learningRate, adamStep: it + 1 });
            const done = it + 1;
            if (done % o.progressInterval === 0 || done === o.iterations) {
                const progress: FusionProgress = { iteration: done, iterations: o.iterations, loss: await this._engine.readLossAsync(), rayPairOn, seconds: (performance.now() - started) / 1000 };
                if (!Number.isFinite(progress.loss)) {
                    throw new Error(`fusion diverged at iteration ${done} (loss ${progress.loss}); lower the learning rate`);
                }
                history.push(progress);
                onProgress?.(progress);
            } else if (done % 8 === 0) {
                await this._engine.readLossAsync();
            }
            if (done % 8 === 0) {
                // a macrotask turn, so that a cancel message (or the page) gets its turn even on the CPU path
                await new Promise((resolve) => setTimeout(resolve, 0));
            }
        }
        return { field: await this.exportFieldAsync(), backend: this.backend, iterations: o.iterations, seconds: (performance.now() - started) / 1000, history };
    }

    /**
     * The object field as it is now.
     * @returns the field on the CPU
     */
    public async exportFieldAsync(): Promise<ObjectFieldData> {
        return {
            grid: this.grid,
            logits: await this._engine.downloadLogitsAsync(),
            objects: this._setup.objects,
            metadata: { iterations: this._startIterations + this.options.iterations, rayPair: this.options.rayPair, captureName: this._setup.captureName },
        };
    }

    /**
     * Renders the object mask of any view (a capture frame, the viewport's camera in capture coordinates).
     * @param view pose and intrinsics
     * @returns labels and object probability per pixel
     */
    public async renderMaskAsync(view: FusionView): Promise<ObjectMaskImage> {
        return this._engine.renderMaskAsync(view);
    }

    /** Frees the engine. */
    public dispose(): void {
        this._engine.dispose();
    }
}

function ValidateSetup(setup: ObjectFieldFusionSetup, options: FusionOptions): void {
    if (setup.objects.length === 0) {
        throw new FusionInputError("fusion needs at least one object");
    }
    if (setup.objects.length > 7) {
        throw new FusionInputError(`fusion handles at most 7 objects at once (got ${setup.objects.length})`);
    }
    const ids = setup.objects.map((object) => object.id).sort((a, b) => a - b);
    if (ids.some((id, i) => id !== i + 1)) {
        throw new FusionInputError(`object ids must be 1..${ids.length} (got ${ids.join(", ")})`);
    }
    if (!Number.isInteger(options.raysPerBatch / 64) || options.raysPerBatch <= 0) {
        throw new FusionInputError(`raysPerBatch must be a positive multiple of 64 (got ${options.raysPerBatch})`);
    }
    if (!(options.iterations >= 1) || !(options.learningRate > 0)) {
        throw new FusionInputError(`iterations (${options.iterations}) and learningRate (${options.learningRate}) must be positive`);
    }
    const used = setup.views.filter((view) => view.weight > 0);
    if (used.length === 0) {
        throw new FusionInputError("no view has a valid mask (every weight is 0): propagate the prompts first");
    }
    for (const view of setup.views) {
        const { width, height } = view.intrinsics;
        if (view.labels.length !== width * height) {
            throw new FusionInputError(`frame ${view.frameIndex}: the mask has ${view.labels.length} pixels, the view ${width}x${height}`);
        }
        if (!Array.from(view.cameraToWorld).every(Number.isFinite) || !Number.isFinite(view.weight)) {
            throw new FusionInputError(`frame ${view.frameIndex}: non-finite pose or weight`);
        }
        if (width < 8 || height < 8) {
            throw new FusionInputError(`frame ${view.frameIndex}: ${width}x${height} is smaller than one 8x8 fusion patch`);
        }
    }
    const largest = setup.objects.length === 1 ? 1 : setup.objects.length;
    for (const view of used) {
        const bad = view.labels.find((label) => label > largest);
        if (bad !== undefined) {
            throw new FusionInputError(`frame ${view.frameIndex}: mask label ${bad} but only ${largest} object(s)${largest === 1 ? " (a single-object mask must be 0 / 1)" : ""}`);
        }
    }
    const warm = setup.warmStart;
    if (warm) {
        const channels = setup.objects.length === 1 ? 1 : setup.objects.length + 1;
        if (warm.grid.channels !== channels) {
            throw new FusionInputError(`the field to refine has ${warm.grid.channels} channel(s); these masks need ${channels}`);
        }
        if (warm.logits.length !== warm.grid.gridSize.reduce((a, b) => a * b, 1) * warm.grid.channels) {
            throw new FusionInputError("the field to refine is corrupt: its logits do not fill its grid");
        }
    }
}

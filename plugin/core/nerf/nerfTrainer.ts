import type { CaptureBackground, CaptureFrame } from "../capture/captureTypes";
import { TypedEvent } from "../events/typedEvent";
import type { GpuContext } from "../gpu/gpuContext";
import { PcgHash } from "../../../shaders/nerf/fieldMath";
import { DensityShiftFor, FieldGeometry, type FieldRegion } from "./fieldGeometry";
import { GpuFieldRenderer, type FieldView, type RenderedView } from "./gpuFieldRenderer";
import { GpuFieldState } from "./gpuFieldState";
import { NerfKernelSet } from "./nerfKernelSet";
import { NerfTrainingError } from "./nerfTrainingError";
import type { TrainerStatus, TrainingResult, TrainingStepEvent } from "./trainingEvents";
import { PhotoAppearance } from "./photoAppearance";
import type { FieldBackground, RadianceFieldData } from "./radianceFieldData";
import { RayBatch } from "./rayBatch";
import { GrowGridAsync } from "./gridGrowth";
import { ResolveTrainerOptions, type TrainerOptions } from "./trainerOptions";
import { CheckTrainingFrames, CheckTrainingGrid } from "./trainingPreflight";
import { TrainingLevel } from "./trainingLevel";
import { PackFrames, type FrameBuffers } from "./trainingFrames";
import { PackRayParams } from "../../../shaders/nerf/rayGenerationKernel";
import { PackSampleParams } from "../../../shaders/nerf/sampleRaysKernel";
import { PackRenderParams } from "../../../shaders/nerf/volumeRenderForwardKernel";
import { PackAdamParams } from "../../../shaders/nerf/optimizerKernels";
import { RayBackground } from "../../../shaders/nerf/nerfKernelCommon";
import { DefaultFixedPointScale } from "../../../shaders/reduce/scatterAddKernel";

export type { TrainerStatus, TrainingResult, TrainingStepEvent };

/**
 * Trains a radiance field from posed frames with WGSL compute kernels: random ray batches,
 * occupancy-skipping samples, volume rendering forward and backward, total variation, masked
 * Adam, occupancy refreshes and coarse-to-fine grid growth. Start, pause, resume and stop;
 * step events with loss and PSNR; the field stays usable when training stops or fails.
 */
export class NerfTrainer {
    /** Step events (every statsInterval iterations). */
    public readonly onStep = new TypedEvent<TrainingStepEvent>();
    /** The grid was replaced (growth); renderers holding the old state must switch. */
    public readonly onGridChanged = new TypedEvent<GpuFieldState>();
    /** A checkpoint was taken (every `checkpointInterval` iterations): the field on the CPU. */
    public readonly onCheckpoint = new TypedEvent<RadianceFieldData>();
    /** Trainer options in effect. */
    public readonly options: TrainerOptions;
    private readonly _context: GpuContext;
    private readonly _kernels: NerfKernelSet;
    private readonly _batch: RayBatch;
    private readonly _frames: FrameBuffers;
    private readonly _totalPixels: number;
    private readonly _frameCount: number;
    private readonly _trainBackground: number;
    private readonly _renderBackground: FieldBackground;
    private _level: TrainingLevel;
    private _levelSteps = 0;
    private _grown = 0;
    private _iteration = 0;
    private _status: TrainerStatus = "idle";
    private _seconds = 0;
    private _resume: (() => void) | null = null;
    private _paused: Promise<void> | null = null;
    private _stopController = new AbortController();
    private _history: TrainingStepEvent[] = [];
    private _occupiedFraction = 1;
    private _checkpoint: RadianceFieldData | null = null;
    private _renderer: GpuFieldRenderer | null = null;
    private _appearance: PhotoAppearance | null = null;
    private _appearanceSteps = 0;

    private constructor(context: GpuContext, kernels: NerfKernelSet, batch: RayBatch, frames: FrameBuffers, level: TrainingLevel, options: TrainerOptions, info: { totalPixels: number; frameCount: number; background: CaptureBackground }) {
        this._context = context;
        this._kernels = kernels;
        this._batch = batch;
        this._frames = frames;
        this._level = level;
        this.options = options;
        this._totalPixels = info.totalPixels;
        this._frameCount = info.frameCount;
        this._trainBackground = info.background === "white" ? RayBackground.white : info.background === "black" ? RayBackground.black : RayBackground.random;
        this._renderBackground = info.background === "white" ? "white" : "black";
    }

    /**
     * Checks the frames, uploads them and allocates the coarse grid.
     * @param context the WebGPU device to train on
     * @param frames training frames (holdout views excluded by the caller)
     * @param bounds the region to model: a box, or with `contraction` the whole scene around it
     * @param background the capture's background policy ("none", opaque photos, turns "auto" appearance per-photo)
     * @param options trainer options (defaults for the rest)
     * @param start a field to continue training from (a checkpoint, or a saved field): its grid,
     *   values and iteration count; the budget's iterations are then the total to reach, growth
     *   steps already passed are skipped, Adam's moments start from zero, and its per-photo
     *   transforms (when it has them for as many photos) are continued
     * @returns the trainer, idle
     * @throws RangeError when `start` has already reached the budget or is not finite
     */
    public static async CreateAsync(context: GpuContext, frames: readonly CaptureFrame[], bounds: FieldRegion, background: CaptureBackground, options: Parameters<typeof ResolveTrainerOptions>[0] = {}, start?: RadianceFieldData): Promise<NerfTrainer> {
        CheckTrainingFrames(frames);
        const resolved = ResolveTrainerOptions(options);
        CheckTrainingGrid(context.device.limits, bounds, resolved);
        if (start) {
            const points = start.params.gridSize[0] * start.params.gridSize[1] * start.params.gridSize[2];
            if (start.density.length !== points || start.sh.length !== points * 12) {
                throw new RangeError(`the field to continue from has ${start.density.length} density and ${start.sh.length} SH values for a ${start.params.gridSize.join("x")} grid`);
            }
            if (!(start.metadata.iterations < resolved.budget.iterations)) {
                throw new RangeError(`the field to continue from has ${start.metadata.iterations} iterations already; ask for more than that (${resolved.budget.iterations} asked)`);
            }
        }
        const kernels = await NerfKernelSet.CreateAsync(context, resolved.deterministic);
        const packed = PackFrames(frames);
        const frameBuffers = await context.allocateCheckedAsync(`${frames.length} training images`, () => ({
            cameras: context.createStorageBuffer("train-cameras", new Uint8Array(packed.cameras)),
            pixels: context.createStorageBuffer("train-pixels", packed.pixels),
        }));
        const batch = await RayBatch.CreateAsync(context, resolved.budget.raysPerBatch, resolved.maxSamplesPerRay);
        let state: GpuFieldState;
        if (start) {
            state = await GpuFieldState.CreateAsync(context, start.params, true);
            state.upload(start.density, start.sh, start.occupancy);
        } else {
            const coarse = FieldGeometry(bounds, resolved.budget.initialGridResolution, resolved.stepInVoxels, 0, resolved.occupancyScale);
            state = await GpuFieldState.CreateAsync(context, { ...coarse, densityShift: DensityShiftFor(resolved.alphaInit, coarse.stepSize) }, true);
            state.fillOccupancy();
        }
        const level = new TrainingLevel(context, kernels, state, batch, frameBuffers);
        const trainer = new NerfTrainer(context, kernels, batch, frameBuffers, level, resolved, { totalPixels: packed.totalPixels, frameCount: frames.length, background });
        if (resolved.appearance === "per-photo" || (resolved.appearance === "auto" && background === "none")) {
            const continued = start?.appearance?.length === frames.length * 12 ? start.appearance : undefined;
            trainer._appearance = await PhotoAppearance.CreateAsync(context, batch, frameBuffers, frames.length, continued).catch((error: unknown) => {
                trainer.dispose();
                throw error;
            });
        }
        if (start) {
            trainer._iteration = start.metadata.iterations;
            trainer._grown = resolved.budget.growAt.filter((at) => at < start.metadata.iterations).length;
            trainer._checkpoint = start;
        }
        return trainer;
    }

    /** Current status. */
    public get status(): TrainerStatus {
        return this._status;
    }

    /** Iterations done. */
    public get iteration(): number {
        return this._iteration;
    }

    /** The field being trained (changes when the grid grows). */
    public get fieldState(): GpuFieldState {
        return this._level.state;
    }

    /** Background the field renders on. */
    public get background(): FieldBackground {
        return this._renderBackground;
    }

    /** Whether the photos' colour transforms are learned (per-photo appearance). */
    public get learnsAppearance(): boolean {
        return this._appearance !== null;
    }

    /** The last CPU checkpoint (kept if the device is lost), or null. */
    public get lastCheckpoint(): RadianceFieldData | null {
        return this._checkpoint;
    }

    /** Step events so far. */
    public get history(): readonly TrainingStepEvent[] {
        return this._history;
    }

    /** Pauses after the current iteration; trainAsync keeps waiting. */
    public pause(): void {
        if (this._status === "running" && !this._paused) {
            this._paused = new Promise((resolve) => (this._resume = resolve));
            this._status = "paused";
        }
    }

    /** Resumes a paused run. */
    public resume(): void {
        if (this._paused) {
            this._resume?.();
            this._paused = null;
            this._resume = null;
            this._status = "running";
        }
    }

    /** Stops the run after the current iteration (trainAsync resolves with stopped = true). */
    public stop(): void {
        this._stopController.abort();
        this.resume();
    }

    /**
     * Trains until the budget is spent or the run is stopped (by `signal` or {@link stop}).
     * Calling it again after a stop continues from where it stopped.
     * @param signal stops the run
     * @param untilIteration pause point: return (stopped = false) once this many iterations are done; the
     *   learning-rate schedule still follows the whole budget (used for PSNR curves)
     * @returns iterations, seconds and the step history
     * @throws NerfTrainingError on divergence (NaN loss) or a lost device; the field and the last checkpoint stay
     */
    public async trainAsync(signal?: AbortSignal, untilIteration?: number): Promise<TrainingResult> {
        if (this._status === "running" || this._status === "paused") {
            throw new Error("this trainer is already training");
        }
        this._stopController = new AbortController();
        const stopped = (): boolean => this._stopController.signal.aborted || signal?.aborted === true;
        const onAbort = (): void => this.stop();
        signal?.addEventListener("abort", onAbort);
        this._status = "running";
        const o = this.options;
        const total = Math.min(o.budget.iterations, untilIteration ?? Infinity);
        let started = performance.now();
        try {
            while (this._iteration < total && !stopped()) {
                if (this._paused) {
                    this._seconds += (performance.now() - started) / 1000;
                    await this._paused;
                    started = performance.now();
                    continue;
                }
                const it = this._iteration;
                if (o.budget.growAt.includes(it)) {
                    await this._growAsync();
                }
                this._encodeIteration(it);
                this._iteration = it + 1;
                this._levelSteps++;
                const last = this._iteration === total;
                // (stats are also read at pause points so curves see the latest batch)
                if (this._iteration % o.statsInterval === 0 || last) {
                    const step = await this._readStatsAsync((this._seconds * 1000 + performance.now() - started) / 1000);
                    this._history.push(step);
                    this.onStep.notify(step);
                } else if (this._iteration % 4 === 0) {
                    await this._syncAsync();
                }
                if (o.checkpointInterval > 0 && this._iteration % o.checkpointInterval === 0 && !last) {
                    this._checkpoint = await this.exportFieldAsync();
                    this.onCheckpoint.notify(this._checkpoint);
                }
            }
            this._seconds += (performance.now() - started) / 1000;
            await this._syncAsync();
            this._status = this._iteration >= o.budget.iterations ? "finished" : this._iteration >= total ? "idle" : "stopped";
            return { iterations: this._iteration, stopped: this._status === "stopped", seconds: this._seconds, history: this._history };
        } catch (error) {
            this._status = "failed";
            if (error instanceof NerfTrainingError) {
                throw error;
            }
            const lost = this._context.lostInfo;
            const kept = this._checkpoint ? `the last checkpoint (iteration ${this._checkpoint.metadata.iterations}) is kept` : "no checkpoint was saved yet";
            throw new NerfTrainingError(lost ? `the GPU device was lost at iteration ${this._iteration} (${lost.message}); ${kept}` : `training failed at iteration ${this._iteration}: ${(error as Error).message}`, this._iteration, { cause: error });
        } finally {
            signal?.removeEventListener("abort", onAbort);
        }
    }

    /**
     * Downloads the field as it is now.
     * @returns the field on the CPU
     */
    public async exportFieldAsync(): Promise<RadianceFieldData> {
        // the state, its grid and the iteration as they are now: training (and grid growth) may go on while it downloads
        const state = this._level.state;
        const iterations = this._iteration;
        const psnr = this._history.length > 0 ? this._history[this._history.length - 1].psnr : undefined;
        const { density, sh, occupancy } = await state.downloadAsync();
        const appearance = await this._appearance?.downloadAsync();
        return { params: state.params, density, sh, occupancy, background: this._renderBackground, metadata: { iterations, psnr }, ...(appearance ? { appearance } : {}) };
    }

    /**
     * Renders a view of the current field.
     * @param view camera pose and intrinsics
     * @returns the image
     */
    public async renderAsync(view: FieldView): Promise<RenderedView> {
        this._renderer ??= await GpuFieldRenderer.CreateAsync(this._context, { kernels: this._kernels, earlyStop: this.options.earlyStop, maxSamples: this.options.maxSamplesPerRay });
        return this._renderer.renderAsync(this._level.state, view, this._renderBackground);
    }

    /** Frees every GPU buffer of the trainer. */
    public dispose(): void {
        this.stop();
        this._level.dispose();
        this._batch.dispose();
        this._renderer?.dispose();
        this._appearance?.dispose();
        this._context.release(this._frames.cameras);
        this._context.release(this._frames.pixels);
        this.onStep.clear();
        this.onGridChanged.clear();
        this.onCheckpoint.clear();
    }

    private _encodeIteration(it: number): void {
        const o = this.options;
        const context = this._context;
        const batch = this._batch;
        const rays = batch.capacity;
        const progress = it / Math.max(1, o.budget.iterations);
        const decay = o.learningRateDecay ** progress;
        const step = this._levelSteps + 1;
        // learningRateDensity is per grid spacing (as DVGO's voxel-unit density): raw density is
        // per world unit here, so its steps scale with 1 / voxel size.
        const voxelSize = this._level.state.params.stepSize / o.stepInVoxels;
        this._level.setOptimizerParams(
            PackAdamParams({ lrDensity: (o.learningRateDensity * decay) / voxelSize, lrColor: o.learningRateColor * decay, beta1: 0.9, beta2: 0.99, epsilon: 1e-8, biasCorrection1: 1 / (1 - 0.9 ** step), biasCorrection2: 1 / (1 - 0.99 ** step), fixedPointScale: DefaultFixedPointScale }),
            Float32Array.from([o.tvDensity * rays, o.tvColor * rays])
        );
        const seed = PcgHash((o.seed * 7919 + it) >>> 0);
        context.write(batch.rayParams, PackRayParams({ rayCount: rays, frameCount: this._frameCount, totalPixels: this._totalPixels, seed, mode: 0, frame: 0, firstRay: 0, background: this._trainBackground }));
        context.write(batch.sampleParams, PackSampleParams({ rayCount: rays, maxSamples: batch.maxSamples, seed: PcgHash(seed ^ 0x5bd1e995), jitter: true }));
        context.write(batch.renderParams, new Uint8Array(PackRenderParams({ rayCount: rays, maxSamples: batch.maxSamples, training: true, earlyStop: o.earlyStop, distortion: o.distortion })));
        const encoder = context.device.createCommandEncoder({ label: `train-${it}` });
        if (it >= o.occupancyWarmup && (it - o.occupancyWarmup) % o.occupancyInterval === 0) {
            this._level.encodeOccupancyUpdate(encoder, it === o.occupancyWarmup ? 0 : o.occupancyDecay, o.occupancyThreshold);
        }
        const appearance = this._appearance && it >= o.appearanceWarmup ? this._appearance : undefined;
        // (Adam's moments start at zero in each trainer, so its steps are counted from there)
        appearance?.setStep({ learningRate: o.appearanceLearningRate * decay, regularization: o.appearanceRegularization, step: ++this._appearanceSteps });
        this._level.encodeIteration(encoder, rays, o.tvDensity > 0 || o.tvColor > 0, appearance);
        context.device.queue.submit([encoder.finish()]);
    }

    private async _syncAsync(): Promise<void> {
        await this._context.finishAsync();
        if (this._context.lostInfo) {
            throw new Error("device lost");
        }
    }

    private async _readStatsAsync(seconds: number): Promise<TrainingStepEvent> {
        const results = await this._context.readFloat32Async(this._batch.results);
        const rays = this._batch.capacity;
        let loss = 0;
        let samples = 0;
        for (let r = 0; r < rays; r++) {
            loss += results[r * 12 + 6];
            samples += results[r * 12 + 5];
        }
        const mse = loss / rays / 3;
        // Finite colours give a per-channel error <= 1; the forward kernel reports non-finite
        // densities or colours with a loss of 1e9.
        if (!Number.isFinite(mse) || mse > 1) {
            throw new NerfTrainingError(`training diverged at iteration ${this._iteration}: the field holds non-finite values (loss ${Number.isFinite(mse) && mse < 1e6 ? mse.toExponential(2) : "NaN"}); check the capture's poses and intrinsics, or lower the learning rates`, this._iteration);
        }
        const state = this._level.state;
        if (this._iteration > this.options.occupancyWarmup && state.training) {
            const occupied = (await this._context.readUint32Async(state.training.occupancyStats, 1))[0];
            this._occupiedFraction = occupied / state.params.occupancySize.reduce((a, b) => a * b, 1);
        }
        return { iteration: this._iteration, iterations: this.options.budget.iterations, loss: mse, psnr: -10 * Math.log10(Math.max(mse, 1e-12)), samplesPerRay: samples / rays, occupiedFraction: this._occupiedFraction, gridSize: state.params.gridSize, seconds };
    }

    private async _growAsync(): Promise<void> {
        const o = this.options;
        const index = this._grown++;
        const levels = o.budget.growAt.length;
        const ratio = o.budget.gridResolution / o.budget.initialGridResolution;
        const resolution = Math.round(o.budget.initialGridResolution * ratio ** ((index + 1) / levels));
        const state = await GrowGridAsync(this._context, this._kernels, this._level, resolution, { tighten: index === 0, options: o, warm: this._iteration >= o.occupancyWarmup });
        this._level = new TrainingLevel(this._context, this._kernels, state, this._batch, this._frames);
        this._levelSteps = 0;
        this.onGridChanged.notify(state);
    }
}

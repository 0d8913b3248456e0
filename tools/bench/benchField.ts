/**
 * Captures and trained fields for the benchmark suites, loaded and trained through the pipeline's
 * own stages (plugin/core/pipeline) with its default configuration; a suite states only what its
 * benchmark fixes (image size, iterations, grid).
 */
import type { Capture } from "../../plugin/core/capture/captureTypes";
import { UrlCaptureSource } from "../../plugin/core/capture/urlCaptureSource";
import { GpuContext } from "../../plugin/core/gpu/gpuContext";
import type { NerfTrainer } from "../../plugin/core/nerf/nerfTrainer";
import type { RadianceFieldData } from "../../plugin/core/nerf/radianceFieldData";
import type { TrainerOverrides } from "../../plugin/core/nerf/trainerOptions";
import { LoadCaptureStageAsync } from "../../plugin/core/pipeline/captureStage";
import { DefaultPipelineConfig, ResolvePipelineConfig } from "../../plugin/core/pipeline/pipelineConfig";
import { CreateTrainerStageAsync, DescribeTrainingStep, ExportTrainedFieldAsync } from "../../plugin/core/pipeline/trainStage";
import { ImageDecoderPool } from "../../plugin/services/imageDecoderPool";
import { TrainWithCurveAsync, type CurvePoint, type HoldoutEvaluation } from "../../plugin/core/evaluation/holdoutEvaluation";

/**
 * Where bench.mjs serves the sample scenes rendered at the benchmark size (256 px) for the fusion
 * and objects suites; the segment suite uses the shipped 128 px captures under captures/.
 */
export const BenchCaptureRoot = "bench-captures/";

/**
 * Training iterations of the sample scenes' fields in the fusion and objects suites (at 1500 the
 * surfaces are softer and the hard scene's thin objects lose IoU).
 */
export const SampleTrainingIterations = 3000;

/** Radiance grid (points on the longest axis) of the sample scenes' fields in the fusion and objects suites. */
export const SampleGridResolution = 128;

/**
 * A capture loaded by the pipeline's capture stage (images decoded in workers).
 * @param url the capture folder's URL
 * @param name its name
 * @param maxSide longest image side (default: the pipeline's)
 * @returns the capture
 */
export async function LoadBenchCaptureAsync(url: string, name: string, maxSide = DefaultPipelineConfig.capture.maxSide): Promise<Capture> {
    const pool = new ImageDecoderPool();
    try {
        return await LoadCaptureStageAsync(new UrlCaptureSource(url, name), { maxSide }, { decodeImage: (request, signal) => pool.decodeAsync(request, signal) });
    } finally {
        pool.dispose();
    }
}

/**
 * The mic capture (../shared/data) at a size.
 * @param maxSide longest image side
 * @returns the capture
 */
export function LoadMicAsync(maxSide: number): Promise<Capture> {
    return LoadBenchCaptureAsync("/shared/nerf_synthetic_mic/", "nerf_synthetic_mic", maxSide);
}

/**
 * Trains a field through the pipeline's training stage on a device of its own.
 * @param capture the capture
 * @param overrides what the benchmark fixes (iterations, grid, seed)
 * @param log progress log
 * @param logEvery log a step every this many iterations
 * @param run what to do with the trainer (default: train to the end of its budget)
 * @returns the field, and what `run` returned
 */
export async function TrainBenchFieldAsync<T = void>(capture: Capture, overrides: TrainerOverrides, log: (line: string) => void, logEvery: number, run?: (trainer: NerfTrainer, context: GpuContext) => Promise<T>): Promise<{ field: RadianceFieldData; result: T }> {
    const config = ResolvePipelineConfig({ train: overrides });
    const context = await GpuContext.CreateAsync({ label: "bench-train" });
    const trainer = await CreateTrainerStageAsync(context, capture, config.train);
    try {
        trainer.onStep.add((step) => step.iteration % logEvery === 0 && log(DescribeTrainingStep(step)));
        let result = undefined as T;
        if (run) {
            result = await run(trainer, context);
        } else {
            await trainer.trainAsync();
        }
        return { field: await ExportTrainedFieldAsync(trainer, capture), result };
    } finally {
        trainer.dispose();
        context.dispose();
    }
}

/** What {@link TrainMeasuredAsync} measures. */
export interface MeasuredTraining {
    /** Holdout PSNR / SSIM at each curve point. */
    readonly curve: CurvePoint[];
    /** The final holdout evaluation. */
    readonly final: HoldoutEvaluation;
    /** Training seconds (evaluations left out). */
    readonly seconds: number;
    /** Mean samples per ray while training, after the occupancy warm-up. */
    readonly samplesPerRay: number;
    /** Training rays per second at the final grid. */
    readonly gpuRaysPerSecond: number;
    /** Peak GPU memory of the training device, bytes. */
    readonly peak: number;
    /** Longest gap between ticks of a 10 ms main-thread timer while training (holdout scoring included), ms. */
    readonly longestStallMs: number;
}

/**
 * Trains a field through the training stage, evaluating the holdout views at each curve point,
 * and measures samples per ray, throughput at the final grid and peak GPU memory.
 * @param capture the capture
 * @param overrides what the benchmark fixes (iterations, grid)
 * @param curveAt iterations at which the holdout views are scored
 * @param log progress log
 * @param logEvery log a training step every this many iterations
 * @returns the field and the figures
 */
export async function TrainMeasuredAsync(capture: Capture, overrides: TrainerOverrides, curveAt: readonly number[], log: (line: string) => void, logEvery = 250): Promise<{ field: RadianceFieldData; result: MeasuredTraining }> {
    return TrainBenchFieldAsync(capture, overrides, log, logEvery, async (trainer, context) => {
        context.resetPeak();
        const iterations = trainer.options.budget.iterations;
        // the page must stay responsive while the GPU trains: a 10 ms timer keeps firing
        let lastTick = performance.now();
        let longestStallMs = 0;
        const timer = setInterval(() => {
            const now = performance.now();
            longestStallMs = Math.max(longestStallMs, now - lastTick);
            lastTick = now;
        }, 10);
        const { curve, final, seconds } = await TrainWithCurveAsync(trainer, capture, curveAt, log).finally(() => clearInterval(timer));
        const warm = trainer.history.filter((step) => step.iteration > trainer.options.occupancyWarmup + trainer.options.occupancyInterval);
        const samplesPerRay = warm.reduce((s, step) => s + step.samplesPerRay, 0) / Math.max(1, warm.length);
        // Throughput at the final grid after warm-up (as the CPU twins are measured on the final field).
        const settled = trainer.history.filter((step) => step.iteration >= Math.max(...trainer.options.budget.growAt, trainer.options.occupancyWarmup) + 50);
        const first = settled[0];
        const last = settled[settled.length - 1];
        const raysPerBatch = trainer.options.budget.raysPerBatch;
        const gpuRaysPerSecond = first && last && last !== first ? ((last.iteration - first.iteration) * raysPerBatch) / (last.seconds - first.seconds) : (iterations * raysPerBatch) / seconds;
        return { curve, final, seconds, samplesPerRay, gpuRaysPerSecond, peak: context.peakBytes, longestStallMs };
    });
}

let micCapture: Promise<Capture> | null = null;
let trainedField: RadianceFieldData | null = null;

/**
 * Remembers a trained field for later suites of the same run (the nerf suite's result).
 * @param field the field
 */
export function KeepBenchField(field: RadianceFieldData): void {
    trainedField = field;
}

/**
 * The mic field the nerf suite trained in this page (200 px, full budget), if it ran.
 * @returns the field or null
 */
export function KeptBenchField(): RadianceFieldData | null {
    return trainedField;
}

/** The shorter mic field of BenchFieldAsync (never taken for the nerf suite's). */
let shortField: RadianceFieldData | null = null;

/**
 * A trained mic field for suites that need one: the nerf suite's when it ran in this page, else a
 * shorter training (100 px, 800 iterations, 96³), kept for later suites.
 * @param log progress log
 * @returns the field
 */
export async function BenchFieldAsync(log: (line: string) => void): Promise<RadianceFieldData> {
    if (trainedField) {
        return trainedField;
    }
    if (!shortField) {
        log("training a mic field for this suite (100 px, 800 iterations)...");
        micCapture ??= LoadMicAsync(100);
        shortField = (await TrainBenchFieldAsync(await micCapture, { budget: { iterations: 800, gridResolution: 96 } }, log, 200)).field;
    }
    return shortField;
}

/** Mic at 200 px with its 3 000-iteration field, per run length, kept for later suites. */
const micAt200 = new Map<boolean, Promise<{ capture: Capture; field: RadianceFieldData }>>();

/**
 * Mic at 200 px (the fusion and click suites) with a field: the nerf suite's (200 px, 5 000
 * iterations) when it ran in this page, else one trained here at 200 px (3 000 iterations, 500
 * when quick; grid 96³) and kept for later suites.
 * @param quick a quick run
 * @param log progress log
 * @returns the capture and the field
 */
export function Mic200Async(quick: boolean, log: (line: string) => void): Promise<{ capture: Capture; field: RadianceFieldData }> {
    let pending = micAt200.get(quick);
    if (!pending) {
        pending = (async () => {
            const capture = await LoadMicAsync(200);
            const kept = KeptBenchField();
            if (kept) {
                log("mic: using the nerf suite's field");
                return { capture, field: kept };
            }
            const iterations = quick ? 500 : 3000;
            log(`training a field on mic at 200 px (${iterations} iterations)...`);
            const { field } = await TrainBenchFieldAsync(capture, { budget: { iterations, gridResolution: 96 } }, log, 500);
            return { capture, field };
        })();
        micAt200.set(quick, pending);
    }
    return pending;
}

/** A trained field per sample scene, kept for later suites of the same page. */
const sampleFields = new Map<string, { capture: Capture; field: RadianceFieldData }>();

/**
 * A sample scene with a field trained on it (cached per page).
 * @param name tabletop or hard
 * @param iterations training iterations
 * @param log progress log
 * @param gridResolution final grid resolution
 * @param captureRoot URL folder holding the scene's capture (default: the shipped 128 px captures)
 * @returns the capture and the field
 */
export async function TrainedSampleAsync(name: string, iterations: number, log: (line: string) => void, gridResolution = 64, captureRoot = "captures/"): Promise<{ capture: Capture; field: RadianceFieldData }> {
    const key = `${captureRoot}${name}:${iterations}:${gridResolution}`;
    const cached = sampleFields.get(key);
    if (cached) {
        return cached;
    }
    const capture = await LoadBenchCaptureAsync(`${captureRoot}${name}/`, name);
    log(`training a field on ${name} at ${capture.frames[0].intrinsics.width} px (${iterations} iterations, grid ${gridResolution})...`);
    const { field } = await TrainBenchFieldAsync(capture, { budget: { iterations, gridResolution } }, log, 100);
    sampleFields.set(key, { capture, field });
    return { capture, field };
}

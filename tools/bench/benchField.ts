import { ImageDecoderPool } from "../../plugin/services/imageDecoderPool";
import { LoadCaptureAsync } from "../../plugin/core/capture/captureLoader";
import type { Capture } from "../../plugin/core/capture/captureTypes";
import { UrlCaptureSource } from "../../plugin/core/capture/urlCaptureSource";
import type { RadianceFieldData } from "../../plugin/core/nerf/radianceFieldData";
import { CreatePipelineTrainerAsync } from "../pipeline/trainStage";

/**
 * Where tools/bench.mjs serves the sample scenes rendered at the benchmark size (256 px) for the
 * fusion and objects suites; the segment suite uses the shipped 128 px captures under captures/.
 */
export const BenchCaptureRoot = "bench-captures/";

/**
 * Training iterations of the sample scenes' fields in the fusion and objects suites (the trainer's
 * default is 5000; at 1500 the surfaces are softer and the hard scene's thin objects lose IoU).
 */
export const SampleTrainingIterations = 3000;

/** Radiance grid (points on the longest axis) of the sample scenes' fields in the fusion and objects suites. */
export const SampleGridResolution = 128;

let micCapture: Promise<Capture> | null = null;
let trainedField: RadianceFieldData | null = null;

/**
 * The mic capture (../shared/data) at a size, decoded in workers; cached per page.
 * @param maxSide longest image side
 * @returns the capture
 */
export async function LoadMicAsync(maxSide: number): Promise<Capture> {
    const pool = new ImageDecoderPool();
    try {
        return await LoadCaptureAsync(new UrlCaptureSource("/shared/nerf_synthetic_mic/", "nerf_synthetic_mic"), { maxSide, decodeImage: (request, signal) => pool.decodeAsync(request, signal) });
    } finally {
        pool.dispose();
    }
}

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

/**
 * A trained mic field for suites that need one: the nerf suite's when it ran in this page, else a
 * shorter training (100 px, 800 iterations, 96³).
 * @param log progress log
 * @returns the field
 */
export async function BenchFieldAsync(log: (line: string) => void): Promise<RadianceFieldData> {
    if (trainedField) {
        return trainedField;
    }
    log("training a mic field for this suite (100 px, 800 iterations)...");
    micCapture ??= LoadMicAsync(100);
    const capture = await micCapture;
    const { context, trainer } = await CreatePipelineTrainerAsync({ iterations: 800, gridResolution: 96, seed: 1 }, capture);
    await trainer.trainAsync();
    trainedField = await trainer.exportFieldAsync();
    trainer.dispose();
    context.dispose();
    return trainedField;
}

import { LoadCaptureAsync, type CaptureLoadOptions } from "../capture/captureLoader";
import type { CaptureSource } from "../capture/captureSource";
import type { Capture } from "../capture/captureTypes";
import type { CaptureStageConfig } from "./pipelineConfig";

/**
 * Pipeline stage 1: loads and validates a capture, images decoded (in workers, when the caller
 * passes a decoder pool) and downscaled to the configured size.
 * @param source where the capture's files are
 * @param config the capture settings
 * @param io image decoder, progress and cancellation
 * @returns the capture
 */
export async function LoadCaptureStageAsync(source: CaptureSource, config: CaptureStageConfig, io: Omit<CaptureLoadOptions, "maxSide"> = {}): Promise<Capture> {
    return LoadCaptureAsync(source, { ...io, maxSide: config.maxSide });
}

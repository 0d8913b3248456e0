import { ImageDecoderPool } from "../../plugin/services/imageDecoderPool";
import { LoadCaptureAsync } from "../../plugin/core/capture/captureLoader";
import { SplitHoldout } from "../../plugin/core/capture/holdout";
import type { Capture } from "../../plugin/core/capture/captureTypes";
import { UrlCaptureSource } from "../../plugin/core/capture/urlCaptureSource";
import { DrawContactSheetAsync } from "./contactSheet";
import type { OutputWriter } from "./outputWriter";
import type { CaptureReport, PipelineConfig } from "./pipelineTypes";

/**
 * Pipeline stage 1: load and validate the capture (images decoded in workers), write the contact
 * sheet, and summarize the capture.
 * @param config pipeline configuration
 * @param out output writer
 * @param log progress log
 * @returns the capture and its report
 */
export async function RunCaptureStageAsync(config: PipelineConfig, out: OutputWriter, log: (line: string) => void): Promise<{ capture: Capture; report: CaptureReport }> {
    const started = performance.now();
    const pool = new ImageDecoderPool();
    let capture: Capture;
    try {
        let lastShown = 0;
        capture = await LoadCaptureAsync(new UrlCaptureSource(config.captureUrl, config.captureName), {
            maxSide: config.size,
            decodeImage: (request, signal) => pool.decodeAsync(request, signal),
            onProgress: (done, total) => {
                if (done === total || performance.now() - lastShown > 2000) {
                    lastShown = performance.now();
                    log(`capture: ${done}/${total} frames decoded`);
                }
            },
        });
    } finally {
        pool.dispose();
    }
    await out.writeAsync("contact-sheet.png", await DrawContactSheetAsync(capture));
    const { train, holdout } = SplitHoldout(capture.frames.length);
    const first = capture.frames[0];
    const report: CaptureReport = {
        name: capture.name,
        format: capture.format,
        frames: capture.frames.length,
        width: first.image.width,
        height: first.image.height,
        sourceWidth: capture.sourceSize.width,
        sourceHeight: capture.sourceSize.height,
        bounds: { min: [...capture.bounds.min], max: [...capture.bounds.max] },
        background: capture.background,
        holdout,
        trainFrames: train.length,
        objects: capture.objects.map((object) => ({ id: object.id, name: object.name })),
        hasMasks: capture.frames.every((frame) => frame.mask !== undefined),
        hasLabels: capture.frames.every((frame) => frame.labels !== undefined),
        hasDepth: capture.frames.every((frame) => frame.depth !== undefined),
        notes: capture.notes,
        seconds: (performance.now() - started) / 1000,
    };
    return { capture, report };
}

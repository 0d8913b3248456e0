import { SplitHoldout } from "../../plugin/core/capture/holdout";
import type { Capture } from "../../plugin/core/capture/captureTypes";
import { DrawContactSheetAsync } from "./contactSheet";
import type { OutputWriter } from "./outputWriter";
import type { CaptureReport } from "./pipelineRequest";

/**
 * Writes the contact sheet of a loaded capture and summarizes it for report.json.
 * @param capture the capture
 * @param out the output writer
 * @param seconds how long loading took
 * @returns the summary
 */
export async function WriteCaptureOutputsAsync(capture: Capture, out: OutputWriter, seconds: number): Promise<CaptureReport> {
    await out.writeAsync("contact-sheet.png", await DrawContactSheetAsync(capture));
    const { train, holdout } = SplitHoldout(capture.frames.length);
    const first = capture.frames[0];
    return {
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
        seconds,
    };
}

import type { Capture } from "../../plugin/core/capture/captureTypes";
import { FrameName } from "../../plugin/core/capture/frameName";
import { MeanOrNull } from "../../plugin/core/evaluation/holdoutScores";
import { TruthIou, TruthObjectUnder } from "../../plugin/core/evaluation/truthMasks";
import type { RadianceFieldData } from "../../plugin/core/nerf/radianceFieldData";
import type { SegmentStageConfig } from "../../plugin/core/pipeline/pipelineConfig";
import { FieldSegmentationScene, LiftScenePrompts, SegmentViewsAsync, type FrameClick } from "../../plugin/core/pipeline/segmentStage";
import { MaskSetFromObjects, type MaskSet, type ObjectFrameMasks } from "../../plugin/core/segmentation/maskSet";
import { SamService } from "../../plugin/services/samService";
import { WriteLabelMasksAsync } from "./labelMasks";
import type { OutputWriter } from "./outputWriter";
import type { SegmentReport } from "./pipelineRequest";
import { IsClickPrompt, type Cli3dPrompt, type CliBoxPrompt, type CliPointPrompt } from "./promptArguments";

/**
 * The segmentation stage with its outputs: the command-line prompts (clicks in pixels of the
 * original images, or points in 3-D) of each object are lifted through the field, propagated to every frame and decoded
 * there by the pipeline's stage functions; writes masks2d/<frame>.png (0/255 for one object,
 * labels 1..K for several, in object-id order) and masks2d/scores.json (validity, visible
 * fraction, predicted IoU and, where the capture has ground truth, the IoU against the object
 * the clicks landed on).
 * @param capture the capture
 * @param field the radiance field
 * @param prompts point prompts
 * @param boxes box prompts (one per object)
 * @param model "builtin" or encoder/decoder URLs
 * @param config the segmentation settings
 * @param out the output writer
 * @param log progress log
 * @returns the report, the mask set for fusion, and per object the ground-truth label its clicks landed on (0 without ground truth)
 */
export async function SegmentWithOutputsAsync(
    capture: Capture,
    field: RadianceFieldData,
    prompts: readonly CliPointPrompt[],
    boxes: readonly CliBoxPrompt[],
    model: "builtin" | { encoder: string; decoder: string },
    config: SegmentStageConfig,
    out: OutputWriter,
    log: (line: string) => void
): Promise<{ report: SegmentReport; masks: MaskSet; truthObjects: number[] }> {
    const started = performance.now();
    const sam = new SamService({ cache: undefined });
    try {
        const info = model === "builtin" ? await sam.loadBuiltinAsync() : await sam.loadFromUrlsAsync(model.encoder, model.decoder);
        log(`segment: model ${info.name} on ${info.backend}`);
        // clicks are in pixels of each frame's original image
        const scale = (view: number): number => capture.frames[view].image.width / (capture.frames[view].sourceSize ?? capture.sourceSize).width;
        const ids = [...new Set([...prompts.map((p) => p.object), ...boxes.map((b) => b.object)])].sort((a, b) => a - b);
        const objects: ObjectFrameMasks[] = [];
        const reports: SegmentReport["objects"][number][] = [];
        for (const id of ids) {
            const clicks: FrameClick[] = prompts.filter((p) => p.object === id).filter(IsClickPrompt).map((p) => ({ frameIndex: p.view, x: p.x * scale(p.view), y: p.y * scale(p.view), label: p.label }));
            const points = prompts.filter((p): p is Cli3dPrompt => p.object === id && !IsClickPrompt(p)).map((p) => ({ position: p.point, label: p.label }));
            const box = boxes.find((b) => b.object === id);
            const s = box ? scale(box.view) : 1;
            const scene = FieldSegmentationScene(capture, field, config);
            const prompt = LiftScenePrompts(scene, clicks, box ? { frameIndex: box.view, box: { x0: box.x0 * s, y0: box.y0 * s, x1: box.x1 * s, y1: box.y1 * s } } : null, config, points);
            prompt.frameClicks.forEach((points, frame) => log(`segment: object ${id}: ${points.length} click(s) in frame ${frame} hit no surface; used in that frame only`));
            const frames = await SegmentViewsAsync(sam, capture, field, prompt, config);
            const truthObject = TruthObjectUnder(capture, clicks.filter((click) => click.label === 1));
            const views = frames.map((frame) => ({
                frame: frame.frameIndex,
                name: FrameName(capture, frame.frameIndex),
                valid: frame.valid,
                visibleFraction: frame.visibleFraction,
                iou: frame.iou ?? null,
                truthIou: truthObject === null || !frame.mask ? null : TruthIou(capture.frames[frame.frameIndex], truthObject, frame.mask),
            }));
            const meanTruthIou = MeanOrNull(views.filter((view) => view.truthIou !== null).map((view) => view.truthIou!));
            const validViews = frames.filter((frame) => frame.valid).length;
            // named after the ground-truth object the clicks landed on, where the capture names its objects
            objects.push({ name: capture.objects.find((o) => o.id === truthObject)?.name ?? `object ${id}`, frames });
            reports.push({ id, label: objects.length, truthObject, meanTruthIou, validViews, views });
            log(`segment: object ${id}: ${validViews} of ${frames.length} views valid`);
        }
        const masks = MaskSetFromObjects(objects, config.maskWeightFloor, `${info.name} (${prompts.length} click(s), ${boxes.length} box(es))`);
        await WriteLabelMasksAsync(out, "masks2d", capture, masks.labels, masks.objects.length);
        const report: SegmentReport = { model: info.name, backend: info.backend, objects: reports, encoderRuns: sam.encoderRuns, decoderRuns: sam.decoderRuns, seconds: (performance.now() - started) / 1000 };
        await out.writeJsonAsync("masks2d/scores.json", report);
        return { report, masks, truthObjects: reports.map((o) => o.truthObject ?? 0) };
    } finally {
        sam.dispose();
    }
}

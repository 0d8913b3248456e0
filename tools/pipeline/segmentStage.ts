import type { Capture } from "../../plugin/core/capture/captureTypes";
import { PixelRay } from "../../plugin/core/math/cameraProjection";
import { MarchToSurface } from "../../plugin/core/nerf/fieldSurface";
import type { RadianceFieldData } from "../../plugin/core/nerf/radianceFieldData";
import { PropagatePrompts, type PromptPoint3D } from "../../plugin/core/segmentation/promptPropagation";
import type { SamPoint } from "../../plugin/core/sam/samTypes";
import { SamService } from "../../plugin/services/samService";
import { ViewImage } from "../../plugin/prompt/promptSession";
import type { OutputWriter } from "./outputWriter";
import type { CliBoxPrompt, CliPointPrompt } from "./promptArguments";
import { EncodePngAsync } from "./pngFiles";
import type { FrameMaskSet } from "./maskInputs";

/** Per-view figures of the segmentation stage (scores.json). */
export interface SegmentReport {
    readonly model: string;
    readonly backend: string;
    readonly objects: readonly {
        readonly id: number;
        readonly validViews: number;
        /** The ground-truth object the clicks landed on (instance label, or 1 for an alpha mask), when the capture has one. */
        readonly truthObject: number | null;
        /** Mean IoU of the decoded masks against that object over the valid views. */
        readonly meanTruthIou: number | null;
        readonly views: readonly { frame: number; name: string; valid: boolean; visibleFraction: number; iou: number | null; truthIou: number | null }[];
    }[];
    readonly encoderRuns: number;
    readonly decoderRuns: number;
    readonly seconds: number;
}

/** The base name (no folder, no extension) of a frame's image, for output files named like the frames. */
export function FrameName(capture: Capture, index: number): string {
    return capture.frames[index].imagePath.split("/").pop()!.replace(/\.[^.]+$/, "");
}

/**
 * Pipeline stage 3: lifts the command-line prompts (pixels of the original images) through the
 * field to 3-D, propagates them to every frame, decodes the valid views with the segmentation
 * model and writes masks2d/<frame>.png (0/255 for one object, instance labels for several) and
 * masks2d/scores.json.
 * @param capture the capture
 * @param field the radiance field
 * @param prompts point prompts
 * @param boxes box prompts
 * @param model "builtin" or encoder/decoder URLs
 * @param out output writer
 * @param log progress log
 * @returns the report, and the masks as a label map per frame (for fusion) with each frame's
 *   weight (mean predicted IoU of the objects decoded there; 0 where none was) and, per object,
 *   the ground-truth label its clicks landed on (0 without ground truth)
 */
export async function RunSegmentStageAsync(
    capture: Capture,
    field: RadianceFieldData,
    prompts: readonly CliPointPrompt[],
    boxes: readonly CliBoxPrompt[],
    model: "builtin" | { encoder: string; decoder: string },
    out: OutputWriter,
    log: (line: string) => void
): Promise<{ report: SegmentReport; masks: FrameMaskSet; truthObjects: number[] }> {
    const started = performance.now();
    const sam = new SamService({ cache: undefined });
    const info = model === "builtin" ? await sam.loadBuiltinAsync() : await sam.loadFromUrlsAsync(model.encoder, model.decoder);
    log(`segment: model ${info.name} on ${info.backend}`);
    const scale = capture.frames[0].image.width / capture.sourceSize.width;
    const objectIds = [...new Set([...prompts.map((p) => p.object), ...boxes.map((b) => b.object)])].sort((a, b) => a - b);
    const labels = capture.frames.map((frame) => new Uint8Array(frame.image.width * frame.image.height));
    const objects: SegmentReport["objects"][number][] = [];
    for (const id of objectIds) {
        const points: PromptPoint3D[] = [];
        const local = new Map<number, SamPoint[]>();
        for (const prompt of prompts.filter((p) => p.object === id)) {
            const frame = CheckedFrame(capture, prompt.view);
            const ray = PixelRay(frame.cameraToWorld, frame.intrinsics, prompt.x * scale, prompt.y * scale);
            const hit = MarchToSurface(field, ray.origin, ray.direction);
            if (hit) {
                points.push({ position: hit.point, label: prompt.label });
            } else {
                local.set(prompt.view, [...(local.get(prompt.view) ?? []), { x: prompt.x * scale, y: prompt.y * scale, label: prompt.label }]);
                log(`segment: object ${id}: the click at (${prompt.x}, ${prompt.y}) in frame ${prompt.view} hits no surface; it is used in that frame only`);
            }
        }
        let corners: [number, number, number][] | undefined;
        const box = boxes.find((b) => b.object === id);
        if (box) {
            const frame = CheckedFrame(capture, box.view);
            const hits: [number, number, number][] = [];
            for (let i = 0; i <= 7; i++) {
                for (let j = 0; j <= 7; j++) {
                    const ray = PixelRay(frame.cameraToWorld, frame.intrinsics, (box.x0 + ((box.x1 - box.x0) * i) / 7) * scale, (box.y0 + ((box.y1 - box.y0) * j) / 7) * scale);
                    const hit = MarchToSurface(field, ray.origin, ray.direction);
                    if (hit) {
                        hits.push(hit.point);
                    }
                }
            }
            if (hits.length > 0) {
                const lo = [0, 1, 2].map((k) => Math.min(...hits.map((h) => h[k])));
                const hi = [0, 1, 2].map((k) => Math.max(...hits.map((h) => h[k])));
                corners = [0, 1, 2, 3, 4, 5, 6, 7].map((c) => [c & 1 ? hi[0] : lo[0], c & 2 ? hi[1] : lo[1], c & 4 ? hi[2] : lo[2]]);
            }
        }
        const truthObject = TruthObjectOf(capture, prompts.filter((p) => p.object === id && p.label === 1), scale);
        const views = PropagatePrompts(field, capture.frames, points, corners);
        const entries: SegmentReport["objects"][number]["views"][number][] = [];
        for (const view of views) {
            const extra = local.get(view.frameIndex) ?? [];
            const valid = view.valid || extra.some((point) => point.label === 1);
            let iou: number | null = null;
            let truthIou: number | null = null;
            if (valid) {
                const result = await sam.decodeAsync(ViewImage(capture, view.frameIndex), { points: [...view.points, ...extra], box: view.box });
                iou = result.iou;
                truthIou = truthObject === null ? null : TruthIou(capture.frames[view.frameIndex], truthObject, result.mask);
                const target = labels[view.frameIndex];
                result.mask.forEach((value, i) => {
                    if (value > 127) {
                        target[i] = id;
                    }
                });
            }
            entries.push({ frame: view.frameIndex, name: FrameName(capture, view.frameIndex), valid, visibleFraction: view.visibleFraction, iou, truthIou });
        }
        const scored = entries.filter((entry) => entry.truthIou !== null).map((entry) => entry.truthIou!);
        const meanTruthIou = scored.length > 0 ? scored.reduce((a, b) => a + b, 0) / scored.length : null;
        objects.push({ id, truthObject, meanTruthIou, validViews: entries.filter((entry) => entry.valid).length, views: entries });
        log(`segment: object ${id}: ${objects[objects.length - 1].validViews} of ${views.length} views valid`);
    }
    for (let index = 0; index < capture.frames.length; index++) {
        const { width, height } = capture.frames[index].image;
        const data = new Uint8ClampedArray(width * height * 4);
        labels[index].forEach((label, i) => data.set([objectIds.length === 1 && label ? 255 : label, objectIds.length === 1 && label ? 255 : label, objectIds.length === 1 && label ? 255 : label, 255], i * 4));
        await out.writeAsync(`masks2d/${FrameName(capture, index)}.png`, await EncodePngAsync({ width, height, data }));
    }
    const report: SegmentReport = { model: info.name, backend: info.backend, objects, encoderRuns: sam.encoderRuns, decoderRuns: sam.decoderRuns, seconds: (performance.now() - started) / 1000 };
    await out.writeJsonAsync("masks2d/scores.json", report);
    sam.dispose();
    const weights = capture.frames.map((_, index) => {
        const ious = objects.map((o) => o.views[index]).filter((v) => v.valid && v.iou !== null).map((v) => Math.max(0.05, Math.min(1, v.iou!)));
        return ious.length === objects.length ? ious.reduce((a, b) => a + b, 0) / ious.length : 0;
    });
    // fusion wants labels 1..K: the prompt objects in id order
    const relabel = new Map(objectIds.map((id, k) => [id, k + 1]));
    const fusionLabels = labels.map((frame) => frame.map((label) => relabel.get(label) ?? 0));
    const masks: FrameMaskSet = { labels: fusionLabels, weights, objectCount: objectIds.length, source: `${info.name} (${prompts.length} click(s), ${boxes.length} box(es))`, notes: [] };
    return { report, masks, truthObjects: objects.map((o) => o.truthObject ?? 0) };
}

/** The ground-truth object under the positive clicks (most common label), or null without ground truth. */
function TruthObjectOf(capture: Capture, clicks: readonly CliPointPrompt[], scale: number): number | null {
    const votes = new Map<number, number>();
    for (const click of clicks) {
        const frame = capture.frames[click.view];
        const { width, height } = frame.image;
        const x = Math.min(width - 1, Math.max(0, Math.floor(click.x * scale)));
        const y = Math.min(height - 1, Math.max(0, Math.floor(click.y * scale)));
        const label = frame.labels ? frame.labels[y * width + x] : frame.mask ? (frame.mask[y * width + x] > 127 ? 1 : 0) : null;
        if (label !== null && label > 0) {
            votes.set(label, (votes.get(label) ?? 0) + 1);
        }
    }
    let best: number | null = null;
    votes.forEach((count, label) => (best = best === null || count > (votes.get(best) ?? 0) ? label : best));
    return best;
}

/** IoU of a decoded mask (0/255) against a ground-truth object of the frame. */
function TruthIou(frame: Capture["frames"][number], object: number, mask: Uint8Array): number | null {
    const truth = frame.labels ?? frame.mask;
    if (!truth) {
        return null;
    }
    let intersection = 0;
    let union = 0;
    for (let i = 0; i < mask.length; i++) {
        const a = mask[i] > 127;
        const b = frame.labels ? truth[i] === object : truth[i] > 127;
        intersection += a && b ? 1 : 0;
        union += a || b ? 1 : 0;
    }
    return union === 0 ? 1 : intersection / union;
}

function CheckedFrame(capture: Capture, view: number): Capture["frames"][number] {
    const frame = capture.frames[view];
    if (!frame) {
        throw new Error(`prompt view ${view} does not exist (the capture has frames 0..${capture.frames.length - 1})`);
    }
    return frame;
}

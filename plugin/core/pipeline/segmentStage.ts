import type { Capture } from "../capture/captureTypes";
import { CompositeOnBackground } from "../image/compositeOnBackground";
import type { RgbaImage } from "../image/rgbaImage";
import type { RadianceFieldData } from "../nerf/radianceFieldData";
import type { SamBox, SamMaskResult, SamPoint, SamViewImage } from "../sam/samTypes";
import { CandidateChoiceDepthSide, ChooseConsistentCandidates } from "../segmentation/candidateChoice";
import type { FrameMask } from "../segmentation/maskSet";
import { LiftBox, LiftClick, type CapturePoint } from "../segmentation/promptLifting";
import { PropagatePrompts, type PromptPoint3D } from "../segmentation/promptPropagation";
import { RenderViewDepth } from "../segmentation/viewDepth";
import type { SegmentStageConfig } from "./pipelineConfig";
import type { MaskDecoder } from "./pipelineServices";

/** A click in a capture frame, pixels of the loaded (downscaled) frame. */
export interface FrameClick {
    readonly frameIndex: number;
    readonly x: number;
    readonly y: number;
    /** 1 = the object, 0 = background. */
    readonly label: 0 | 1;
}

/** A box drawn in a capture frame, pixels of the loaded frame. */
export interface FrameBox {
    readonly frameIndex: number;
    readonly box: SamBox;
}

/** An object's prompt, ready to propagate: what was lifted to 3-D, and what stays in its own frame. */
export interface ObjectPrompt {
    /** Clicks lifted to the field's surface. */
    readonly points: readonly PromptPoint3D[];
    /** Corners of the box lifted to 3-D (the surface under it), or null. */
    readonly box3d: readonly CapturePoint[] | null;
    /** Clicks that met no surface, per frame: used in the frame they were made in only. */
    readonly frameClicks: ReadonlyMap<number, readonly SamPoint[]>;
}

/**
 * A capture frame as SAM sees it: opaque, composited on the capture's background.
 * @param capture the capture
 * @param index frame index
 * @returns the image
 */
export function ViewImage(capture: Capture, index: number): RgbaImage {
    return CompositeOnBackground(capture.frames[index].image, capture.background);
}

/**
 * A capture frame as the segmentation model takes it: the opaque image and, for a model that
 * takes depth (the built-in one), the field's depth seen from the frame.
 * @param capture the capture
 * @param field the radiance field (the depth's source)
 * @param index frame index
 * @param withDepth whether to render the depth
 * @returns the view
 */
export function ViewInput(capture: Capture, field: RadianceFieldData, index: number, withDepth: boolean): SamViewImage {
    const image = ViewImage(capture, index);
    return withDepth ? { ...image, depth: RenderViewDepth(field, capture.frames[index]) } : image;
}

/**
 * Lifts clicks and a box made in capture frames to 3-D through the field (the rule the prompt
 * tool applies to each click as it is made).
 * @param field the radiance field
 * @param capture the capture the frames belong to
 * @param clicks the clicks
 * @param box a box, or null
 * @param config the segmentation settings (surface threshold, box grid)
 * @returns the object's prompt
 * @throws Error when a click or the box names a frame the capture does not have
 */
export function LiftFramePrompts(field: RadianceFieldData, capture: Capture, clicks: readonly FrameClick[], box: FrameBox | null, config: SegmentStageConfig): ObjectPrompt {
    const frameOf = (index: number): Capture["frames"][number] => {
        const frame = capture.frames[index];
        if (!frame) {
            throw new Error(`prompt view ${index} does not exist (the capture has frames 0..${capture.frames.length - 1})`);
        }
        return frame;
    };
    const points: PromptPoint3D[] = [];
    const frameClicks = new Map<number, SamPoint[]>();
    for (const click of clicks) {
        const position = LiftClick(field, frameOf(click.frameIndex), click.x, click.y, config.surfaceThreshold);
        if (position) {
            points.push({ position, label: click.label });
        } else {
            frameClicks.set(click.frameIndex, [...(frameClicks.get(click.frameIndex) ?? []), { x: click.x, y: click.y, label: click.label }]);
        }
    }
    const box3d = box ? LiftBox(field, frameOf(box.frameIndex), box.box, config.boxRaysPerSide, config.surfaceThreshold) : null;
    return { points, box3d, frameClicks };
}

/**
 * Pipeline stage 3: SANeRF-HQ's prompt propagation and decoding. The object's 3-D prompt points
 * (and box) are projected into every capture frame and kept where visible (PropagatePrompts);
 * each valid frame is decoded once with its cached embedding (a model that takes depth gets the
 * field's depth of the frame, see ViewInput). Clicks that met no surface are used
 * in their own frame only (which they make valid when one is positive). With `maskChoice`
 * "consistent" (the default) each view's mask is then chosen among the decoder's candidates by what
 * the other views agree with in 3-D (ChooseAcrossViews), not by the decoder's predicted IoU alone.
 * @param decoder the segmentation model's client
 * @param capture the capture
 * @param field the radiance field
 * @param prompt the object's prompt
 * @param config the segmentation settings
 * @param progress frames done / total, and cancellation (nothing is returned when cancelled)
 * @param progress.onProgress called after each frame
 * @param progress.signal cancels
 * @returns one mask per capture frame
 * @throws Error when the prompt has nothing to propagate
 */
export async function SegmentViewsAsync(
    decoder: MaskDecoder,
    capture: Capture,
    field: RadianceFieldData,
    prompt: ObjectPrompt,
    config: SegmentStageConfig,
    progress: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {}
): Promise<FrameMask[]> {
    if (prompt.points.length === 0 && !prompt.box3d && prompt.frameClicks.size === 0) {
        throw new Error("the object has no prompt to propagate (click on the object first)");
    }
    const views = PropagatePrompts(field, capture.frames, prompt.points, prompt.box3d ?? undefined, config);
    const masks: FrameMask[] = [];
    const candidates: (SamMaskResult | null)[] = [];
    const consistent = config.maskChoice === "consistent";
    for (const view of views) {
        progress.signal?.throwIfAborted();
        const { width, height } = capture.frames[view.frameIndex].image;
        const extra = prompt.frameClicks.get(view.frameIndex) ?? [];
        const valid = view.valid || extra.some((point) => point.label === 1);
        const base = { frameIndex: view.frameIndex, valid, visibleFraction: view.visibleFraction, width, height };
        if (valid) {
            const input = ViewInput(capture, field, view.frameIndex, (decoder.takesDepth ?? false) && config.viewDepth);
            const result = await decoder.decodeAsync(input, { points: [...view.points, ...extra], box: view.box }, { allCandidates: consistent }, progress.signal);
            masks.push({ ...base, mask: result.mask, iou: result.iou });
            candidates.push(result);
        } else {
            masks.push(base);
            candidates.push(null);
        }
        progress.onProgress?.(masks.length, views.length);
    }
    return consistent ? ChooseAcrossViews(capture, field, masks, candidates, prompt, progress.signal) : masks;
}

/**
 * Each view's mask chosen among the decoder's candidates by what the other views agree with
 * (ChooseConsistentCandidates), the views' depth rendered from the field at 64 px. SAM's full
 * output of four keeps to its three multimask candidates; views the user clicked in keep the
 * decoder's choice. Unchanged when fewer than three views have several candidates.
 */
function ChooseAcrossViews(capture: Capture, field: RadianceFieldData, masks: FrameMask[], results: readonly (SamMaskResult | null)[], prompt: ObjectPrompt, signal?: AbortSignal): FrameMask[] {
    const offered = results.map((result) => (result?.candidateMasks && result.candidateMasks.length > 1 ? (result.candidateMasks.length === 4 ? [1, 2, 3] : result.candidateMasks.map((_, k) => k)) : null));
    if (offered.filter((list) => list !== null).length < 3) {
        return masks;
    }
    const views = masks.map((mask, v) => {
        const list = offered[v];
        const result = results[v];
        if (!list || !result?.candidateMasks) {
            return null;
        }
        signal?.throwIfAborted();
        const frame = capture.frames[mask.frameIndex];
        return {
            cameraToWorld: frame.cameraToWorld,
            intrinsics: frame.intrinsics,
            depth: RenderViewDepth(field, frame, { maxSide: CandidateChoiceDepthSide }),
            candidates: list.map((k) => ({ mask: result.candidateMasks![k], iou: result.candidateIous[k] })),
            fixed: prompt.frameClicks.has(mask.frameIndex),
        };
    });
    const choice = ChooseConsistentCandidates(views);
    return masks.map((mask, v) => {
        const list = offered[v];
        const result = results[v];
        if (!list || !result?.candidateMasks || choice.chosen[v] < 0) {
            return mask;
        }
        const k = list[choice.chosen[v]];
        return { ...mask, mask: result.candidateMasks[k], iou: result.candidateIous[k] };
    });
}

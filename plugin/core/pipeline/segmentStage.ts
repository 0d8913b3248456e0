import type { Capture } from "../capture/captureTypes";
import { CompositeOnBackground } from "../image/compositeOnBackground";
import type { RgbaImage } from "../image/rgbaImage";
import type { RadianceFieldData } from "../nerf/radianceFieldData";
import type { SamBox, SamMaskResult, SamPoint, SamViewImage } from "../sam/samTypes";
import { CandidateChoiceDepthSide, ChooseConsistentCandidates } from "../segmentation/candidateChoice";
import type { FrameMask } from "../segmentation/maskSet";
import { LiftBoxWithProbe, type CapturePoint } from "../segmentation/promptLifting";
import { PropagateWithProbe, type PromptPoint3D } from "../segmentation/promptPropagation";
import { FieldSurfaceProbe, type PropagationView, type SurfaceProbe } from "../segmentation/surfaceProbe";
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
    /**
     * The box as drawn, used as it is in its own view (the lifted box's projection there holds
     * the surface behind the object too, so it is looser); other views get box3d's projection.
     */
    readonly frameBox?: FrameBox | null;
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
    return LiftScenePrompts(FieldSegmentationScene(capture, field, config), clicks, box, config);
}

/**
 * Lifts clicks and a box made in a scene's views to its surface, and adds prompt points given in
 * 3-D (scripted prompts): the object's prompt for {@link SegmentSceneViewsAsync}.
 * @param scene the scene
 * @param clicks clicks in its views
 * @param box a box, or null
 * @param config the box grid
 * @param points prompt points already in 3-D, scene coordinates
 * @returns the object's prompt
 * @throws Error when a click or the box names a view the scene does not have
 */
export function LiftScenePrompts(scene: SegmentationScene, clicks: readonly FrameClick[], box: FrameBox | null, config: SegmentStageConfig, points: readonly PromptPoint3D[] = []): ObjectPrompt {
    const viewOf = (index: number): PropagationView => {
        const view = scene.views[index];
        if (!view) {
            throw new Error(`prompt view ${index} does not exist (${scene.viewsPhrase} 0..${scene.views.length - 1})`);
        }
        return view;
    };
    const lifted: PromptPoint3D[] = [...points];
    const frameClicks = new Map<number, SamPoint[]>();
    for (const click of clicks) {
        const position = scene.probe.firstSurface(viewOf(click.frameIndex), click.frameIndex, click.x, click.y)?.point;
        if (position) {
            lifted.push({ position, label: click.label });
        } else {
            frameClicks.set(click.frameIndex, [...(frameClicks.get(click.frameIndex) ?? []), { x: click.x, y: click.y, label: click.label }]);
        }
    }
    const box3d = box ? LiftBoxWithProbe(scene.probe, viewOf(box.frameIndex), box.frameIndex, box.box, config.boxRaysPerSide) : null;
    return { points: lifted, box3d, frameClicks, frameBox: box };
}

/**
 * What the segmentation stage needs of a scene, whatever represents it (a radiance field and its
 * capture, or Gaussian splats and their views): the views, where the first surface lies along
 * their rays, each view as the segmentation model takes it, and a depth map per view for the
 * choice among candidates.
 */
export interface SegmentationScene {
    /** The views masks are made for, in order (their intrinsics give the masks' size). */
    readonly views: readonly PropagationView[];
    /** How messages name the views' range, e.g. "the capture has frames" (followed by "0..N"). */
    readonly viewsPhrase: string;
    /** The scene's first surface along the views' rays (visibility of the prompt points). */
    readonly probe: SurfaceProbe;
    /**
     * A view as the model takes it.
     * @param index the view
     * @param withDepth whether to add the scene's depth (models that take depth)
     */
    viewInput(index: number, withDepth: boolean): SamViewImage;
    /**
     * Depth along the view's -z at the view's size, 0 where nothing (for ChooseConsistentCandidates).
     * @param index the view
     */
    choiceDepth(index: number): Float32Array;
}

/**
 * A radiance field and its capture as a segmentation scene.
 * @param capture the capture
 * @param field the radiance field
 * @param config the surface threshold and visibility tolerance
 * @returns the scene
 */
export function FieldSegmentationScene(capture: Capture, field: RadianceFieldData, config: SegmentStageConfig): SegmentationScene {
    return {
        views: capture.frames,
        viewsPhrase: "the capture has frames",
        probe: FieldSurfaceProbe(field, config.surfaceThreshold, config.depthToleranceSpacings),
        viewInput: (index, withDepth) => ViewInput(capture, field, index, withDepth),
        choiceDepth: (index) => RenderViewDepth(field, capture.frames[index], { maxSide: CandidateChoiceDepthSide }),
    };
}

/**
 * Pipeline stage 3: SANeRF-HQ's prompt propagation and decoding, on a radiance field
 * ({@link SegmentSceneViewsAsync} on {@link FieldSegmentationScene}).
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
    return await SegmentSceneViewsAsync(decoder, FieldSegmentationScene(capture, field, config), prompt, config, progress);
}

/**
 * SANeRF-HQ's prompt propagation and decoding on any segmentation scene. The object's 3-D prompt
 * points (and box) are projected into every view and kept where visible (PropagateWithProbe);
 * each valid view is decoded once (a model that takes depth gets the scene's depth of the view).
 * Clicks that met no surface are used in their own view only (which they make valid when one is
 * positive). With `maskChoice` "consistent" (the default) each view's mask is then chosen among
 * the decoder's candidates by what the other views agree with in 3-D (ChooseAcrossViews), not by
 * the decoder's predicted IoU alone.
 * @param decoder the segmentation model's client
 * @param scene the views, their surface and their images
 * @param prompt the object's prompt
 * @param config the segmentation settings
 * @param progress views done / total, and cancellation (nothing is returned when cancelled)
 * @param progress.onProgress called after each view
 * @param progress.signal cancels
 * @returns one mask per view
 * @throws Error when the prompt has nothing to propagate
 */
export async function SegmentSceneViewsAsync(
    decoder: MaskDecoder,
    scene: SegmentationScene,
    prompt: ObjectPrompt,
    config: SegmentStageConfig,
    progress: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {}
): Promise<FrameMask[]> {
    if (prompt.points.length === 0 && !prompt.box3d && prompt.frameClicks.size === 0) {
        throw new Error("the object has no prompt to propagate (click on the object first)");
    }
    prompt = await TightenBoxPromptAsync(decoder, scene, prompt, config, progress.signal);
    const views = PropagateWithProbe(scene.probe, scene.views, prompt.points, prompt.box3d ?? undefined, config);
    const masks: FrameMask[] = [];
    const candidates: (SamMaskResult | null)[] = [];
    const consistent = config.maskChoice === "consistent";
    for (const view of views) {
        progress.signal?.throwIfAborted();
        const { width, height } = scene.views[view.frameIndex].intrinsics;
        const extra = prompt.frameClicks.get(view.frameIndex) ?? [];
        const drawn = prompt.frameBox?.frameIndex === view.frameIndex ? prompt.frameBox.box : undefined;
        const valid = view.valid || drawn !== undefined || extra.some((point) => point.label === 1);
        const base = { frameIndex: view.frameIndex, valid, visibleFraction: view.visibleFraction, width, height };
        if (valid) {
            const input = scene.viewInput(view.frameIndex, (decoder.takesDepth ?? false) && config.viewDepth);
            const result = await decoder.decodeAsync(input, { points: [...view.points, ...extra], box: drawn ?? view.box }, { allCandidates: consistent }, progress.signal);
            masks.push({ ...base, mask: result.mask, iou: result.iou });
            candidates.push(result);
        } else {
            masks.push(base);
            candidates.push(null);
        }
        progress.onProgress?.(masks.length, views.length);
    }
    return consistent ? ChooseAcrossViews(scene, masks, candidates, prompt, progress.signal) : masks;
}

/**
 * A drawn box made tight before it is propagated: the box's own view is decoded first, and only
 * the rays inside that mask are lifted (every ray of the box also meets the surface behind the
 * object, and the lifted box of those spreads over it in the other views); without a positive
 * click, the surface under the mask's pixel nearest its centre becomes one, so the other views
 * start from the object rather than from the projected box's centre.
 */
async function TightenBoxPromptAsync(decoder: MaskDecoder, scene: SegmentationScene, prompt: ObjectPrompt, config: SegmentStageConfig, signal?: AbortSignal): Promise<ObjectPrompt> {
    const drawn = prompt.frameBox;
    const view = drawn ? scene.views[drawn.frameIndex] : undefined;
    if (!drawn || !view) {
        return prompt;
    }
    const input = scene.viewInput(drawn.frameIndex, (decoder.takesDepth ?? false) && config.viewDepth);
    const { mask } = await decoder.decodeAsync(input, { points: [...(prompt.frameClicks.get(drawn.frameIndex) ?? [])], box: drawn.box }, {}, signal);
    const { width, height } = view.intrinsics;
    const inside = (x: number, y: number): boolean => mask[Math.min(height - 1, Math.floor(y)) * width + Math.min(width - 1, Math.floor(x))] > 127;
    const box3d = LiftBoxWithProbe(scene.probe, view, drawn.frameIndex, drawn.box, 2 * config.boxRaysPerSide, inside);
    if (!box3d) {
        return prompt;
    }
    const seed = prompt.points.some((point) => point.label === 1) ? null : MaskCentrePixel(mask, width);
    const hit = seed ? scene.probe.firstSurface(view, drawn.frameIndex, seed.x, seed.y) : null;
    return { ...prompt, box3d, points: hit ? [...prompt.points, { position: hit.point, label: 1 }] : prompt.points };
}

/**
 * The mask's pixel nearest its centroid (pixel centre), or null for an empty mask.
 * @param mask 0/255 per pixel
 * @param width the mask's width
 * @returns the pixel
 */
function MaskCentrePixel(mask: Uint8Array, width: number): { x: number; y: number } | null {
    let sumX = 0;
    let sumY = 0;
    let count = 0;
    for (let p = 0; p < mask.length; p++) {
        if (mask[p] > 127) {
            sumX += (p % width) + 0.5;
            sumY += Math.floor(p / width) + 0.5;
            count++;
        }
    }
    let best: { x: number; y: number } | null = null;
    let bestDistance = Infinity;
    for (let p = 0; p < mask.length; p++) {
        const x = (p % width) + 0.5;
        const y = Math.floor(p / width) + 0.5;
        const distance = Math.hypot(x - sumX / count, y - sumY / count);
        if (mask[p] > 127 && distance < bestDistance) {
            best = { x, y };
            bestDistance = distance;
        }
    }
    return best;
}

/**
 * Each view's mask chosen among the decoder's candidates by what the other views agree with
 * (ChooseConsistentCandidates), the views' depth rendered from the field at 64 px. SAM's full
 * output of four keeps to its three multimask candidates; views the user clicked in keep the
 * decoder's choice. Unchanged when fewer than three views have several candidates.
 */
function ChooseAcrossViews(scene: SegmentationScene, masks: FrameMask[], results: readonly (SamMaskResult | null)[], prompt: ObjectPrompt, signal?: AbortSignal): FrameMask[] {
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
        const view = scene.views[mask.frameIndex];
        return {
            cameraToWorld: view.cameraToWorld,
            intrinsics: view.intrinsics,
            depth: scene.choiceDepth(mask.frameIndex),
            candidates: list.map((k) => ({ mask: result.candidateMasks![k], iou: result.candidateIous[k] })),
            fixed: prompt.frameClicks.has(mask.frameIndex) || prompt.frameBox?.frameIndex === mask.frameIndex,
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

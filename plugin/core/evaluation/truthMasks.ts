/**
 * A capture's ground truth as masks (instance labels, or the alpha mask as one object), masks
 * corrupted by the noise model, and what a click lands on: for benchmarks and tests, where the
 * capture has ground truth. Babylon-free.
 */
import type { Capture, CaptureFrame } from "../capture/captureTypes";
import type { MaskSet } from "../segmentation/maskSet";
import { CountOverlap, IouOf } from "./maskMetrics";
import { CorruptMask, DefaultMaskNoise, type MaskNoiseParams } from "./maskNoise";
import type { RadianceFieldData } from "../nerf/radianceFieldData";
import { DepthToWorldPoints } from "../math/cameraProjection";
import { RenderViewDepth } from "../segmentation/viewDepth";
import { DefaultSamLikeErrors, PlanSamLikeErrors, type SamLikeErrorParams, type SamLikeObjectPlan, type SamLikeViewGeometry } from "./samLikeErrors";
import { SamLikeMaskSet, SamLikeViewMasks, type SamLikeCandidateKind, type SamLikeView } from "./samLikeMasks";
import { CandidateChoiceDepthSide, ChooseConsistentCandidates } from "../segmentation/candidateChoice";
import type { SegmentStageConfig } from "../pipeline/pipelineConfig";

/**
 * The capture's own ground truth: instance labels, or the alpha mask as object 1.
 * @param capture the capture
 * @returns per-frame labels, or null when the capture has none
 */
export function TruthLabels(capture: Capture): Uint8Array[] | null {
    if (capture.frames.every((frame) => frame.labels)) {
        return capture.frames.map((frame) => frame.labels!);
    }
    if (capture.frames.every((frame) => frame.mask)) {
        return capture.frames.map((frame) => Uint8Array.from(frame.mask!, (value) => (value > 127 ? 1 : 0)));
    }
    return null;
}

/**
 * The ground truth as a mask set, every object at once, every frame weighted 1.
 * @param capture the capture
 * @returns the mask set
 * @throws Error when the capture has no ground truth
 */
export function TruthMaskSet(capture: Capture): MaskSet {
    const labels = TruthLabels(capture);
    if (!labels) {
        throw new Error("this capture has no ground truth (no instance labels, no alpha masks)");
    }
    const count = labels.reduce((max, frame) => frame.reduce((m, v) => Math.max(m, v), max), 0);
    const objects = Array.from({ length: count }, (_, i) => ({ id: i + 1, name: capture.objects.find((o) => o.id === i + 1)?.name ?? `object ${i + 1}` }));
    return { objects, labels, weights: labels.map(() => 1), source: "ground truth", notes: [] };
}

/**
 * A mask set corrupted by the seeded noise model (per-view boundary jitter, holes, blobs, wrong
 * and missing views, a simulated predicted IoU multiplied into each view's weight).
 * @param masks the masks
 * @param capture the capture (frame sizes)
 * @param seed the noise seed
 * @returns the corrupted set and the noise parameters used
 */
export function CorruptMaskSet(masks: MaskSet, capture: Capture, seed: number): { masks: MaskSet; noise: MaskNoiseParams } {
    const noise: MaskNoiseParams = { ...DefaultMaskNoise, seed };
    const noisy = masks.labels.map((labels, index) => CorruptMask(labels, capture.frames[index].image.width, capture.frames[index].image.height, index, noise));
    const wrong = noisy.filter((n) => n.fate === "wrong").length;
    const missing = noisy.filter((n) => n.fate === "missing").length;
    return {
        masks: {
            ...masks,
            labels: noisy.map((n) => n.labels),
            weights: noisy.map((n, index) => n.weight * masks.weights[index]),
            source: `${masks.source} + noise`,
            notes: [...masks.notes, `noise seed ${seed}: ${wrong} wrong view(s), ${missing} missing`],
        },
        noise,
    };
}

/**
 * The ground-truth object under positive clicks (the most common label), or null without ground truth.
 * @param capture the capture
 * @param clicks clicks, pixels of the loaded frames
 * @returns the object's label (1 for an alpha mask), or null
 */
export function TruthObjectUnder(capture: Capture, clicks: readonly { readonly frameIndex: number; readonly x: number; readonly y: number }[]): number | null {
    const votes = new Map<number, number>();
    for (const click of clicks) {
        const frame = capture.frames[click.frameIndex];
        const { width, height } = frame.image;
        const x = Math.min(width - 1, Math.max(0, Math.floor(click.x)));
        const y = Math.min(height - 1, Math.max(0, Math.floor(click.y)));
        const label = frame.labels ? frame.labels[y * width + x] : frame.mask ? (frame.mask[y * width + x] > 127 ? 1 : 0) : null;
        if (label !== null && label > 0) {
            votes.set(label, (votes.get(label) ?? 0) + 1);
        }
    }
    let best: number | null = null;
    votes.forEach((count, label) => (best = best === null || count > (votes.get(best) ?? 0) ? label : best));
    return best;
}

/**
 * IoU of a decoded mask (0/255) against a ground-truth object of its frame.
 * @param frame the frame (with labels or an alpha mask)
 * @param object the object's label (1 for an alpha mask)
 * @param mask the decoded mask
 * @returns the IoU, or null when the frame has no ground truth
 */
export function TruthIou(frame: CaptureFrame, object: number, mask: Uint8Array): number | null {
    const labels = frame.labels;
    const alpha = frame.mask;
    if (labels) {
        return IouOf(CountOverlap(mask.length, (i) => mask[i] > 127, (i) => labels[i] === object));
    }
    return alpha ? IouOf(CountOverlap(mask.length, (i) => mask[i] > 127, (i) => alpha[i] > 127)) : null;
}

/**
 * A capture's views under the SAM-like error model (samLikeErrors, samLikeMasks): the truth's
 * objects' errors planned once in 3-D, then each view's three candidates per object. World points
 * come from the frames' depth where the capture has it (the sample scenes), else from the field's
 * median depth (mic: the field stands in for the geometry the capture lacks).
 * @param masks the truth's mask set
 * @param capture the capture (images, poses, depth)
 * @param field the radiance field, for frames without depth (null: such frames have no world points)
 * @param params the model's parameters
 * @returns the plans and every view's candidates
 */
export function SamLikeCaptureViews(masks: MaskSet, capture: Capture, field: RadianceFieldData | null, params: SamLikeErrorParams = DefaultSamLikeErrors): { plans: SamLikeObjectPlan[]; views: SamLikeView[] } {
    const geometry: SamLikeViewGeometry[] = capture.frames.map((frame, index) => {
        const depth = frame.depth ?? (field ? RenderViewDepth(field, frame) : new Float32Array(frame.image.width * frame.image.height));
        return { labels: masks.labels[index], points: DepthToWorldPoints(frame.cameraToWorld, frame.intrinsics, depth), image: frame.image };
    });
    const plans = PlanSamLikeErrors(geometry, masks.objects.map((o) => o.id), params);
    return { plans, views: geometry.map((view, index) => SamLikeViewMasks(view, index, plans, params)) };
}

/** What a choice among the SAM-like candidates kept: the kinds and the chosen masks' true IoU. */
export interface SamLikeChoiceSummary {
    /** (view, object) pairs whose candidate differs from SAM's own choice. */
    readonly changed: number;
    /** Chosen (view, object) pairs per candidate kind, views without masks left out. */
    readonly kinds: Readonly<Record<SamLikeCandidateKind, number>>;
    /** Mean IoU against the truth of the chosen masks over every view with masks (training and holdout). */
    readonly meanTrueIou: number;
}

/**
 * A mask set corrupted by the SAM-like error model, each view's candidate chosen the way the
 * pipeline's `segment.maskChoice` says: SAM's top predicted IoU, or the candidate the other views
 * agree with (ChooseConsistentCandidates on the field's depth, as the segment stage does).
 * @param masks the truth's mask set
 * @param capture the capture
 * @param field the radiance field (depth for the choice, and for frames without depth)
 * @param seed the model's seed
 * @param choice how each view's candidate is chosen
 * @returns the corrupted set, the parameters, and what the choice kept
 */
export function SamLikeCorruptMaskSet(masks: MaskSet, capture: Capture, field: RadianceFieldData, seed: number, choice: SegmentStageConfig["maskChoice"]): { masks: MaskSet; noise: SamLikeErrorParams; summary: SamLikeChoiceSummary } {
    const noise: SamLikeErrorParams = { ...DefaultSamLikeErrors, seed };
    const { views } = SamLikeCaptureViews(masks, capture, field, noise);
    let pick = (v: number, o: number): number => views[v].objects[o].chosen;
    if (choice === "consistent") {
        const depths = capture.frames.map((frame) => RenderViewDepth(field, frame, { maxSide: CandidateChoiceDepthSide }));
        const chosen = masks.objects.map((_, o) =>
            ChooseConsistentCandidates(
                capture.frames.map((frame, v) => (views[v].missing ? null : { cameraToWorld: frame.cameraToWorld, intrinsics: frame.intrinsics, depth: depths[v], candidates: views[v].objects[o].candidates.map((c) => ({ mask: c.mask, iou: c.predictedIou })) }))
            ).chosen
        );
        pick = (v, o) => (chosen[o][v] >= 0 ? chosen[o][v] : views[v].objects[o].chosen);
    }
    const kinds: Record<SamLikeCandidateKind, number> = { part: 0, whole: 0, support: 0 };
    let changed = 0;
    let iouSum = 0;
    let pairs = 0;
    views.forEach((view, v) =>
        view.objects.forEach((entry, o) => {
            if (!view.missing) {
                const candidate = entry.candidates[pick(v, o)];
                kinds[candidate.kind]++;
                changed += pick(v, o) !== entry.chosen ? 1 : 0;
                iouSum += candidate.trueIou;
                pairs++;
            }
        })
    );
    const set = SamLikeMaskSet(masks, views, pick, `SAM-like errors (seed ${seed}), ${choice === "consistent" ? "consistent choice" : "SAM's choice"}`);
    return { masks: set, noise, summary: { changed, kinds, meanTrueIou: pairs > 0 ? iouSum / pairs : 0 } };
}

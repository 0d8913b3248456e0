import { SplitHoldout } from "../capture/holdout";
import type { Capture } from "../capture/captureTypes";
import type { MaskSet } from "../segmentation/maskSet";
import { BoundaryF, ScoreMask } from "./maskMetrics";
import { TruthLabels } from "./truthMasks";

/** Holdout figures of one fused object. */
export interface FusedObjectScores {
    readonly id: number;
    /** The ground-truth object it is compared with. */
    readonly truthObject: number;
    readonly iou: number;
    readonly accuracy: number;
    /** Boundary F-score, 2 px band. */
    readonly boundaryF: number;
    /** Boundary F-score, 1 px band (the 2 px band saturates on sharp 256 px masks). */
    readonly boundaryF1: number;
    /** The input masks' IoU on the same views (0 where a view had no mask). */
    readonly inputIou: number;
    readonly views: number;
}

/** The mean of some figures, or null when there are none. */
export function MeanOrNull(values: readonly number[]): number | null {
    return values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/**
 * Scores fused masks of the holdout frames (index % 8 == 0) against the capture's ground truth,
 * per object, next to the input masks on the same frames.
 * @param capture the capture (with labels or alpha masks)
 * @param fused per frame (all frames): fused labels
 * @param masks the input masks
 * @param truthObjects for each fused object (1..K), its ground-truth label
 * @returns one entry per object (empty without ground truth)
 */
export function ScoreHoldout(capture: Capture, fused: readonly Uint8Array[], masks: MaskSet, truthObjects: readonly number[]): FusedObjectScores[] {
    const truth = TruthLabels(capture);
    const { holdout } = SplitHoldout(capture.frames.length);
    if (!truth) {
        return [];
    }
    return masks.objects.map((object, k) => {
        const id = object.id;
        const t = truthObjects[k];
        const sums = { iou: 0, accuracy: 0, boundaryF: 0, boundaryF1: 0, inputIou: 0 };
        for (const index of holdout) {
            const { width, height } = capture.frames[index].image;
            const truthAsId = truth[index].map((label) => (label === t ? id : 0));
            const score = ScoreMask(fused[index], truthAsId, width, height, id);
            sums.iou += score.iou;
            sums.accuracy += score.accuracy;
            sums.boundaryF += score.boundaryF;
            sums.boundaryF1 += BoundaryF(fused[index], truthAsId, width, height, id, 1);
            sums.inputIou += masks.weights[index] > 0 ? ScoreMask(masks.labels[index], truthAsId, width, height, id).iou : 0;
        }
        const n = holdout.length;
        return { id, truthObject: t, iou: sums.iou / n, accuracy: sums.accuracy / n, boundaryF: sums.boundaryF / n, boundaryF1: sums.boundaryF1 / n, inputIou: sums.inputIou / n, views: n };
    });
}

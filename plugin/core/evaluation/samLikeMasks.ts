/**
 * The SAM-like error model's masks: the per-object plans of samLikeErrors projected into each view
 * as SAM's three candidates, and the mask set SAM's own choice (the top predicted IoU) gives.
 * Per view and object:
 * - "whole": the object without its missed thin part, plus what of the neighbour lies in the leak
 *   ball; "part": the whole's object pixels on the plan's side of the part plane (the other side
 *   where the view sees none of it); "support": the whole plus the background inside the support
 *   ball. Every candidate's boundary is then snapped to the image's colour edges: pixels within
 *   `snapBand` px of the boundary go to the side whose nearby colour (mean of the 7 x 7 window's
 *   pixels outside the band, per side) is closer, so masks follow strong edges and shadows rather
 *   than the true outline, alike in every view;
 * - predicted IoUs: `scoreMean + scoreSlope * (trueIou - 1) + N(0, scoreNoise)` per candidate, and the
 *   candidate meant to win gets the top score: "whole", except in a `flipViews` share of (view,
 *   object) pairs where "part" or "support" (even odds) does: SAM is confidently wrong there;
 * - a `missingViews` share of views has no mask at all (weight 0).
 * Babylon-free.
 */
import type { MaskSet } from "../segmentation/maskSet";
import { SeededRandom } from "../math/seededRandom";
import { IouOf, CountOverlap } from "./maskMetrics";
import { Gaussian } from "./maskNoise";
import { DefaultSamLikeErrors, type SamLikeErrorParams, type SamLikeObjectPlan, type SamLikeViewGeometry, type WorldBall } from "./samLikeErrors";

/** The kinds of SAM's three candidates. */
export type SamLikeCandidateKind = "part" | "whole" | "support";

/** One candidate mask. */
export interface SamLikeCandidate {
    readonly kind: SamLikeCandidateKind;
    /** 1 inside, 0 outside. */
    readonly mask: Uint8Array;
    readonly predictedIou: number;
    /** IoU against the object's truth in this view. */
    readonly trueIou: number;
}

/** One object in one view: the three candidates and SAM's choice. */
export interface SamLikeObjectView {
    readonly object: number;
    readonly candidates: readonly SamLikeCandidate[];
    /** Index of the top predicted IoU. */
    readonly chosen: number;
}

/** One view under the model. */
export interface SamLikeView {
    readonly missing: boolean;
    readonly objects: readonly SamLikeObjectView[];
}

const InBall = (points: Float32Array, i: number, ball: WorldBall | null): boolean =>
    ball !== null && Math.hypot(points[i * 3] - ball.centre[0], points[i * 3 + 1] - ball.centre[1], points[i * 3 + 2] - ball.centre[2]) < ball.radius;

/**
 * Moves a mask's boundary to the image's colour edges within a band (see the module's notes).
 * @param mask 1 inside, 0 outside
 * @param image the view's image
 * @param band band half-width in pixels (0: unchanged)
 * @returns the snapped mask
 */
export function SnapToColourEdges(mask: Uint8Array, image: SamLikeViewGeometry["image"], band: number): Uint8Array {
    const { width, height, data } = image;
    if (band <= 0) {
        return mask;
    }
    // distance (in pixels, Chebyshev) to the nearest pixel of the other side, up to band + 1
    const inBand = new Uint8Array(mask.length);
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            const i = y * width + x;
            for (let dy = -band; dy <= band && !inBand[i]; dy++) {
                for (let dx = -band; dx <= band; dx++) {
                    const xx = x + dx;
                    const yy = y + dy;
                    if (xx >= 0 && yy >= 0 && xx < width && yy < height && mask[yy * width + xx] !== mask[i]) {
                        inBand[i] = 1;
                        break;
                    }
                }
            }
        }
    }
    const snapped = Uint8Array.from(mask);
    const reach = band + 3;
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            const i = y * width + x;
            if (!inBand[i]) {
                continue;
            }
            const sums = [new Float64Array(4), new Float64Array(4)];
            for (let yy = Math.max(0, y - reach); yy <= Math.min(height - 1, y + reach); yy++) {
                for (let xx = Math.max(0, x - reach); xx <= Math.min(width - 1, x + reach); xx++) {
                    const j = yy * width + xx;
                    if (!inBand[j]) {
                        const side = sums[mask[j]];
                        side[0] += data[j * 4];
                        side[1] += data[j * 4 + 1];
                        side[2] += data[j * 4 + 2];
                        side[3]++;
                    }
                }
            }
            if (sums[0][3] > 0 && sums[1][3] > 0) {
                const gap = (side: Float64Array): number => Math.hypot(data[i * 4] - side[0] / side[3], data[i * 4 + 1] - side[1] / side[3], data[i * 4 + 2] - side[2] / side[3]);
                const outside = gap(sums[0]);
                const inside = gap(sums[1]);
                // a tie (the same colour either side) leaves the pixel where it was
                snapped[i] = inside + 4 < outside ? 1 : outside + 4 < inside ? 0 : mask[i];
            }
        }
    }
    return snapped;
}

/** The three candidates of one object in one view, before scoring. */
function CandidateMasks(view: SamLikeViewGeometry, plan: SamLikeObjectPlan): Record<SamLikeCandidateKind, Uint8Array> {
    const { labels, points } = view;
    const count = labels.length;
    const whole = new Uint8Array(count);
    const side = [new Uint8Array(count), new Uint8Array(count)];
    const sideCount = [0, 0];
    for (let i = 0; i < count; i++) {
        if (labels[i] === plan.object) {
            if (!InBall(points, i, plan.missed)) {
                whole[i] = 1;
                const p = [points[i * 3] - plan.centre[0], points[i * 3 + 1] - plan.centre[1], points[i * 3 + 2] - plan.centre[2]];
                // pixels of the object without a world point stay on the first side
                const s = p[0] * plan.partNormal[0] + p[1] * plan.partNormal[1] + p[2] * plan.partNormal[2] > 0 || Number.isNaN(p[0]) ? 0 : 1;
                side[s][i] = 1;
                sideCount[s]++;
            }
        } else if (InBall(points, i, plan.leak)) {
            whole[i] = 1;
        }
    }
    const part = sideCount[0] > 0 ? side[0] : side[1];
    const support = Uint8Array.from(whole, (value, i) => (value || (labels[i] === 0 && InBall(points, i, plan.support)) ? 1 : 0));
    return { part, whole, support };
}

/**
 * One view under the SAM-like model: every object's three candidates, scored, and SAM's choice.
 * @param view the view's truth, world points and image
 * @param viewIndex the view's index (mixed into the seed)
 * @param plans the objects' plans
 * @param params the model's parameters
 * @returns the view's candidates
 */
export function SamLikeViewMasks(view: SamLikeViewGeometry, viewIndex: number, plans: readonly SamLikeObjectPlan[], params: SamLikeErrorParams = DefaultSamLikeErrors): SamLikeView {
    const random = SeededRandom((params.seed * 0x9e3779b1 + viewIndex * 0x85ebca77 + 17) >>> 0);
    const missing = random() < params.missingViews;
    const objects = plans.map((plan): SamLikeObjectView => {
        const masks = CandidateMasks(view, plan);
        const kinds: SamLikeCandidateKind[] = ["part", "whole", "support"];
        const flip = random() < params.flipViews;
        const winner = flip ? (random() < 0.5 ? 0 : 2) : 1;
        const scored = kinds.map((kind) => {
            const mask = SnapToColourEdges(masks[kind], view.image, params.snapBand);
            const trueIou = IouOf(CountOverlap(mask.length, (i) => mask[i] > 0, (i) => view.labels[i] === plan.object));
            const predicted = params.scoreMean + params.scoreSlope * (trueIou - 1) + params.scoreNoise * Gaussian(random);
            return { kind, mask, trueIou, predictedIou: Math.min(0.97, Math.max(0.3, predicted)) };
        });
        const top = Math.max(...scored.map((c) => c.predictedIou));
        const candidates = scored.map((c, k) => (k === winner ? { ...c, predictedIou: Math.min(0.99, top + 0.005 + 0.015 * random()) } : c));
        return { object: plan.object, candidates, chosen: winner };
    });
    return { missing, objects };
}

/**
 * The mask set SAM's own choice gives: per view, every object's top candidate (a later object wins
 * where two overlap), weighted by the mean of their predicted IoUs (0 for a missing view).
 * @param truth the truth's mask set (objects and their names)
 * @param views the views under the model
 * @param choose the candidate kept per view and object (default: SAM's own, the top predicted IoU)
 * @param note what the masks are, for the set's notes
 * @returns the mask set
 */
export function SamLikeMaskSet(truth: MaskSet, views: readonly SamLikeView[], choose: (view: number, object: number) => number = (v, o) => views[v].objects[o].chosen, note = "SAM-like errors"): MaskSet {
    const labels = views.map((view, v) => {
        const frame = new Uint8Array(truth.labels[v].length);
        view.objects.forEach((entry, o) => entry.candidates[choose(v, o)].mask.forEach((inside, i) => inside && (frame[i] = entry.object)));
        return frame;
    });
    const weights = views.map((view, v) => (view.missing || view.objects.length === 0 ? 0 : view.objects.reduce((sum, entry, o) => sum + entry.candidates[choose(v, o)].predictedIou, 0) / view.objects.length) * truth.weights[v]);
    const flipped = views.reduce((n, view) => n + view.objects.filter((entry) => entry.chosen !== 1).length, 0);
    return { ...truth, labels, weights, source: `${truth.source} + ${note}`, notes: [...truth.notes, `${note}: ${flipped} flipped (view, object) pair(s), ${views.filter((v) => v.missing).length} missing view(s)`] };
}

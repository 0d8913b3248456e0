import type { SplatLabelVote } from "../../../shaders/splats/splatKernels";

/** How label weights become one label per splat. */
export interface SplatLabelOptions {
    /**
     * An object's summed weight must exceed the outside weight times this to win (1: the larger
     * sum wins, FlashSplat's closed form; above 1 leans to the background for noisy masks).
     */
    readonly backgroundBias: number;
    /**
     * The background prior: weight (in the units the vote gives) added to every splat's outside
     * sum, so a splat the views barely see (its underside, a floor under an object) stays
     * background unless they clearly put it in an object; splats seen less than this in all views
     * count as unseen.
     */
    readonly backgroundPrior: number;
    /**
     * Which pixels vote for a splat (SplatLabelVote). "footprint" is FlashSplat's closed form:
     * every pixel the splat covers adds its blending weight w. But a mask samples the object at
     * pixel centres, so a splat's tails over its neighbours' pixels vote with the neighbours'
     * labels, and on a silhouette half of a splat's footprint lies outside its object's mask while
     * the splats behind, hidden there, get nothing back: labels lean to the background, most on
     * thin parts. "centre" (default) reads the mask at the splat's projected centre (bilinear
     * between the four pixels around it), the splat's own point of the surface. On the sample
     * scenes' true masks (128 px views): torus 0.65 / 0.79 / 0.96 IoU (footprint /
     * footprintSquared / centre), wire ring 0.40 / 0.79 / 0.95; see the splats bench. A splat whose centre no view shows on a
     * surface takes its footprintSquared votes (SplatRasterizer.sumLabelWeightsAsync).
     */
    readonly vote: SplatLabelVote;
    /**
     * Centre votes: a splat votes at its centre pixel only when its depth, less two of its own
     * depth sigmas, lies no further than this share of the pixel's depth behind the surface the
     * pixel shows (the blended splats' expected depth), so splats seen faintly through a nearer
     * surface do not take its label. 0.02.
     */
    readonly surfaceTolerance: number;
}

/** The defaults: centre votes, the larger sum wins, a prior of 0.001 of a pixel's weight for the background. */
export const DefaultSplatLabelOptions: SplatLabelOptions = { backgroundBias: 1, backgroundPrior: 0.001, vote: "centre", surfaceTolerance: 0.02 };

/** Labels of a splat scene, with their counts. */
export interface SplatLabels {
    /** One label per splat: 0 background, k object k. */
    readonly labels: Uint8Array;
    /** Splats per label, index = label. */
    readonly counts: readonly number[];
    /** Splats no view saw (left as background). */
    readonly unseen: number;
}

/**
 * Training-free label assignment (FlashSplat): each splat takes the label whose masks hold the
 * largest share of its alpha-blending weight over all views; the outside slot's sum is scaled by
 * the background bias and gets the background prior, so splats no view saw are background.
 * @param weights count * slots sums from SplatRasterizer.sumLabelWeightsAsync
 * @param count splats
 * @param slots objects + 1
 * @param options bias and prior
 * @returns the labels and counts
 */
export function AssignSplatLabels(weights: Float32Array, count: number, slots: number, options: SplatLabelOptions = DefaultSplatLabelOptions): SplatLabels {
    if (weights.length !== count * slots) {
        throw new Error(`label weights hold ${weights.length} values, expected ${count} splats x ${slots} slots`);
    }
    if (slots < 2 || slots > 256) {
        throw new Error(`label slots must be 2-256 (objects + background), got ${slots}`);
    }
    const labels = new Uint8Array(count);
    const counts = new Array<number>(slots).fill(0);
    let unseen = 0;
    for (let i = 0; i < count; i++) {
        let total = 0;
        let best = 0;
        let bestWeight = weights[i * slots] * options.backgroundBias + options.backgroundPrior;
        for (let k = 0; k < slots; k++) {
            const w = weights[i * slots + k];
            total += w;
            if (k > 0 && w > bestWeight) {
                best = k;
                bestWeight = w;
            }
        }
        unseen += total < options.backgroundPrior ? 1 : 0;
        labels[i] = best;
        counts[best]++;
    }
    return { labels, counts, unseen };
}

/**
 * Labels for several objects segmented one by one: object k's weights (count * 2: outside, inside
 * its masks) were summed over the views where k was prompted. A splat goes to the object that
 * claims it (inside above bias * outside + the background prior) with the largest inside share;
 * splats no object claims are background.
 * @param perObject one count * 2 array per object, objects 1..K in order
 * @param count splats
 * @param options bias and prior
 * @returns the labels (k = index + 1) and counts
 */
export function AssignSplatObjects(perObject: readonly Float32Array[], count: number, options: SplatLabelOptions = DefaultSplatLabelOptions): SplatLabels {
    if (perObject.length === 0 || perObject.length > 255) {
        throw new Error(`1-255 objects can be labelled, got ${perObject.length}`);
    }
    perObject.forEach((weights, k) => {
        if (weights.length !== count * 2) {
            throw new Error(`object ${k + 1}'s weights hold ${weights.length} values, expected ${count} splats x 2`);
        }
    });
    const labels = new Uint8Array(count);
    const counts = new Array<number>(perObject.length + 1).fill(0);
    let unseen = 0;
    for (let i = 0; i < count; i++) {
        let best = 0;
        let bestShare = 0;
        let seen = false;
        perObject.forEach((weights, k) => {
            const outside = weights[i * 2];
            const inside = weights[i * 2 + 1];
            seen ||= outside + inside >= options.backgroundPrior;
            const share = inside / (outside + inside + options.backgroundPrior);
            if (inside > outside * options.backgroundBias + options.backgroundPrior && share > bestShare) {
                best = k + 1;
                bestShare = share;
            }
        });
        unseen += seen ? 0 : 1;
        labels[i] = best;
        counts[best]++;
    }
    return { labels, counts, unseen };
}

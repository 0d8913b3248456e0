/**
 * Segmentation metrics for one object in one view: IoU, pixel accuracy and the boundary F-score
 * (boundary pixels matched within a band, as in the DAVIS / SANeRF-HQ evaluations). Masks are
 * per-pixel labels; `object` picks the label compared. Babylon-free.
 */

/** The figures of one object in one view. */
export interface MaskScores {
    /** |A ∩ B| / |A ∪ B| (1 when both are empty). */
    readonly iou: number;
    /** Fraction of pixels whose object / not-object decision agrees. */
    readonly accuracy: number;
    /** Boundary F-score: harmonic mean of boundary precision and recall within the band. */
    readonly boundaryF: number;
}

/** Pixel counts of two masks over the same pixels. */
export interface MaskOverlap {
    /** Pixels in both. */
    readonly intersection: number;
    /** Pixels in either. */
    readonly union: number;
    /** Pixels where both agree (in both, or in neither). */
    readonly agree: number;
    /** All pixels. */
    readonly count: number;
}

/**
 * Counts how two masks overlap: the one loop every IoU here is computed with.
 * @param count pixels
 * @param inA whether pixel i is in the first mask
 * @param inB whether pixel i is in the second mask
 * @returns the counts
 */
export function CountOverlap(count: number, inA: (i: number) => boolean, inB: (i: number) => boolean): MaskOverlap {
    let intersection = 0;
    let union = 0;
    let agree = 0;
    for (let i = 0; i < count; i++) {
        const a = inA(i);
        const b = inB(i);
        intersection += a && b ? 1 : 0;
        union += a || b ? 1 : 0;
        agree += a === b ? 1 : 0;
    }
    return { intersection, union, agree, count };
}

/**
 * Intersection over union of counted masks (1 when both are empty).
 * @param overlap the counts
 * @returns |A ∩ B| / |A ∪ B|
 */
export function IouOf(overlap: MaskOverlap): number {
    return overlap.union === 0 ? 1 : overlap.intersection / overlap.union;
}

/**
 * Scores a predicted mask against the truth for one object.
 * @param predicted labels per pixel
 * @param truth labels per pixel
 * @param width image width
 * @param height image height
 * @param object the label scored
 * @param band boundary tolerance in pixels (default 2)
 * @returns IoU, accuracy and boundary F
 */
export function ScoreMask(predicted: ArrayLike<number>, truth: ArrayLike<number>, width: number, height: number, object: number, band = 2): MaskScores {
    const overlap = CountOverlap(width * height, (i) => predicted[i] === object, (i) => truth[i] === object);
    return { iou: IouOf(overlap), accuracy: overlap.agree / overlap.count, boundaryF: BoundaryF(predicted, truth, width, height, object, band) };
}

/**
 * IoU of one object's pixels in two label images (1 when both are empty).
 * @param predicted labels per pixel
 * @param truth labels per pixel
 * @param object the label compared
 * @returns |A ∩ B| / |A ∪ B|
 */
export function MaskIou(predicted: ArrayLike<number>, truth: ArrayLike<number>, object: number): number {
    return IouOf(CountOverlap(truth.length, (i) => predicted[i] === object, (i) => truth[i] === object));
}

/**
 * IoU of two binary masks: a pixel is in a mask where its value exceeds the threshold (0/1,
 * 0/255 and soft masks alike; 1 when both are empty).
 * @param a first mask
 * @param b second mask
 * @param threshold values above it are in (default 0)
 * @returns |A ∩ B| / |A ∪ B|
 */
export function BinaryMaskIou(a: ArrayLike<number>, b: ArrayLike<number>, threshold = 0): number {
    return IouOf(CountOverlap(b.length, (i) => a[i] > threshold, (i) => b[i] > threshold));
}

/**
 * The pixels of an object that touch a pixel outside it (4-neighbourhood; the image edge does not count).
 * @param labels labels per pixel
 * @param width image width
 * @param height image height
 * @param object the label
 * @returns 1 on the boundary
 */
export function BoundaryPixels(labels: ArrayLike<number>, width: number, height: number, object: number): Uint8Array {
    const boundary = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            const i = y * width + x;
            if (labels[i] !== object) {
                continue;
            }
            const outside = (x > 0 && labels[i - 1] !== object) || (x + 1 < width && labels[i + 1] !== object) || (y > 0 && labels[i - width] !== object) || (y + 1 < height && labels[i + width] !== object);
            boundary[i] = outside ? 1 : 0;
        }
    }
    return boundary;
}

/**
 * Distance (Chebyshev, capped at cap + 1) from every pixel to the nearest set pixel: two passes of a chamfer transform.
 * @param set 1 where set
 * @param width image width
 * @param height image height
 * @param cap largest distance of interest
 * @returns distances
 */
function ChebyshevDistance(set: Uint8Array, width: number, height: number, cap: number): Uint8Array {
    const far = Math.min(255, cap + 1);
    const d = new Uint8Array(width * height).map((_, i) => (set[i] ? 0 : far));
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            const i = y * width + x;
            let v = d[i];
            if (x > 0) v = Math.min(v, d[i - 1] + 1);
            if (y > 0) {
                v = Math.min(v, d[i - width] + 1);
                if (x > 0) v = Math.min(v, d[i - width - 1] + 1);
                if (x + 1 < width) v = Math.min(v, d[i - width + 1] + 1);
            }
            d[i] = Math.min(far, v);
        }
    }
    for (let y = height - 1; y >= 0; y--) {
        for (let x = width - 1; x >= 0; x--) {
            const i = y * width + x;
            let v = d[i];
            if (x + 1 < width) v = Math.min(v, d[i + 1] + 1);
            if (y + 1 < height) {
                v = Math.min(v, d[i + width] + 1);
                if (x + 1 < width) v = Math.min(v, d[i + width + 1] + 1);
                if (x > 0) v = Math.min(v, d[i + width - 1] + 1);
            }
            d[i] = Math.min(far, v);
        }
    }
    return d;
}

/**
 * Boundary F-score of one object: harmonic mean of the share of predicted boundary pixels within
 * `band` pixels (Chebyshev) of a true boundary pixel and the share of true ones near a predicted one.
 * @param predicted labels per pixel
 * @param truth labels per pixel
 * @param width image width
 * @param height image height
 * @param object the label scored
 * @param band boundary tolerance in pixels
 * @returns 0..1
 */
export function BoundaryF(predicted: ArrayLike<number>, truth: ArrayLike<number>, width: number, height: number, object: number, band: number): number {
    const a = BoundaryPixels(predicted, width, height, object);
    const b = BoundaryPixels(truth, width, height, object);
    const countA = a.reduce((s, v) => s + v, 0);
    const countB = b.reduce((s, v) => s + v, 0);
    if (countA === 0 && countB === 0) {
        return 1;
    }
    if (countA === 0 || countB === 0) {
        return 0;
    }
    const toB = ChebyshevDistance(b, width, height, band);
    const toA = ChebyshevDistance(a, width, height, band);
    let matchedA = 0;
    let matchedB = 0;
    for (let i = 0; i < a.length; i++) {
        matchedA += a[i] && toB[i] <= band ? 1 : 0;
        matchedB += b[i] && toA[i] <= band ? 1 : 0;
    }
    const precision = matchedA / countA;
    const recall = matchedB / countB;
    return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

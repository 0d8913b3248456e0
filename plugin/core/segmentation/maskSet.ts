/**
 * The contract between segmentation and fusion: an object's mask in every capture frame
 * ({@link FrameMask}, what propagation and decoding give), and per-frame label masks of several
 * objects with their weights ({@link MaskSet}, what fusion takes). Babylon-free.
 */
import type { ObjectFieldObject } from "../fusion/objectFieldTypes";

/** The mask of one capture frame for one object. */
export interface FrameMask {
    readonly frameIndex: number;
    /** False when too few prompt points are visible in the frame (no decode ran). */
    readonly valid: boolean;
    /** Visible prompt points / all points. */
    readonly visibleFraction: number;
    /** 0/255 per pixel at the frame's size (valid frames only). */
    readonly mask?: Uint8Array;
    readonly width: number;
    readonly height: number;
    /** The decoder's predicted IoU. */
    readonly iou?: number;
}

/** Per-frame label masks of objects 1..K, ready for fusion. */
export interface MaskSet {
    /** The objects, labels 1..K in the masks. */
    readonly objects: readonly ObjectFieldObject[];
    /** Per frame: 0 background, k object k, at the frame's size. */
    readonly labels: readonly Uint8Array[];
    /** Per frame: 0 = no mask (the frame is skipped), else its weight (predicted IoU, or 1). */
    readonly weights: readonly number[];
    /** Where the masks came from, for reports. */
    readonly source: string;
    /** Notes (frames without a mask, noise applied...). */
    readonly notes: readonly string[];
}

/** One object's decoded masks. */
export interface ObjectFrameMasks {
    readonly name: string;
    /** One per capture frame, in frame order. */
    readonly frames: readonly FrameMask[];
}

/**
 * The weight a decoded mask gets in fusion: its predicted IoU clamped to [floor, 1] (1 when the
 * decoder gave none), 0 for an invalid view.
 * @param mask the frame's mask
 * @param floor the lowest weight of a valid mask
 * @returns the weight
 */
export function FrameMaskWeight(mask: FrameMask, floor: number): number {
    return mask.valid && mask.mask ? Math.min(1, Math.max(floor, mask.iou ?? 1)) : 0;
}

/**
 * Combines objects' decoded masks into one mask set: object k (in the given order) gets label k
 * (a later object wins where two masks overlap); a frame counts only where every object has a
 * valid mask (an object missing from a view would otherwise teach "background" there), weighted
 * by the mean of their {@link FrameMaskWeight}s.
 * @param objects the objects' masks (each with one FrameMask per frame)
 * @param weightFloor the lowest weight of a valid mask
 * @param source where the masks came from
 * @returns the mask set
 */
export function MaskSetFromObjects(objects: readonly ObjectFrameMasks[], weightFloor: number, source: string): MaskSet {
    if (objects.length === 0) {
        throw new Error("no object to fuse: segment one first");
    }
    const frameCount = objects[0].frames.length;
    if (objects.some((object) => object.frames.length !== frameCount)) {
        throw new Error(`the objects' masks cover different frame counts (${objects.map((object) => object.frames.length).join(", ")})`);
    }
    const labels: Uint8Array[] = [];
    const weights: number[] = [];
    for (let index = 0; index < frameCount; index++) {
        const { width, height } = objects[0].frames[index];
        const frameLabels = new Uint8Array(width * height);
        let sum = 0;
        let counted = 0;
        objects.forEach((object, k) => {
            const mask = object.frames[index];
            if (mask.width !== width || mask.height !== height) {
                throw new Error(`frame ${index}: "${object.name}"'s mask is ${mask.width}x${mask.height}, another object's ${width}x${height}`);
            }
            const weight = FrameMaskWeight(mask, weightFloor);
            if (weight > 0) {
                sum += weight;
                counted++;
                mask.mask!.forEach((value, i) => {
                    if (value > 127) {
                        frameLabels[i] = k + 1;
                    }
                });
            }
        });
        labels.push(frameLabels);
        weights.push(counted === objects.length ? sum / counted : 0);
    }
    return { objects: objects.map((object, k) => ({ id: k + 1, name: object.name })), labels, weights, source, notes: [] };
}

import type { Capture } from "../../plugin/core/capture/captureTypes";
import { CorruptMask, DefaultMaskNoise, type MaskNoiseParams } from "../../plugin/core/evaluation/maskNoise";
import { FrameName } from "./segmentStage";

/** Per-frame masks for fusion, in the capture's frame resolution. */
export interface FrameMaskSet {
    /** Per frame: 0 background, k object k. */
    readonly labels: readonly Uint8Array[];
    /** Per frame: 0 = no mask (skipped), else the mask's weight (predicted IoU, or 1). */
    readonly weights: readonly number[];
    /** Objects 1..K the masks hold. */
    readonly objectCount: number;
    /** Where they came from, for the report. */
    readonly source: string;
    /** Notes (frames without a mask file, noise applied...). */
    readonly notes: readonly string[];
    /** Noise parameters, when the noise model was applied. */
    readonly noise?: MaskNoiseParams;
}

/**
 * The capture's own ground truth (instance labels, or the alpha mask as object 1).
 * @param capture the capture
 * @returns per-frame labels, or null when the capture has no ground truth
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
 * Masks from the capture's ground truth (`--masks truth`).
 * @param capture the capture
 * @returns the mask set
 * @throws Error when the capture has no ground truth
 */
export function TruthMaskSet(capture: Capture): FrameMaskSet {
    const labels = TruthLabels(capture);
    if (!labels) {
        throw new Error("--masks truth: this capture has no ground truth (no instance labels, no alpha masks)");
    }
    const objectCount = labels.reduce((max, frame) => frame.reduce((m, v) => Math.max(m, v), max), 0);
    return { labels, weights: labels.map(() => 1), objectCount, source: "ground truth", notes: [] };
}

/**
 * Masks from PNG files named like the frames (`--masks DIR`): non-zero = the object when every
 * file holds only 0 and 255, else the red channel is an instance label. Files at another size are
 * resampled (nearest) to the frame's. A frame without a file gets no mask.
 * @param capture the capture
 * @param baseUrl where the runner serves DIR
 * @returns the mask set
 */
export async function LoadMaskSetAsync(capture: Capture, baseUrl: string): Promise<FrameMaskSet> {
    const notes: string[] = [];
    const raw: (Uint8Array | null)[] = [];
    let binary = true;
    for (let index = 0; index < capture.frames.length; index++) {
        const frame = capture.frames[index];
        const name = `${FrameName(capture, index)}.png`;
        const response = await fetch(baseUrl + encodeURIComponent(name));
        if (!response.ok) {
            notes.push(`${name}: no mask file (the frame is skipped)`);
            raw.push(null);
            continue;
        }
        let bitmap: ImageBitmap;
        try {
            bitmap = await createImageBitmap(await response.blob());
        } catch (error) {
            throw new Error(`--masks: ${name} is not a readable image (${(error as Error).message})`, { cause: error });
        }
        const { width, height } = frame.image;
        const canvas = new OffscreenCanvas(width, height);
        const context = canvas.getContext("2d")!;
        context.imageSmoothingEnabled = false;
        context.drawImage(bitmap, 0, 0, width, height);
        const pixels = context.getImageData(0, 0, width, height).data;
        const labels = new Uint8Array(width * height);
        for (let i = 0; i < labels.length; i++) {
            labels[i] = pixels[i * 4];
            binary &&= labels[i] === 0 || labels[i] === 255;
        }
        raw.push(labels);
    }
    if (raw.every((labels) => labels === null)) {
        throw new Error(`--masks: none of the ${capture.frames.length} frames has a mask file (expected names like ${FrameName(capture, 0)}.png)`);
    }
    const labels = raw.map((frame, index) => (frame ? (binary ? frame.map((v) => (v ? 1 : 0)) : frame) : new Uint8Array(capture.frames[index].image.width * capture.frames[index].image.height)));
    const objectCount = labels.reduce((max, frame) => frame.reduce((m, v) => Math.max(m, v), max), 0);
    if (objectCount === 0) {
        throw new Error("--masks: every mask is empty");
    }
    if (objectCount > 7) {
        throw new Error(`--masks: label ${objectCount} found; at most 7 objects are fused at once`);
    }
    return { labels, weights: raw.map((frame) => (frame ? 1 : 0)), objectCount, source: binary ? "mask files (one object)" : `mask files (${objectCount} instance labels)`, notes };
}

/**
 * Applies the noise model to a mask set (`--noise SEED`).
 * @param set the masks
 * @param capture the capture (frame sizes)
 * @param seed the noise seed
 * @returns the corrupted set
 */
export function WithNoise(set: FrameMaskSet, capture: Capture, seed: number): FrameMaskSet {
    const params: MaskNoiseParams = { ...DefaultMaskNoise, seed };
    const noisy = set.labels.map((labels, index) => CorruptMask(labels, capture.frames[index].image.width, capture.frames[index].image.height, index, params));
    const wrong = noisy.filter((n) => n.fate === "wrong").length;
    const missing = noisy.filter((n) => n.fate === "missing").length;
    return {
        ...set,
        labels: noisy.map((n) => n.labels),
        weights: noisy.map((n, index) => n.weight * set.weights[index]),
        source: `${set.source} + noise`,
        notes: [...set.notes, `noise seed ${seed}: ${wrong} wrong view(s), ${missing} missing`],
        noise: params,
    };
}

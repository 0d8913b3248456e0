import type { Capture } from "../../plugin/core/capture/captureTypes";
import { FrameName } from "../../plugin/core/capture/frameName";
import type { MaskSet } from "../../plugin/core/segmentation/maskSet";

/** How mask files' values are read, decided over all the files (see ClassifyMaskValues). */
type MaskKind = { readonly kind: "binary" } | { readonly kind: "labels"; readonly count: number } | { readonly kind: "soft" };

/**
 * Decides what mask files hold from a histogram of their values (red channel): only 0 and 255,
 * one object; a few small values 1..7, instance labels; values spread over grey levels with the
 * object's pixels mostly bright, one object with soft (anti-aliased or feathered) edges,
 * thresholded at 128. Anything else is refused.
 * @param histogram pixel count per value 0..255 over all files
 * @returns the kind
 * @throws Error naming what was found
 */
export function ClassifyMaskValues(histogram: Uint32Array): MaskKind {
    const present = [...histogram.keys()].filter((value) => value > 0 && histogram[value] > 0);
    if (present.length === 0) {
        throw new Error("--masks: every mask is empty");
    }
    if (present.every((value) => value === 255)) {
        return { kind: "binary" };
    }
    if (present.every((value) => value <= 7)) {
        return { kind: "labels", count: Math.max(...present) };
    }
    const nonZero = present.reduce((sum, value) => sum + histogram[value], 0);
    const bright = present.filter((value) => value >= 128).reduce((sum, value) => sum + histogram[value], 0);
    if (bright >= 0.8 * nonZero) {
        return { kind: "soft" };
    }
    throw new Error(`--masks: the values look like neither 0/255 masks (${(100 * bright / nonZero).toFixed(0)}% of the non-zero pixels are >= 128) nor instance labels 1..7 (values up to ${Math.max(...present)} found)`);
}

/**
 * Masks from PNG files named like the frames (`--masks DIR`): 0/255 masks of one object (soft
 * edges thresholded at 128), or instance labels 1..7 in the red channel (ClassifyMaskValues).
 * Files of the frame's aspect ratio at another size are resampled (nearest) to the frame's; any
 * other aspect ratio is refused. A frame without a file gets no mask.
 * @param capture the capture
 * @param baseUrl where the runner serves DIR
 * @returns the mask set
 */
export async function LoadMaskFilesAsync(capture: Capture, baseUrl: string): Promise<MaskSet> {
    const notes: string[] = [];
    const raw: (Uint8Array | null)[] = [];
    const histogram = new Uint32Array(256);
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
        if (Math.abs(bitmap.width / bitmap.height - width / height) > 0.01 * (width / height)) {
            throw new Error(`--masks: ${name} is ${bitmap.width}x${bitmap.height}, not the shape of its frame (${width}x${height} here): masks must have their image's aspect ratio`);
        }
        const canvas = new OffscreenCanvas(width, height);
        const context = canvas.getContext("2d")!;
        context.imageSmoothingEnabled = false;
        context.drawImage(bitmap, 0, 0, width, height);
        const pixels = context.getImageData(0, 0, width, height).data;
        const labels = new Uint8Array(width * height);
        for (let i = 0; i < labels.length; i++) {
            labels[i] = pixels[i * 4];
            histogram[labels[i]]++;
        }
        raw.push(labels);
    }
    if (raw.every((labels) => labels === null)) {
        throw new Error(`--masks: none of the ${capture.frames.length} frames has a mask file (expected names like ${FrameName(capture, 0)}.png)`);
    }
    const kind = ClassifyMaskValues(histogram);
    const read = (value: number): number => (kind.kind === "labels" ? value : kind.kind === "binary" ? (value ? 1 : 0) : value >= 128 ? 1 : 0);
    const labels = raw.map((frame, index) => (frame ? frame.map(read) : new Uint8Array(capture.frames[index].image.width * capture.frames[index].image.height)));
    const objectCount = kind.kind === "labels" ? kind.count : 1;
    if (kind.kind === "soft") {
        notes.push("soft mask edges thresholded at 128");
    }
    const objects = Array.from({ length: objectCount }, (_, i) => ({ id: i + 1, name: `object ${i + 1}` }));
    const source = kind.kind === "labels" ? `mask files (${objectCount} instance labels)` : "mask files (one object)";
    return { objects, labels, weights: raw.map((frame) => (frame ? 1 : 0)), source, notes };
}

import type { Capture } from "../../plugin/core/capture/captureTypes";
import { FrameName } from "../../plugin/core/capture/frameName";
import type { MaskSet } from "../../plugin/core/segmentation/maskSet";

/**
 * Masks from PNG files named like the frames (`--masks DIR`): non-zero = the object when every
 * file holds only 0 and 255, else the red channel is an instance label. Files at another size are
 * resampled (nearest) to the frame's. A frame without a file gets no mask.
 * @param capture the capture
 * @param baseUrl where the runner serves DIR
 * @returns the mask set
 */
export async function LoadMaskFilesAsync(capture: Capture, baseUrl: string): Promise<MaskSet> {
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
    const objects = Array.from({ length: objectCount }, (_, i) => ({ id: i + 1, name: `object ${i + 1}` }));
    return { objects, labels, weights: raw.map((frame) => (frame ? 1 : 0)), source: binary ? "mask files (one object)" : `mask files (${objectCount} instance labels)`, notes };
}

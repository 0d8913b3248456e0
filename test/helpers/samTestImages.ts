import { DecodeImageBytesAsync } from "@plugin/core/image/decodeImageBytes";
import type { RgbaImage } from "@plugin/core/image/rgbaImage";
import { ParseNpy } from "@plugin/core/capture/npy";

/** A tabletop frame of the sample capture with its instance labels (R = object id). */
export interface LabelledFrame {
    readonly image: RgbaImage;
    /** Object id per pixel (0 = background and table). */
    readonly labels: Uint8Array;
    /** The renderer's true depth per pixel (0 = nothing). */
    readonly depth: Float32Array;
}

/** An object's label mask and the pixel a user would click for it. */
export interface ObjectClick {
    readonly id: number;
    readonly pixels: number;
    readonly mask: Uint8Array;
    readonly x: number;
    readonly y: number;
}

async function DecodeAsync(url: string): Promise<RgbaImage> {
    const response = await fetch(url);
    if (!response.ok) {
        throw new Error(`${url}: HTTP ${response.status}`);
    }
    return DecodeImageBytesAsync({ name: url, bytes: await response.arrayBuffer() });
}

/**
 * Loads frame `index` of the tabletop sample capture, its label image and its true depth.
 * @param index frame index
 * @returns the image, the label and the depth per pixel
 */
export async function LoadTabletopFrameAsync(index: number): Promise<LabelledFrame> {
    const name = `frame_${String(index).padStart(5, "0")}.png`;
    const image = await DecodeAsync(`/base/sample-scenes/captures/tabletop/images/${name}`);
    const labelImage = await DecodeAsync(`/base/sample-scenes/captures/tabletop/labels/${name}`);
    const depthResponse = await fetch(`/base/sample-scenes/captures/tabletop/depth/${name.replace(".png", ".npy")}`);
    const depth = Float32Array.from(ParseNpy(await depthResponse.arrayBuffer(), name).data);
    const labels = new Uint8Array(labelImage.width * labelImage.height);
    for (let i = 0; i < labels.length; i++) {
        labels[i] = labelImage.data[i * 4];
    }
    return { image, labels, depth };
}

/** Erodes a binary mask by one pixel (4-neighbourhood and diagonals; outside counts as empty). */
function Erode(mask: Uint8Array, width: number, height: number): Uint8Array {
    const out = new Uint8Array(mask.length);
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            let keep = mask[y * width + x];
            for (let dy = -1; dy <= 1 && keep; dy++) {
                for (let dx = -1; dx <= 1 && keep; dx++) {
                    const nx = x + dx;
                    const ny = y + dy;
                    keep = nx >= 0 && ny >= 0 && nx < width && ny < height ? mask[ny * width + nx] : 0;
                }
            }
            out[y * width + x] = keep;
        }
    }
    return out;
}

/**
 * The clearly visible objects of a frame (>= minPixels labelled pixels) and a click on each: the
 * labelled pixel nearest the object's centroid among those at least `inset` pixels inside the
 * object (fewer when the object is too thin), or any labelled pixel with inset 0.
 * @param frame the frame
 * @param minPixels the visibility threshold
 * @param inset how far inside the object the click must be
 * @returns one click per visible object
 */
export function ObjectClicks(frame: LabelledFrame, minPixels: number, inset: number): ObjectClick[] {
    const { width, height } = frame.image;
    const clicks: ObjectClick[] = [];
    for (let id = 1; id < 256; id++) {
        const mask = new Uint8Array(width * height);
        let count = 0;
        let sumX = 0;
        let sumY = 0;
        frame.labels.forEach((label, i) => {
            if (label === id) {
                mask[i] = 1;
                count++;
                sumX += i % width;
                sumY += Math.floor(i / width);
            }
        });
        if (count < minPixels) {
            continue;
        }
        let candidates: Uint8Array = mask;
        for (let step = 0; step < inset; step++) {
            const eroded = Erode(candidates, width, height);
            if (!eroded.some((v) => v)) {
                break;
            }
            candidates = eroded;
        }
        const cx = sumX / count;
        const cy = sumY / count;
        let best = -1;
        let bestDistance = Infinity;
        candidates.forEach((v, i) => {
            const d = (i % width - cx) ** 2 + (Math.floor(i / width) - cy) ** 2;
            if (v && d < bestDistance) {
                bestDistance = d;
                best = i;
            }
        });
        clicks.push({ id, pixels: count, mask, x: best % width, y: Math.floor(best / width) });
    }
    return clicks;
}

export { BinaryMaskIou as MaskIou } from "@plugin/core/evaluation/maskMetrics";

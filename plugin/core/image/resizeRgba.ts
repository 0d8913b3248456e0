import type { RgbaImage } from "./rgbaImage";

/**
 * Downscales an RGBA image with an area (box) filter. Colours are averaged weighted by alpha
 * (premultiplied), so transparent pixels do not darken edges; alpha is averaged plainly.
 * Deterministic and browser-independent, unlike canvas resampling.
 * @param image the source
 * @param width target width (<= source width)
 * @param height target height (<= source height)
 * @returns the resized image (the source itself when the size is unchanged)
 */
export function ResizeRgbaArea(image: RgbaImage, width: number, height: number): RgbaImage {
    if (width === image.width && height === image.height) {
        return image;
    }
    if (width > image.width || height > image.height || width < 1 || height < 1) {
        throw new RangeError(`ResizeRgbaArea only downscales: ${image.width}x${image.height} -> ${width}x${height}`);
    }
    const xSpans = AreaSpans(image.width, width);
    const ySpans = AreaSpans(image.height, height);
    const out = new Uint8ClampedArray(width * height * 4);
    const src = image.data;
    const row = new Float64Array(width * 4);
    const rowWeight = new Float64Array(width);
    for (let y = 0; y < height; y++) {
        row.fill(0);
        rowWeight.fill(0);
        for (const [sy, wy] of ySpans[y]) {
            for (let x = 0; x < width; x++) {
                for (const [sx, wx] of xSpans[x]) {
                    const i = (sy * image.width + sx) * 4;
                    const w = wx * wy;
                    const a = src[i + 3] * w;
                    row[x * 4] += src[i] * a;
                    row[x * 4 + 1] += src[i + 1] * a;
                    row[x * 4 + 2] += src[i + 2] * a;
                    row[x * 4 + 3] += a;
                    rowWeight[x] += w;
                }
            }
        }
        for (let x = 0; x < width; x++) {
            const o = (y * width + x) * 4;
            const alphaSum = row[x * 4 + 3];
            out[o + 3] = alphaSum / rowWeight[x];
            if (alphaSum > 0) {
                out[o] = row[x * 4] / alphaSum;
                out[o + 1] = row[x * 4 + 1] / alphaSum;
                out[o + 2] = row[x * 4 + 2] / alphaSum;
            }
        }
    }
    return { width, height, data: out };
}

/**
 * Downscales an RGBA image by picking, for each target pixel, the source pixel under its centre.
 * For label maps: values are never mixed.
 * @param image the source
 * @param width target width
 * @param height target height
 * @returns the resized image (the source itself when the size is unchanged)
 */
export function ResizeRgbaNearest(image: RgbaImage, width: number, height: number): RgbaImage {
    if (width === image.width && height === image.height) {
        return image;
    }
    const out = new Uint32Array(width * height);
    const src = new Uint32Array(image.data.buffer, image.data.byteOffset, image.width * image.height);
    for (let y = 0; y < height; y++) {
        const sy = Math.min(image.height - 1, Math.floor(((y + 0.5) * image.height) / height));
        for (let x = 0; x < width; x++) {
            const sx = Math.min(image.width - 1, Math.floor(((x + 0.5) * image.width) / width));
            out[y * width + x] = src[sy * image.width + sx];
        }
    }
    return { width, height, data: new Uint8ClampedArray(out.buffer) };
}

/** For each target index, the source indices it covers and their overlap weights. */
function AreaSpans(sourceSize: number, targetSize: number): [number, number][][] {
    const scale = sourceSize / targetSize;
    const spans: [number, number][][] = [];
    for (let t = 0; t < targetSize; t++) {
        const start = t * scale;
        const end = start + scale;
        const span: [number, number][] = [];
        for (let s = Math.floor(start); s < Math.min(sourceSize, Math.ceil(end)); s++) {
            const overlap = Math.min(end, s + 1) - Math.max(start, s);
            if (overlap > 1e-9) {
                span.push([s, overlap]);
            }
        }
        spans.push(span);
    }
    return spans;
}

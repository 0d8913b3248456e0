/**
 * Deterministic resampling used by the SAM-family preprocessing and mask post-processing.
 * Browser-independent (no canvas): the same bytes in every engine.
 */

/** Per output sample: first source index, tap count and the normalised tap weights. */
interface TapTable {
    readonly starts: Int32Array;
    readonly counts: Int32Array;
    readonly weights: Float64Array;
    readonly stride: number;
}

/**
 * Separable triangle-filter taps as Pillow's `Image.resize(..., BILINEAR)` builds them (and
 * torchvision's antialiased bilinear, which ports that code): output sample i is centred at
 * (i + 0.5) * in/out in source pixels; the filter's support widens by in/out when downscaling
 * (antialiasing) and is one source pixel when upscaling, where it equals plain half-pixel bilinear
 * with edge clamping.
 * @param inSize source length
 * @param outSize target length
 * @returns the taps
 */
function TriangleTaps(inSize: number, outSize: number): TapTable {
    const scale = inSize / outSize;
    const filterScale = Math.max(scale, 1);
    const support = filterScale;
    const stride = Math.ceil(support) * 2 + 1;
    const starts = new Int32Array(outSize);
    const counts = new Int32Array(outSize);
    const weights = new Float64Array(outSize * stride);
    for (let i = 0; i < outSize; i++) {
        const center = (i + 0.5) * scale;
        const first = Math.max(Math.trunc(center - support + 0.5), 0);
        const last = Math.min(Math.trunc(center + support + 0.5), inSize);
        let total = 0;
        for (let j = first; j < last; j++) {
            const x = Math.abs((j - center + 0.5) / filterScale);
            const w = x < 1 ? 1 - x : 0;
            weights[i * stride + j - first] = w;
            total += w;
        }
        const count = last - first;
        if (total > 0) {
            for (let k = 0; k < count; k++) {
                weights[i * stride + k] /= total;
            }
        }
        starts[i] = first;
        counts[i] = count;
    }
    return { starts, counts, weights, stride };
}

/** Rounds half up and clamps to 0..255, as an 8-bit image stores a resampled value. */
function ToByte(value: number): number {
    return Math.min(255, Math.max(0, Math.floor(value + 0.5)));
}

/**
 * Resizes interleaved RGB samples with Pillow's BILINEAR filter (see {@link TriangleTaps}):
 * horizontal pass first, then vertical, like Pillow. With `roundTo8Bit` every pass rounds to
 * 0..255 as Pillow does for 8-bit images (SAM's ResizeLongestSide resizes a PIL image); Pillow's
 * 22-bit fixed-point weights can differ from these float64 weights by one level on rare ties.
 * Without it the result stays float (torchvision's antialiased bilinear on a float tensor, as
 * SAM2's transforms use).
 * @param rgb interleaved RGB, width * height * 3 values
 * @param width source width
 * @param height source height
 * @param outWidth target width
 * @param outHeight target height
 * @param roundTo8Bit round and clamp each pass to 0..255
 * @returns interleaved RGB, outWidth * outHeight * 3 values
 */
export function ResampleRgbBilinear(rgb: Float32Array, width: number, height: number, outWidth: number, outHeight: number, roundTo8Bit: boolean): Float32Array {
    if (rgb.length !== width * height * 3) {
        throw new RangeError(`ResampleRgbBilinear: expected ${width * height * 3} values for ${width}x${height} RGB, got ${rgb.length}`);
    }
    const finish = roundTo8Bit ? ToByte : (value: number): number => value;
    const columns = TriangleTaps(width, outWidth);
    const horizontal = new Float32Array(outWidth * height * 3);
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < outWidth; x++) {
            let r = 0;
            let g = 0;
            let b = 0;
            const base = x * columns.stride;
            for (let k = 0; k < columns.counts[x]; k++) {
                const w = columns.weights[base + k];
                const i = (y * width + columns.starts[x] + k) * 3;
                r += rgb[i] * w;
                g += rgb[i + 1] * w;
                b += rgb[i + 2] * w;
            }
            const o = (y * outWidth + x) * 3;
            horizontal[o] = finish(r);
            horizontal[o + 1] = finish(g);
            horizontal[o + 2] = finish(b);
        }
    }
    const rows = TriangleTaps(height, outHeight);
    const out = new Float32Array(outWidth * outHeight * 3);
    const rowLength = outWidth * 3;
    for (let y = 0; y < outHeight; y++) {
        const base = y * rows.stride;
        const o = y * rowLength;
        for (let k = 0; k < rows.counts[y]; k++) {
            const w = rows.weights[base + k];
            const i = (rows.starts[y] + k) * rowLength;
            for (let c = 0; c < rowLength; c++) {
                out[o + c] += horizontal[i + c] * w;
            }
        }
        for (let c = 0; c < rowLength; c++) {
            out[o + c] = finish(out[o + c]);
        }
    }
    return out;
}

/**
 * Resizes one plane of logits with bilinear interpolation as PyTorch's
 * `F.interpolate(mode="bilinear", align_corners=False)` does (half-pixel centres, negative source
 * coordinates clamped to 0, no antialiasing), which is how SAM-family models upscale their masks.
 * @param plane source values, row-major
 * @param width source width
 * @param height source height
 * @param outWidth target width
 * @param outHeight target height
 * @returns the resized plane
 */
export function ResizePlaneBilinear(plane: Float32Array, width: number, height: number, outWidth: number, outHeight: number): Float32Array {
    if (plane.length < width * height) {
        throw new RangeError(`ResizePlaneBilinear: expected ${width * height} values for ${width}x${height}, got ${plane.length}`);
    }
    const out = new Float32Array(outWidth * outHeight);
    const x0s = new Int32Array(outWidth);
    const x1s = new Int32Array(outWidth);
    const fxs = new Float32Array(outWidth);
    for (let x = 0; x < outWidth; x++) {
        const source = Math.max(0, ((x + 0.5) * width) / outWidth - 0.5);
        x0s[x] = Math.min(width - 1, Math.floor(source));
        x1s[x] = Math.min(width - 1, x0s[x] + 1);
        fxs[x] = source - Math.floor(source);
    }
    for (let y = 0; y < outHeight; y++) {
        const source = Math.max(0, ((y + 0.5) * height) / outHeight - 0.5);
        const y0 = Math.min(height - 1, Math.floor(source));
        const y1 = Math.min(height - 1, y0 + 1);
        const fy = source - Math.floor(source);
        for (let x = 0; x < outWidth; x++) {
            const top = plane[y0 * width + x0s[x]] * (1 - fxs[x]) + plane[y0 * width + x1s[x]] * fxs[x];
            const bottom = plane[y1 * width + x0s[x]] * (1 - fxs[x]) + plane[y1 * width + x1s[x]] * fxs[x];
            out[y * outWidth + x] = top * (1 - fy) + bottom * fy;
        }
    }
    return out;
}

/**
 * Nearest-neighbour resampling of a single-channel float image (depth maps: an edge stays a step,
 * with no blended values), written into the top-left of a `targetStride`-wide destination.
 * @param source width * height values
 * @param width source width
 * @param height source height
 * @param target destination (at least targetStride * targetHeight values)
 * @param targetWidth resampled width
 * @param targetHeight resampled height
 * @param targetStride destination row length (default targetWidth)
 */
export function ResampleNearestFloat(source: Float32Array, width: number, height: number, target: Float32Array, targetWidth: number, targetHeight: number, targetStride: number = targetWidth): void {
    for (let y = 0; y < targetHeight; y++) {
        const sourceRow = Math.min(height - 1, Math.floor(((y + 0.5) * height) / targetHeight)) * width;
        for (let x = 0; x < targetWidth; x++) {
            target[y * targetStride + x] = source[sourceRow + Math.min(width - 1, Math.floor(((x + 0.5) * width) / targetWidth))];
        }
    }
}

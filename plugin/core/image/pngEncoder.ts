// A small, deterministic PNG encoder (8-bit grey, RGB or RGBA, no interlace): per-row filter chosen
// by the usual minimum-sum-of-absolute-differences heuristic, zlib stream from the browser's
// CompressionStream("deflate"). The same pixels give the same bytes in the same browser build.

import { Crc32 } from "../binary/crc32";

/** Channels per pixel and their PNG colour type. */
const ColourTypes: Record<number, number> = { 1: 0, 3: 2, 4: 6 };

/** One PNG chunk: length, type, data, CRC of type + data. */
function Chunk(type: string, data: Uint8Array): Uint8Array {
    const chunk = new Uint8Array(12 + data.length);
    const view = new DataView(chunk.buffer);
    view.setUint32(0, data.length);
    for (let i = 0; i < 4; i++) {
        chunk[4 + i] = type.charCodeAt(i);
    }
    chunk.set(data, 8);
    view.setUint32(8 + data.length, Crc32(chunk.subarray(4, 8 + data.length)));
    return chunk;
}

/** The Paeth predictor of the PNG spec. */
function Paeth(left: number, up: number, upLeft: number): number {
    const p = left + up - upLeft;
    const pa = Math.abs(p - left);
    const pb = Math.abs(p - up);
    const pc = Math.abs(p - upLeft);
    return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
}

/** Filters every row (filter byte + filtered bytes), choosing per row the filter with the least signed-byte sum. */
function FilterRows(pixels: Uint8Array | Uint8ClampedArray, width: number, height: number, channels: number): Uint8Array {
    const stride = width * channels;
    const out = new Uint8Array(height * (stride + 1));
    const candidate = new Uint8Array(stride);
    const best = new Uint8Array(stride);
    for (let y = 0; y < height; y++) {
        const row = y * stride;
        const previous = row - stride;
        let bestScore = Infinity;
        let bestFilter = 0;
        for (let filter = 0; filter < 5; filter++) {
            let score = 0;
            for (let i = 0; i < stride; i++) {
                const value = pixels[row + i];
                const left = i >= channels ? pixels[row + i - channels] : 0;
                const up = y > 0 ? pixels[previous + i] : 0;
                const upLeft = y > 0 && i >= channels ? pixels[previous + i - channels] : 0;
                const predicted = filter === 0 ? 0 : filter === 1 ? left : filter === 2 ? up : filter === 3 ? (left + up) >> 1 : Paeth(left, up, upLeft);
                const filtered = (value - predicted) & 0xff;
                candidate[i] = filtered;
                score += filtered < 128 ? filtered : 256 - filtered;
            }
            if (score < bestScore) {
                bestScore = score;
                bestFilter = filter;
                best.set(candidate);
            }
        }
        out[y * (stride + 1)] = bestFilter;
        out.set(best, y * (stride + 1) + 1);
    }
    return out;
}

/** zlib-compresses bytes with the browser's CompressionStream. */
async function DeflateAsync(bytes: Uint8Array): Promise<Uint8Array> {
    const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream("deflate"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Encodes 8-bit pixels as a PNG file.
 * @param pixels row-major pixels, top row first, `channels` bytes per pixel
 * @param width image width, pixels
 * @param height image height, pixels
 * @param channels 1 (grey), 3 (RGB) or 4 (RGBA)
 * @returns the PNG file's bytes
 */
export async function EncodePngAsync(pixels: Uint8Array | Uint8ClampedArray, width: number, height: number, channels: 1 | 3 | 4): Promise<Uint8Array> {
    const colourType = ColourTypes[channels];
    if (colourType === undefined || !Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
        throw new RangeError(`EncodePngAsync: bad image ${width}x${height} with ${channels} channels`);
    }
    if (pixels.length !== width * height * channels) {
        throw new RangeError(`EncodePngAsync: ${width}x${height}x${channels} needs ${width * height * channels} bytes, got ${pixels.length}`);
    }
    const header = new Uint8Array(13);
    const headerView = new DataView(header.buffer);
    headerView.setUint32(0, width);
    headerView.setUint32(4, height);
    header[8] = 8; // bit depth
    header[9] = colourType;
    const compressed = await DeflateAsync(FilterRows(pixels, width, height, channels));
    const signature = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const parts = [signature, Chunk("IHDR", header), Chunk("IDAT", compressed), Chunk("IEND", new Uint8Array(0))];
    const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let offset = 0;
    for (const part of parts) {
        out.set(part, offset);
        offset += part.length;
    }
    return out;
}

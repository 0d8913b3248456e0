/** An 8-bit RGBA image, row-major, top row first (the layout of ImageData). */
export interface RgbaImage {
    /** Width in pixels. */
    readonly width: number;
    /** Height in pixels. */
    readonly height: number;
    /** width * height * 4 bytes. */
    readonly data: Uint8ClampedArray;
}

/**
 * Size that fits `width` x `height` into `maxSide` on its longest side, keeping the aspect ratio
 * (never upscales).
 * @param width source width
 * @param height source height
 * @param maxSide longest side wanted
 * @returns the target size
 */
export function FitToLongestSide(width: number, height: number, maxSide: number): { width: number; height: number } {
    const scale = Math.min(1, maxSide / Math.max(width, height));
    return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

import { FitToLongestSide } from "./rgbaImage";
import { ResizeRgbaArea, ResizeRgbaNearest } from "./resizeRgba";
import type { DecodedImage, ImageDecodeRequest } from "./imageDecodeTypes";

/**
 * Decodes image bytes with createImageBitmap + OffscreenCanvas (works in workers and windows),
 * then downscales with the area filter. Errors name the file.
 * @param request the file and the wanted size
 * @returns straight RGBA pixels
 */
export async function DecodeImageBytesAsync(request: ImageDecodeRequest): Promise<DecodedImage> {
    let bitmap: ImageBitmap;
    try {
        bitmap = await createImageBitmap(new Blob([request.bytes]), { premultiplyAlpha: "none", colorSpaceConversion: "none" });
    } catch (error) {
        throw new Error(`${request.name}: not a readable image (${request.bytes.byteLength} bytes; ${(error as Error).message || "decode failed"})`, { cause: error });
    }
    const sourceWidth = bitmap.width;
    const sourceHeight = bitmap.height;
    const canvas = new OffscreenCanvas(sourceWidth, sourceHeight);
    const context = canvas.getContext("2d", { willReadFrequently: true });
    if (!context) {
        bitmap.close();
        throw new Error(`${request.name}: no 2D canvas context to decode into`);
    }
    context.drawImage(bitmap, 0, 0);
    bitmap.close();
    const pixels = context.getImageData(0, 0, sourceWidth, sourceHeight);
    const target = request.size ?? (request.maxSide ? FitToLongestSide(sourceWidth, sourceHeight, request.maxSide) : { width: sourceWidth, height: sourceHeight });
    if (target.width > sourceWidth || target.height > sourceHeight) {
        throw new Error(`${request.name}: asked for ${target.width}x${target.height} but the image is only ${sourceWidth}x${sourceHeight}`);
    }
    const source = { width: sourceWidth, height: sourceHeight, data: pixels.data };
    const resized = request.resample === "nearest" ? ResizeRgbaNearest(source, target.width, target.height) : ResizeRgbaArea(source, target.width, target.height);
    return { width: resized.width, height: resized.height, data: resized.data, sourceWidth, sourceHeight };
}

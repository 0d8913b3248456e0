import { FitToLongestSide } from "./rgbaImage";
import { ResizeRgbaArea, ResizeRgbaNearest } from "./resizeRgba";
import type { DecodedImage, ImageDecodeRequest } from "./imageDecodeTypes";
import { ReadImageFileInfo, WithStoredOrientation } from "./imageFileInfo";

/**
 * Decodes image bytes with createImageBitmap + OffscreenCanvas (works in workers and windows),
 * then downscales with the area filter. The pixels are as stored unless the request asks for the
 * EXIF orientation. Errors name the file.
 * @param request the file and the wanted size
 * @returns straight RGBA pixels
 */
export async function DecodeImageBytesAsync(request: ImageDecodeRequest): Promise<DecodedImage> {
    let bitmap: ImageBitmap;
    const info = ReadImageFileInfo(new Uint8Array(request.bytes));
    const bytes = request.orientation === "exif" ? new Uint8Array(request.bytes) : WithStoredOrientation(new Uint8Array(request.bytes), info);
    try {
        bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), { premultiplyAlpha: "none", colorSpaceConversion: "none", imageOrientation: "from-image" });
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
    return { width: resized.width, height: resized.height, data: resized.data, sourceWidth, sourceHeight, exifOrientation: info.orientation };
}

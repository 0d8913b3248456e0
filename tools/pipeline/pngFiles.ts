import type { RgbaImage } from "../../plugin/core/image/rgbaImage";

/**
 * Encodes an RGBA image as PNG with the browser's encoder.
 * @param image the pixels
 * @returns the PNG
 */
export async function EncodePngAsync(image: RgbaImage): Promise<Blob> {
    const canvas = new OffscreenCanvas(image.width, image.height);
    canvas.getContext("2d")!.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
    return canvas.convertToBlob({ type: "image/png" });
}

import type { RgbaImage } from "../plugin/core/image/rgbaImage";

/** What to decode and how large to make it. */
export interface ImageDecodeRequest {
    /** The encoded file (PNG, JPEG, WebP...). Transferred to the worker. */
    readonly bytes: ArrayBuffer;
    /** Name used in error messages (the file's path in its capture). */
    readonly name: string;
    /** Downscale so the longest side is at most this many pixels (area filter). */
    readonly maxSide?: number;
    /** Or an exact target size (must not upscale). */
    readonly size?: { readonly width: number; readonly height: number };
}

/** A decoded image and the size of the file before downscaling. */
export interface DecodedImage extends RgbaImage {
    /** Width of the encoded image. */
    readonly sourceWidth: number;
    /** Height of the encoded image. */
    readonly sourceHeight: number;
}

/** The image-decode worker's API (driven through comlink; pixel buffers are transferred both ways). */
export interface ImageDecodeApi {
    /**
     * Decodes one image to straight (not premultiplied) RGBA and downscales it.
     * @param request the file and the wanted size
     * @returns the pixels (transferred)
     */
    decodeAsync(request: ImageDecodeRequest): Promise<DecodedImage>;
}

import type { RgbaImage } from "./rgbaImage";

/** How a decoded image is brought to its target size. */
export type ResampleMode = "area" | "nearest";

/** What to decode and how large to make it. */
export interface ImageDecodeRequest {
    /** The encoded file (PNG, JPEG, WebP...). Transferred to the worker. */
    readonly bytes: ArrayBuffer;
    /** Name used in error messages (the file's path in its capture). */
    readonly name: string;
    /** Downscale so the longest side is at most this many pixels. */
    readonly maxSide?: number;
    /** Or an exact target size (must not upscale). */
    readonly size?: { readonly width: number; readonly height: number };
    /** "area" (default; colours weighted by alpha) or "nearest" (label maps: values are never mixed). */
    readonly resample?: ResampleMode;
    /**
     * "stored" (default): the pixels as the file stores them, ignoring an EXIF orientation, as
     * COLMAP and nerfstudio's loaders read photos (poses and intrinsics refer to those pixels);
     * "exif": turned as the EXIF orientation says (as photo viewers show them).
     */
    readonly orientation?: "stored" | "exif";
}

/** A decoded image and the size of the file before downscaling. */
export interface DecodedImage extends RgbaImage {
    /** Width of the encoded image. */
    readonly sourceWidth: number;
    /** Height of the encoded image. */
    readonly sourceHeight: number;
    /** The file's EXIF orientation (1..8; 1 when it has none), whether or not it was applied. */
    readonly exifOrientation?: number;
}

/** Decodes one image request (in a worker pool, or in this thread). */
export type ImageDecodeFunction = (request: ImageDecodeRequest, signal?: AbortSignal) => Promise<DecodedImage>;

import type { RgbaImage } from "../image/rgbaImage";
import { ResampleNearestFloat, ResampleRgbBilinear } from "./samResample";
import { SamInputSize } from "./samTypes";

/**
 * Exact image preprocessing of each SAM family, Babylon- and DOM-free (runs in the SAM worker).
 *
 * Alpha: every family gets the RGBA image composited on black first (`round(c * a / 255)` per
 * channel), i.e. what drawing the image onto a black canvas gives; opaque images are unchanged.
 *
 * - SAM / MobileSAM / built-in ({@link PreprocessSamImage}): segment-anything's SamPredictor
 *   (`ResizeLongestSide.apply_image` + `Sam.preprocess`): resize so the longest side is 1024
 *   (size `floor(side * 1024 / longest + 0.5)`) with Pillow's BILINEAR filter on the 8-bit image
 *   (antialiased when shrinking, plain half-pixel bilinear when enlarging, 8-bit rounding per pass:
 *   see `ResampleRgbBilinear`), normalise `(v - mean) / std` with mean [123.675, 116.28, 103.53]
 *   and std [58.395, 57.12, 57.375] (0..255 scale), pad bottom-right with zeros to 1024 x 1024,
 *   CHW float32 [1, 3, 1024, 1024]. Prompt coordinates are scaled per axis by resized / original
 *   size (`ResizeLongestSide.apply_coords`): exactly 1024 / longest side on the long axis, and on
 *   the short axis that factor up to the rounding of the resized side.
 * - SAM2 ({@link PreprocessSam2Image}): sam2's `SAM2Transforms` (ToTensor, Resize((1024, 1024)),
 *   Normalize(ImageNet mean/std)): the image is stretched to 1024 x 1024 without keeping the aspect
 *   ratio (torchvision's antialiased bilinear on floats, no 8-bit rounding), scaled to 0..1 and
 *   normalised with mean [0.485, 0.456, 0.406], std [0.229, 0.224, 0.225]; no padding. Prompt
 *   coordinates are scaled by 1024 / width and 1024 / height (`transform_coords` with normalize).
 * - EfficientSAM ({@link PreprocessEfficientSamImage}): the reference ONNX encoder takes the image
 *   at its own size as RGB in 0..1, CHW [1, 3, H, W]; it resizes to 1024 x 1024 and normalises
 *   inside the graph (`EfficientSam.preprocess`). Its decoder takes prompt coordinates in original
 *   pixels and rescales them itself.
 */

/** SAM's pixel mean, 0..255 scale (RGB). */
export const SamPixelMean: readonly number[] = [123.675, 116.28, 103.53];

/** SAM's pixel standard deviation, 0..255 scale (RGB). */
export const SamPixelStd: readonly number[] = [58.395, 57.12, 57.375];

/** ImageNet mean used by SAM2 and EfficientSAM, 0..1 scale (RGB). */
export const ImageNetMean: readonly number[] = [0.485, 0.456, 0.406];

/** ImageNet standard deviation used by SAM2 and EfficientSAM, 0..1 scale (RGB). */
export const ImageNetStd: readonly number[] = [0.229, 0.224, 0.225];

/** A preprocessed encoder input. */
export interface SamEncoderInput {
    /** Tensor values in the layout of `dims`. */
    readonly data: Float32Array;
    /** Tensor shape. */
    readonly dims: readonly number[];
    /** Size of the resized image inside the tensor (before padding). */
    readonly resizedWidth: number;
    readonly resizedHeight: number;
}

/** Factors that map original-image pixel coordinates to the decoder's coordinate frame. */
export interface SamCoordinateScale {
    readonly scaleX: number;
    readonly scaleY: number;
}

/**
 * The image's RGB composited on black, as 0..255 values (`round(c * a / 255)`), interleaved.
 * @param image the RGBA image
 * @returns width * height * 3 values
 */
export function CompositeRgbOnBlack(image: RgbaImage): Float32Array {
    const pixels = image.width * image.height;
    if (image.data.length !== pixels * 4) {
        throw new RangeError(`the image is ${image.width}x${image.height} but has ${image.data.length} bytes (expected ${pixels * 4})`);
    }
    const rgb = new Float32Array(pixels * 3);
    for (let p = 0; p < pixels; p++) {
        const alpha = image.data[p * 4 + 3];
        for (let c = 0; c < 3; c++) {
            const value = image.data[p * 4 + c];
            rgb[p * 3 + c] = alpha === 255 ? value : Math.floor((value * alpha) / 255 + 0.5);
        }
    }
    return rgb;
}

/**
 * Size of the image after SAM's ResizeLongestSide (`get_preprocess_shape`).
 * @param width original width
 * @param height original height
 * @param longSide target long side (1024)
 * @returns the resized size
 */
export function SamResizedSize(width: number, height: number, longSide: number = SamInputSize): { width: number; height: number } {
    if (!(width >= 1 && height >= 1) || !Number.isInteger(width) || !Number.isInteger(height)) {
        throw new RangeError(`image size must be positive integers, got ${width}x${height}`);
    }
    const scale = longSide / Math.max(width, height);
    return { width: Math.floor(width * scale + 0.5), height: Math.floor(height * scale + 0.5) };
}

/**
 * SAM / MobileSAM / built-in coordinate scale (`ResizeLongestSide.apply_coords`).
 * @param width original width
 * @param height original height
 * @returns resized / original size per axis
 */
export function SamCoordinateScaleFor(width: number, height: number): SamCoordinateScale {
    const resized = SamResizedSize(width, height);
    return { scaleX: resized.width / width, scaleY: resized.height / height };
}

/**
 * SAM2 coordinate scale (the image is stretched to 1024 x 1024).
 * @param width original width
 * @param height original height
 * @returns 1024 / size per axis
 */
export function Sam2CoordinateScaleFor(width: number, height: number): SamCoordinateScale {
    return { scaleX: SamInputSize / width, scaleY: SamInputSize / height };
}

/**
 * A view's depth as the built-in encoder's `depth` input: resized like the image (longest side
 * 1024) but with nearest-neighbour sampling, so that a depth edge stays an edge instead of a ramp
 * of blended depths, zero-padded bottom-right, [1, 1, 1024, 1024]; 0 (unknown) where the depth is
 * not a positive finite number.
 * @param depth width * height depths
 * @param width the image's width
 * @param height the image's height
 * @returns the tensor and the resized size
 */
export function PreprocessSamDepth(depth: Float32Array, width: number, height: number): SamEncoderInput {
    if (depth.length !== width * height) {
        throw new RangeError(`the depth map has ${depth.length} values but the image is ${width}x${height}`);
    }
    const resized = SamResizedSize(width, height);
    const data = new Float32Array(SamInputSize * SamInputSize);
    ResampleNearestFloat(depth.map((value) => (value > 0 && Number.isFinite(value) ? value : 0)), width, height, data, resized.width, resized.height, SamInputSize);
    return { data, dims: [1, 1, SamInputSize, SamInputSize], resizedWidth: resized.width, resizedHeight: resized.height };
}

/**
 * The SAM / MobileSAM / built-in encoder input: resized (longest side 1024, Pillow bilinear, 8-bit),
 * normalised, zero-padded bottom-right, CHW [1, 3, 1024, 1024].
 * @param image the view's original image
 * @returns the tensor and the resized size
 */
export function PreprocessSamImage(image: RgbaImage): SamEncoderInput {
    const resized = SamResizedSize(image.width, image.height);
    const rgb = ResampleRgbBilinear(CompositeRgbOnBlack(image), image.width, image.height, resized.width, resized.height, true);
    const side = SamInputSize;
    const data = new Float32Array(3 * side * side);
    for (let c = 0; c < 3; c++) {
        const mean = SamPixelMean[c];
        const std = SamPixelStd[c];
        const plane = c * side * side;
        for (let y = 0; y < resized.height; y++) {
            for (let x = 0; x < resized.width; x++) {
                data[plane + y * side + x] = (rgb[(y * resized.width + x) * 3 + c] - mean) / std;
            }
        }
    }
    return { data, dims: [1, 3, side, side], resizedWidth: resized.width, resizedHeight: resized.height };
}

/**
 * The input of encoders exported with segment-anything's `ImageEncoderOnnxModel(use_preprocess=True)`
 * (input `input_image`, HWC): the resized 8-bit image as float 0..255, [h, w, 3]; the graph
 * normalises and pads it itself.
 * @param image the view's original image
 * @returns the tensor and the resized size
 */
export function PreprocessSamImageHwc(image: RgbaImage): SamEncoderInput {
    const resized = SamResizedSize(image.width, image.height);
    const data = ResampleRgbBilinear(CompositeRgbOnBlack(image), image.width, image.height, resized.width, resized.height, true);
    return { data, dims: [resized.height, resized.width, 3], resizedWidth: resized.width, resizedHeight: resized.height };
}

/**
 * The SAM2 encoder input: stretched to 1024 x 1024 (antialiased bilinear, float), 0..1,
 * ImageNet-normalised, CHW [1, 3, 1024, 1024].
 * @param image the view's original image
 * @returns the tensor (resized size 1024 x 1024)
 */
export function PreprocessSam2Image(image: RgbaImage): SamEncoderInput {
    const side = SamInputSize;
    const rgb = ResampleRgbBilinear(CompositeRgbOnBlack(image), image.width, image.height, side, side, false);
    const data = new Float32Array(3 * side * side);
    for (let c = 0; c < 3; c++) {
        const mean = ImageNetMean[c];
        const std = ImageNetStd[c];
        const plane = c * side * side;
        for (let p = 0; p < side * side; p++) {
            data[plane + p] = (rgb[p * 3 + c] / 255 - mean) / std;
        }
    }
    return { data, dims: [1, 3, side, side], resizedWidth: side, resizedHeight: side };
}

/**
 * The EfficientSAM encoder input: the image at its own size, RGB 0..1, CHW [1, 3, H, W].
 * @param image the view's original image
 * @returns the tensor (resized size = original size)
 */
export function PreprocessEfficientSamImage(image: RgbaImage): SamEncoderInput {
    const pixels = image.width * image.height;
    const rgb = CompositeRgbOnBlack(image);
    const data = new Float32Array(3 * pixels);
    for (let c = 0; c < 3; c++) {
        for (let p = 0; p < pixels; p++) {
            data[c * pixels + p] = rgb[p * 3 + c] / 255;
        }
    }
    return { data, dims: [1, 3, image.height, image.width], resizedWidth: image.width, resizedHeight: image.height };
}

/**
 * Image-quality metrics of NeRF evaluation: MSE, PSNR and SSIM over RGB in [0, 1] (alpha ignored).
 * SSIM follows Wang et al. 2004 as the usual NeRF evaluation code computes it (mip-NeRF / nerfstudio):
 * 11×11 Gaussian window with σ = 1.5, K1 = 0.01, K2 = 0.03, data range 1, "valid" filtering (no
 * padding), variances clipped at 0, per-channel maps averaged over channels and pixels.
 */
import type { RgbaImage } from "../image/rgbaImage";

/**
 * An RGBA image for the metrics: 8-bit data (RgbaImage, values / 255) or float data already in [0, 1]
 * (a renderer's output), row-major, top row first, 4 values per pixel.
 */
export type MetricImage = RgbaImage | { readonly width: number; readonly height: number; readonly data: Float32Array | Float64Array };

/** Options of {@link MeanSquaredError}. */
export interface MeanSquaredErrorOptions {
    /** One value per pixel (0..255, as CaptureFrame.mask): only pixels at or above maskThreshold count. */
    readonly mask?: ArrayLike<number>;
    /** Mask value from which a pixel counts (default 128, half foreground). */
    readonly maskThreshold?: number;
}

/** Side of the SSIM Gaussian window. */
export const SsimWindowSize = 11;
/** Standard deviation of the SSIM Gaussian window, in pixels. */
export const SsimWindowSigma = 1.5;
const SsimK1 = 0.01;
const SsimK2 = 0.03;

/**
 * Mean squared error over the RGB channels, values in [0, 1].
 * @param a first image
 * @param b second image, the same size
 * @param options a mask restricting the pixels that count
 * @returns the mean of the squared differences over the counted pixels and 3 channels
 * @throws RangeError when the sizes differ, the mask has the wrong length or selects no pixel
 */
export function MeanSquaredError(a: MetricImage, b: MetricImage, options: MeanSquaredErrorOptions = {}): number {
    CheckSameSize(a, b, "MeanSquaredError");
    const pixels = a.width * a.height;
    const { mask, maskThreshold = 128 } = options;
    if (mask && mask.length !== pixels) {
        throw new RangeError(`MeanSquaredError: the mask has ${mask.length} values, the images have ${pixels} pixels`);
    }
    const scaleA = ValueScale(a);
    const scaleB = ValueScale(b);
    let sum = 0;
    let counted = 0;
    for (let p = 0; p < pixels; p++) {
        if (mask && !(mask[p] >= maskThreshold)) {
            continue;
        }
        counted++;
        for (let c = 0; c < 3; c++) {
            const difference = a.data[p * 4 + c] * scaleA - b.data[p * 4 + c] * scaleB;
            sum += difference * difference;
        }
    }
    if (counted === 0) {
        throw new RangeError("MeanSquaredError: the mask selects no pixel");
    }
    return sum / (counted * 3);
}

/**
 * Peak signal-to-noise ratio for data range 1: -10 log10(mse).
 * @param mse a mean squared error
 * @returns PSNR in dB (Infinity for a zero error)
 */
export function Psnr(mse: number): number {
    return mse === 0 ? Infinity : -10 * Math.log10(mse);
}

/**
 * PSNR between two images (RGB, data range 1).
 * @param a first image
 * @param b second image, the same size
 * @param options a mask restricting the pixels that count
 * @returns PSNR in dB (Infinity when identical)
 */
export function PsnrBetween(a: MetricImage, b: MetricImage, options?: MeanSquaredErrorOptions): number {
    return Psnr(MeanSquaredError(a, b, options));
}

/**
 * Structural similarity (SSIM) of two images, averaged over RGB and over every position where the
 * 11×11 window fits (see the file comment for the exact definition).
 * @param a first image
 * @param b second image, the same size, at least 11×11
 * @returns SSIM, 1 for identical images
 * @throws RangeError when the sizes differ or the images are smaller than the window
 */
export function Ssim(a: MetricImage, b: MetricImage): number {
    CheckSameSize(a, b, "Ssim");
    const { width, height } = a;
    if (width < SsimWindowSize || height < SsimWindowSize) {
        throw new RangeError(`Ssim: the images are ${width}×${height}, smaller than the ${SsimWindowSize}×${SsimWindowSize} window`);
    }
    const kernel = GaussianKernel(SsimWindowSize, SsimWindowSigma);
    const c1 = (SsimK1 * 1) ** 2;
    const c2 = (SsimK2 * 1) ** 2;
    const pixels = width * height;
    const x = new Float64Array(pixels);
    const y = new Float64Array(pixels);
    const product = new Float64Array(pixels);
    const scaleA = ValueScale(a);
    const scaleB = ValueScale(b);
    let total = 0;
    for (let c = 0; c < 3; c++) {
        for (let p = 0; p < pixels; p++) {
            x[p] = a.data[p * 4 + c] * scaleA;
            y[p] = b.data[p * 4 + c] * scaleB;
        }
        const muX = FilterValid(x, width, height, kernel);
        const muY = FilterValid(y, width, height, kernel);
        for (let p = 0; p < pixels; p++) {
            product[p] = x[p] * x[p];
        }
        const meanXX = FilterValid(product, width, height, kernel);
        for (let p = 0; p < pixels; p++) {
            product[p] = y[p] * y[p];
        }
        const meanYY = FilterValid(product, width, height, kernel);
        for (let p = 0; p < pixels; p++) {
            product[p] = x[p] * y[p];
        }
        const meanXY = FilterValid(product, width, height, kernel);
        let channelSum = 0;
        for (let i = 0; i < muX.length; i++) {
            const muXX = muX[i] * muX[i];
            const muYY = muY[i] * muY[i];
            const muXY = muX[i] * muY[i];
            const sigmaXX = Math.max(0, meanXX[i] - muXX);
            const sigmaYY = Math.max(0, meanYY[i] - muYY);
            const rawSigmaXY = meanXY[i] - muXY;
            const sigmaXY = Math.sign(rawSigmaXY) * Math.min(Math.sqrt(sigmaXX * sigmaYY), Math.abs(rawSigmaXY));
            channelSum += ((2 * muXY + c1) * (2 * sigmaXY + c2)) / ((muXX + muYY + c1) * (sigmaXX + sigmaYY + c2));
        }
        total += channelSum / muX.length;
    }
    return total / 3;
}

/**
 * A normalised 1D Gaussian kernel of odd size, centred.
 * @param size number of taps
 * @param sigma standard deviation in taps
 * @returns weights summing to 1
 */
export function GaussianKernel(size: number, sigma: number): Float64Array {
    const half = (size - 1) / 2;
    const kernel = new Float64Array(size);
    let sum = 0;
    for (let i = 0; i < size; i++) {
        kernel[i] = Math.exp(-0.5 * ((i - half) / sigma) ** 2);
        sum += kernel[i];
    }
    return kernel.map((w) => w / sum);
}

/**
 * Separable "valid" filtering of a single-channel image with a symmetric kernel (rows, then columns).
 * @param source width × height values
 * @param width image width
 * @param height image height
 * @param kernel symmetric 1D weights
 * @returns (width - k + 1) × (height - k + 1) filtered values
 */
function FilterValid(source: Float64Array, width: number, height: number, kernel: Float64Array): Float64Array {
    const taps = kernel.length;
    const outWidth = width - taps + 1;
    const outHeight = height - taps + 1;
    const rows = new Float64Array(outWidth * height);
    for (let row = 0; row < height; row++) {
        const base = row * width;
        for (let column = 0; column < outWidth; column++) {
            let sum = 0;
            for (let t = 0; t < taps; t++) {
                sum += kernel[t] * source[base + column + t];
            }
            rows[row * outWidth + column] = sum;
        }
    }
    const out = new Float64Array(outWidth * outHeight);
    for (let row = 0; row < outHeight; row++) {
        for (let t = 0; t < taps; t++) {
            const weight = kernel[t];
            const base = (row + t) * outWidth;
            const target = row * outWidth;
            for (let column = 0; column < outWidth; column++) {
                out[target + column] += weight * rows[base + column];
            }
        }
    }
    return out;
}

/** The factor that maps an image's values to [0, 1]: 1 / 255 for 8-bit data, 1 for float data. */
function ValueScale(image: MetricImage): number {
    return image.data instanceof Float32Array || image.data instanceof Float64Array ? 1 : 1 / 255;
}

/** Throws unless both images have the same size and enough data for it. */
function CheckSameSize(a: MetricImage, b: MetricImage, caller: string): void {
    if (a.width !== b.width || a.height !== b.height) {
        throw new RangeError(`${caller}: the images differ in size (${a.width}×${a.height} and ${b.width}×${b.height})`);
    }
    for (const image of [a, b]) {
        if (image.data.length < image.width * image.height * 4) {
            throw new RangeError(`${caller}: a ${image.width}×${image.height} RGBA image needs ${image.width * image.height * 4} values, it has ${image.data.length}`);
        }
    }
}

import type { RgbaImage } from "@plugin/core/image/rgbaImage";
import { GaussianKernel, MeanSquaredError, Psnr, PsnrBetween, Ssim } from "@plugin/core/evaluation/imageMetrics";
import { SeededRandom } from "@test/helpers/random";

/** An 8-bit RGBA image from `fill(x, y, channel)` (alpha channel 3 included). */
function Image(width: number, height: number, fill: (x: number, y: number, channel: number) => number): RgbaImage {
    const data = new Uint8ClampedArray(width * height * 4);
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            for (let c = 0; c < 4; c++) {
                data[(y * width + x) * 4 + c] = fill(x, y, c);
            }
        }
    }
    return { width, height, data };
}

/** A seeded random 8-bit image with values in [lo, hi]. */
function RandomImage(width: number, height: number, seed: number, lo = 0, hi = 255): RgbaImage {
    const random = SeededRandom(seed);
    return Image(width, height, () => lo + Math.floor(random() * (hi - lo + 1)));
}

/** `image` plus seeded uniform noise of the given amplitude (8-bit units), clamped. */
function Noisy(image: RgbaImage, amplitude: number, seed: number): RgbaImage {
    const random = SeededRandom(seed);
    return { ...image, data: image.data.map((v) => v + Math.round((random() * 2 - 1) * amplitude)) };
}

describe("MeanSquaredError and PSNR", () => {
    it("PSNR of identical images is Infinity", () => {
        const image = RandomImage(17, 9, 1);
        expect(MeanSquaredError(image, image)).toBe(0);
        expect(PsnrBetween(image, { ...image, data: image.data.slice() })).toBe(Infinity);
        expect(Psnr(0)).toBe(Infinity);
    });

    it("a constant offset gives the closed form, alpha ignored", () => {
        const a = RandomImage(20, 10, 2, 0, 200);
        const b = { ...a, data: a.data.map((v, i) => (i % 4 === 3 ? 255 - v : v + 10)) };
        const mse = (10 / 255) ** 2;
        expect(MeanSquaredError(a, b)).toBeCloseTo(mse, 15);
        expect(PsnrBetween(a, b)).toBeCloseTo(20 * Math.log10(25.5), 10);
        expect(Psnr(0.01)).toBeCloseTo(20, 12);
    });

    it("counts only the pixels a mask selects", () => {
        const width = 8;
        const height = 4;
        const a = Image(width, height, () => 100);
        // left half off by 40, right half by 20; the mask keeps the right half
        const b = Image(width, height, (x, _, c) => (c === 3 ? 255 : x < width / 2 ? 140 : 120));
        const mask = new Uint8Array(width * height).map((_, p) => (p % width >= width / 2 ? 255 : 0));
        expect(MeanSquaredError(a, b, { mask })).toBeCloseTo((20 / 255) ** 2, 15);
        expect(MeanSquaredError(a, b)).toBeCloseTo(((40 / 255) ** 2 + (20 / 255) ** 2) / 2, 15);
        expect(MeanSquaredError(a, b, { mask: mask.map((v) => v / 2), maskThreshold: 100 })).toBeCloseTo((20 / 255) ** 2, 15);
        expect(() => MeanSquaredError(a, b, { mask: new Uint8Array(width * height) })).toThrowError(RangeError, /the mask selects no pixel/);
        expect(() => MeanSquaredError(a, b, { mask: new Uint8Array(3) })).toThrowError(RangeError, /the mask has 3 values, the images have 32 pixels/);
    });

    it("takes float images in [0, 1] as they are, and refuses mismatched sizes", () => {
        const image = RandomImage(6, 5, 3);
        const float = { width: 6, height: 5, data: Float32Array.from(image.data, (v) => v / 255) };
        expect(MeanSquaredError(image, float)).toBeLessThan(1e-14);
        expect(() => MeanSquaredError(image, RandomImage(5, 6, 3))).toThrowError(RangeError, /^MeanSquaredError: the images differ in size \(6×5 and 5×6\)/);
    });
});

describe("SSIM", () => {
    it("is 1 for identical images, whatever the alpha", () => {
        const image = RandomImage(40, 30, 4);
        expect(Ssim(image, image)).toBeCloseTo(1, 12);
        const otherAlpha = { ...image, data: image.data.map((v, i) => (i % 4 === 3 ? 0 : v)) };
        expect(Ssim(image, otherAlpha)).toBeCloseTo(1, 12);
    });

    it("of two constant images is (2 μx μy + C1) / (μx² + μy² + C1)", () => {
        const a = Image(16, 12, () => 100);
        const b = Image(16, 12, () => 180);
        const [muX, muY, c1] = [100 / 255, 180 / 255, 0.01 ** 2];
        expect(Ssim(a, b)).toBeCloseTo((2 * muX * muY + c1) / (muX ** 2 + muY ** 2 + c1), 10);
        // a black image against a constant one: C1 alone in the numerator
        expect(Ssim(Image(11, 11, () => 0), Image(11, 11, () => 255))).toBeCloseTo(c1 / (1 + c1), 12);
    });

    it("decreases as noise grows", () => {
        const image = Image(48, 40, (x, y, c) => 128 + 80 * Math.sin(x / 5 + c) * Math.cos(y / 7));
        const scores = [2, 8, 24, 64].map((amplitude) => Ssim(image, Noisy(image, amplitude, amplitude)));
        expect(scores[0]).toBeLessThan(1);
        for (let i = 1; i < scores.length; i++) {
            expect(scores[i]).withContext(`noise step ${i}: ${scores.join(", ")}`).toBeLessThan(scores[i - 1]);
        }
        expect(scores[3]).toBeLessThan(0.5);
    });

    it("matches the mip-NeRF / nerfstudio reference implementation (numpy, 'valid' filtering)", () => {
        // Reference values computed with numpy from the mip-NeRF compute_ssim code on these integer images.
        const a = Image(32, 24, (x, y, c) => (x * 37 + y * 91 + c * 53) % 256);
        const b = Image(32, 24, (x, y, c) => (x * x * 3 + y * 17 + c * 29 + x * y) % 256);
        expect(Ssim(a, b)).toBeCloseTo(0.01248802489218955, 12);
        const nudged = Image(32, 24, (x, y, c) => (c === 3 ? 255 : ((x * 37 + y * 91 + c * 53) % 256) + (((x * 13 + y * 7) % 11) - 5) * 8));
        expect(Ssim(a, nudged)).toBeCloseTo(0.9478974062381179, 12);
    });

    it("uses a normalised 11-tap Gaussian with sigma 1.5, and refuses images smaller than the window", () => {
        const kernel = GaussianKernel(11, 1.5);
        expect(kernel.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 15);
        expect(kernel[5] / kernel[4]).toBeCloseTo(Math.exp(0.5 / 2.25), 14);
        expect(() => Ssim(RandomImage(10, 20, 5), RandomImage(10, 20, 6))).toThrowError(RangeError, /^Ssim: the images are 10×20, smaller than the 11×11 window/);
    });
});

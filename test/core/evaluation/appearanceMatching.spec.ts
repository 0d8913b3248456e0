import { HalfMatchedPsnr } from "@plugin/core/evaluation/appearanceMatching";
import { PsnrBetween } from "@plugin/core/evaluation/imageMetrics";
import { RandomFloats } from "@test/helpers/random";

/** A width x height float RGBA image from a per-pixel function. */
function Image(width: number, height: number, colour: (x: number, y: number, c: number) => number): { width: number; height: number; data: Float32Array } {
    const data = new Float32Array(width * height * 4);
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            for (let c = 0; c < 4; c++) {
                data[(y * width + x) * 4 + c] = c === 3 ? 1 : colour(x, y, c);
            }
        }
    }
    return { width, height, data };
}

describe("HalfMatchedPsnr (NeRF-W's holdout protocol)", () => {
    const noise = RandomFloats(16 * 12 * 3, 4, 0.1, 0.8);
    const render = Image(16, 12, (x, y, c) => noise[(y * 16 + x) * 3 + c]);

    it("a photo that differs from the render by a gain and offset per channel scores as a perfect match", () => {
        const gain = [0.7, 1.1, 0.9];
        const offset = [0.05, -0.02, 0.1];
        const photo = Image(16, 12, (x, y, c) => gain[c] * noise[(y * 16 + x) * 3 + c] + offset[c]);
        expect(PsnrBetween(render, photo)).toBeLessThan(25);
        expect(HalfMatchedPsnr(render, photo)).toBeGreaterThan(80);
    });

    it("scores only the right half, which the fit does not see", () => {
        const photo = Image(16, 12, (x, y, c) => (x < 8 ? 0.8 * noise[(y * 16 + x) * 3 + c] : noise[(y * 16 + x) * 3 + c] + 0.1));
        // the fit on the left half (gain 1.25 back to the render) does not carry over to the right half
        const psnr = HalfMatchedPsnr(render, photo);
        expect(psnr).toBeLessThan(25);
        expect(psnr).toBeGreaterThan(10);
        // 8-bit photos read as values / 255
        const bytes = { width: 16, height: 12, data: Uint8ClampedArray.from(render.data, (v) => Math.round(v * 255)) };
        expect(HalfMatchedPsnr(render, bytes)).toBeGreaterThan(45);
    });

    it("names mismatched sizes", () => {
        expect(() => HalfMatchedPsnr(render, Image(8, 12, () => 0))).toThrowError(RangeError, /16x12.*8x12/);
    });
});

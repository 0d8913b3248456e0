import { ResizeRgbaArea } from "@plugin/core/image/resizeRgba";
import { FitToLongestSide } from "@plugin/core/image/rgbaImage";

describe("ResizeRgbaArea", () => {
    it("averages 2x2 blocks, weighting colour by alpha", () => {
        // 2x2 -> 1x1: one opaque white pixel, three fully transparent black ones.
        const data = new Uint8ClampedArray([255, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        const out = ResizeRgbaArea({ width: 2, height: 2, data }, 1, 1);
        expect(Array.from(out.data)).toEqual([255, 255, 255, 64]);
    });

    it("handles non-integer ratios by area overlap", () => {
        const width = 3;
        const data = new Uint8ClampedArray(width * 4);
        [0, 90, 180].forEach((v, i) => data.set([v, v, v, 255], i * 4));
        const out = ResizeRgbaArea({ width, height: 1, data }, 2, 1);
        // left output covers pixel 0 and half of pixel 1: (0 + 45) / 1.5 = 30; right: (45 + 180) / 1.5 = 150
        expect(out.data[0]).toBe(30);
        expect(out.data[4]).toBe(150);
    });

    it("refuses to upscale", () => {
        expect(() => ResizeRgbaArea({ width: 2, height: 2, data: new Uint8ClampedArray(16) }, 4, 4)).toThrowError(/only downscales/);
    });

    it("fits the longest side", () => {
        expect(FitToLongestSide(800, 600, 200)).toEqual({ width: 200, height: 150 });
        expect(FitToLongestSide(100, 50, 200)).toEqual({ width: 100, height: 50 });
    });
});

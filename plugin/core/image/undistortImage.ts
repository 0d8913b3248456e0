import type { LensDistortion } from "../capture/captureManifest";
import type { RgbaImage } from "./rgbaImage";

/** Pinhole parameters of the image being undistorted, in its pixels. */
export interface PinholeParameters {
    readonly fx: number;
    readonly fy: number;
    readonly cx: number;
    readonly cy: number;
}

/**
 * Applies the Brown-Conrady (OpenCV) distortion model to a normalized image point.
 * @param x normalized x ((u - cx) / fx)
 * @param y normalized y ((v - cy) / fy)
 * @param d the coefficients
 * @returns the distorted normalized point
 */
export function DistortPoint(x: number, y: number, d: LensDistortion): [number, number] {
    const r2 = x * x + y * y;
    const radial = 1 + r2 * (d.k1 + r2 * (d.k2 + r2 * d.k3));
    return [x * radial + 2 * d.p1 * x * y + d.p2 * (r2 + 2 * x * x), y * radial + d.p1 * (r2 + 2 * y * y) + 2 * d.p2 * x * y];
}

/**
 * Undistorts an image to an ideal pinhole image with the same intrinsics: each output pixel centre
 * is distorted with the model and the source is sampled there (bilinear, alpha-weighted).
 * Pixels whose source falls outside the image become transparent.
 * @param image the distorted image
 * @param pinhole its intrinsics (kept for the output)
 * @param distortion the lens model
 * @returns the undistorted image
 */
export function UndistortImage(image: RgbaImage, pinhole: PinholeParameters, distortion: LensDistortion): RgbaImage {
    const { width, height, data } = image;
    const out = new Uint8ClampedArray(width * height * 4);
    for (let v = 0; v < height; v++) {
        for (let u = 0; u < width; u++) {
            const [xd, yd] = DistortPoint((u + 0.5 - pinhole.cx) / pinhole.fx, (v + 0.5 - pinhole.cy) / pinhole.fy, distortion);
            const sx = xd * pinhole.fx + pinhole.cx - 0.5;
            const sy = yd * pinhole.fy + pinhole.cy - 0.5;
            if (sx < -0.5 || sy < -0.5 || sx > width - 0.5 || sy > height - 0.5) {
                continue;
            }
            const x0 = Math.floor(sx);
            const y0 = Math.floor(sy);
            const fx = sx - x0;
            const fy = sy - y0;
            let r = 0;
            let g = 0;
            let b = 0;
            let a = 0;
            let weightSum = 0;
            for (const [dx, dy, w] of [
                [0, 0, (1 - fx) * (1 - fy)],
                [1, 0, fx * (1 - fy)],
                [0, 1, (1 - fx) * fy],
                [1, 1, fx * fy],
            ] as const) {
                const px = Math.min(width - 1, Math.max(0, x0 + dx));
                const py = Math.min(height - 1, Math.max(0, y0 + dy));
                const i = (py * width + px) * 4;
                const alpha = data[i + 3] * w;
                r += data[i] * alpha;
                g += data[i + 1] * alpha;
                b += data[i + 2] * alpha;
                a += alpha;
                weightSum += w;
            }
            const o = (v * width + u) * 4;
            out[o + 3] = a / weightSum;
            if (a > 0) {
                out[o] = r / a;
                out[o + 1] = g / a;
                out[o + 2] = b / a;
            }
        }
    }
    return { width, height, data: out };
}

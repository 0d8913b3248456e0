import type { CameraIntrinsics } from "@plugin/core/capture/captureTypes";
import { DistortPoint } from "@plugin/core/image/undistortImage";
import type { LensDistortion } from "@plugin/core/capture/captureManifest";
import { ProjectPoint } from "@plugin/core/math/cameraProjection";
import { LookAtRows, PngFromPixels } from "./imageFixtures";

/** The one bright point every fixture image shows. */
export const DotPoint: [number, number, number] = [0.2, 0.1, -0.3];

/** Camera positions of the fixture captures (all looking at the origin). */
export const FixtureEyes: [number, number, number][] = [
    [0, 0.5, 3],
    [2.5, 1, 1.5],
    [-2, 1.5, 2],
    [1, 2.5, -2],
];

/** Pose rows (transforms.json layout) of fixture camera `i`. */
export function FixturePose(i: number): number[][] {
    return LookAtRows(FixtureEyes[i], [0, 0, 0]);
}

/** Flattened capture-layout pose of fixture camera `i`. */
export function FixturePoseFlat(i: number): number[] {
    return FixturePose(i).flat();
}

/**
 * A PNG of a black image with a 3x3 white square where the dot projects (through an optional
 * lens distortion), alpha 255 (or alpha 0 outside the square when `transparent`).
 */
export async function DotImageAsync(i: number, k: CameraIntrinsics, options: { distortion?: LensDistortion; transparent?: boolean } = {}): Promise<Blob> {
    const { u, v } = ExpectedDotPixel(i, k);
    let [du, dv] = [u, v];
    if (options.distortion) {
        const [xd, yd] = DistortPoint((u - k.cx) / k.fx, (v - k.cy) / k.fy, options.distortion);
        [du, dv] = [xd * k.fx + k.cx, yd * k.fy + k.cy];
    }
    return PngFromPixels(k.width, k.height, (x, y) => {
        const on = Math.abs(x + 0.5 - du) <= 1.5 && Math.abs(y + 0.5 - dv) <= 1.5;
        return on ? [255, 255, 255, 255] : [0, 0, 0, options.transparent ? 0 : 255];
    });
}

/** Where the dot projects in fixture camera `i` (pinhole). */
export function ExpectedDotPixel(i: number, k: CameraIntrinsics): { u: number; v: number } {
    return ProjectPoint(FixturePoseFlat(i), k, DotPoint);
}

/** Centre of the brightest pixels of an RGBA image. */
export function BrightCentre(image: { width: number; height: number; data: Uint8ClampedArray }): { u: number; v: number } {
    let su = 0;
    let sv = 0;
    let sw = 0;
    for (let y = 0; y < image.height; y++) {
        for (let x = 0; x < image.width; x++) {
            const w = image.data[(y * image.width + x) * 4];
            if (w > 64) {
                su += (x + 0.5) * w;
                sv += (y + 0.5) * w;
                sw += w;
            }
        }
    }
    return { u: su / sw, v: sv / sw };
}

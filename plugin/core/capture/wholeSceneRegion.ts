import type { CameraLayout, SceneBounds, WholeSceneRegion } from "./captureTypes";
import { EstimateBoundsFromCameras, type PosedCamera } from "./sceneBounds";

/** Cameras whose viewing directions all lie within this angle of their mean count as forward-facing. */
const ForwardFacingDegrees = 45;

/**
 * The cameras' layout: forward-facing when every viewing direction is within 45 degrees of the
 * mean direction (LLFF-style captures, a phone swept across a scene), object-centric otherwise
 * (cameras around the content).
 * @param cameras the posed cameras
 * @returns the layout
 */
export function CameraLayoutOf(cameras: readonly PosedCamera[]): CameraLayout {
    const mean = [0, 0, 0];
    for (const camera of cameras) {
        const m = camera.cameraToWorld;
        mean[0] -= m[2];
        mean[1] -= m[6];
        mean[2] -= m[10];
    }
    const length = Math.hypot(mean[0], mean[1], mean[2]);
    if (length < 1e-9) {
        return "object-centric";
    }
    const cosine = Math.cos((ForwardFacingDegrees * Math.PI) / 180);
    const forward = cameras.every((camera) => {
        const m = camera.cameraToWorld;
        return (-m[2] * mean[0] - m[6] * mean[1] - m[10] * mean[2]) / length >= cosine;
    });
    return forward ? "forward-facing" : "object-centric";
}

/**
 * The whole-scene region of a capture. Object-centric: the inner box is the region most views see
 * (the capture's bounds), rays start at a tenth of the nearest camera's distance to it.
 * Forward-facing: the inner box is the region most views see between the near depth and the
 * geometric mean of near and far (beyond it the contraction's disparity-even resolution matches
 * how the cameras resolve depth), rays start at 0.9 near; without a depth range, the capture's
 * bounds and near 0.
 * @param cameras the posed cameras
 * @param bounds the capture's bounds (what a bounded field covers)
 * @param depthRange the cameras' near and far depth, when the capture gives them
 * @param unbounded whether the content reaches beyond any box
 * @param trim cuts a box to the capture's sparse points, when it has them
 * @returns the region
 */
export function WholeSceneRegionOf(cameras: readonly PosedCamera[], bounds: SceneBounds, depthRange: readonly [number, number] | undefined, unbounded: boolean, trim: (box: SceneBounds) => SceneBounds): WholeSceneRegion {
    const layout = CameraLayoutOf(cameras);
    if (layout === "forward-facing" && depthRange) {
        const [near, far] = depthRange;
        const inner = trim(EstimateBoundsFromCameras(cameras, [near, Math.sqrt(near * far)]));
        return { layout, bounds: inner, near: 0.9 * near, unbounded };
    }
    const centre = [0, 1, 2].map((a) => 0.5 * (bounds.min[a] + bounds.max[a]));
    let nearest = Infinity;
    for (const camera of cameras) {
        const m = camera.cameraToWorld;
        nearest = Math.min(nearest, Math.hypot(m[3] - centre[0], m[7] - centre[1], m[11] - centre[2]));
    }
    return { layout, bounds, near: Number.isFinite(nearest) ? 0.1 * nearest : 0, unbounded };
}

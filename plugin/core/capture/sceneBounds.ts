import { ProjectPoint } from "../math/cameraProjection";
import type { CameraIntrinsics, SceneBounds } from "./captureTypes";

/** A camera for bounds estimation. */
export interface PosedCamera {
    /** Capture layout, OpenGL convention. */
    readonly cameraToWorld: Float64Array;
    /** Intrinsics. */
    readonly intrinsics: CameraIntrinsics;
}

/**
 * Estimates the region a radiance field should cover from the cameras alone: the focus point
 * (least-squares closest point to all optical axes), then the box of the points seen by at least
 * `coverage` of the cameras (inside the image, in front, within the depth range): for an
 * object-centric capture, the intersection of the view frusta, where the object must be.
 * @param cameras the posed cameras
 * @param depthRange optional near/far range of the cameras
 * @param coverage fraction of cameras that must see a point (default 0.9)
 * @returns the bounds
 */
export function EstimateBoundsFromCameras(cameras: readonly PosedCamera[], depthRange?: readonly [number, number], coverage = 0.9): SceneBounds {
    const focus = FocusPoint(cameras);
    let radius = 0;
    for (const camera of cameras) {
        const m = camera.cameraToWorld;
        radius = Math.max(radius, Math.hypot(m[3] - focus[0], m[7] - focus[1], m[11] - focus[2]));
    }
    if (depthRange) {
        radius = Math.max(radius, depthRange[1]);
    }
    radius = Math.max(radius, 1e-3);
    const step = Math.max(1, Math.floor(cameras.length / 64));
    const sample = cameras.filter((_, i) => i % step === 0);
    const cells = 32;
    const min = [Infinity, Infinity, Infinity];
    const max = [-Infinity, -Infinity, -Infinity];
    const cell = (2 * radius) / cells;
    for (let i = 0; i <= cells; i++) {
        for (let j = 0; j <= cells; j++) {
            for (let k = 0; k <= cells; k++) {
                const p = [focus[0] - radius + i * cell, focus[1] - radius + j * cell, focus[2] - radius + k * cell];
                let seen = 0;
                for (const camera of sample) {
                    if (Sees(camera, p, depthRange)) {
                        seen++;
                    }
                }
                if (seen >= coverage * sample.length) {
                    for (let a = 0; a < 3; a++) {
                        min[a] = Math.min(min[a], p[a] - cell);
                        max[a] = Math.max(max[a], p[a] + cell);
                    }
                }
            }
        }
    }
    if (!Number.isFinite(min[0])) {
        const half = radius / 2;
        return { min: [focus[0] - half, focus[1] - half, focus[2] - half], max: [focus[0] + half, focus[1] + half, focus[2] + half] };
    }
    return { min: [min[0], min[1], min[2]], max: [max[0], max[1], max[2]] };
}

/**
 * The point closest (least squares) to all cameras' optical axes; the cameras' centroid pushed
 * along their mean viewing direction when the axes are near parallel.
 * @param cameras the posed cameras
 * @returns the focus point
 */
export function FocusPoint(cameras: readonly PosedCamera[]): [number, number, number] {
    const a = new Float64Array(9);
    const b = new Float64Array(3);
    const centroid = [0, 0, 0];
    const meanForward = [0, 0, 0];
    for (const camera of cameras) {
        const m = camera.cameraToWorld;
        const origin = [m[3], m[7], m[11]];
        const d = [-m[2], -m[6], -m[10]];
        for (let r = 0; r < 3; r++) {
            centroid[r] += origin[r] / cameras.length;
            meanForward[r] += d[r] / cameras.length;
            for (let c = 0; c < 3; c++) {
                const p = (r === c ? 1 : 0) - d[r] * d[c];
                a[r * 3 + c] += p;
                b[r] += p * origin[c];
            }
        }
    }
    const det = a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6]);
    const scale = cameras.length ** 3;
    if (Math.abs(det) < 1e-6 * scale) {
        return [centroid[0] + meanForward[0], centroid[1] + meanForward[1], centroid[2] + meanForward[2]];
    }
    const inv = [
        a[4] * a[8] - a[5] * a[7],
        a[2] * a[7] - a[1] * a[8],
        a[1] * a[5] - a[2] * a[4],
        a[5] * a[6] - a[3] * a[8],
        a[0] * a[8] - a[2] * a[6],
        a[2] * a[3] - a[0] * a[5],
        a[3] * a[7] - a[4] * a[6],
        a[1] * a[6] - a[0] * a[7],
        a[0] * a[4] - a[1] * a[3],
    ].map((v) => v / det);
    return [0, 1, 2].map((r) => inv[r * 3] * b[0] + inv[r * 3 + 1] * b[1] + inv[r * 3 + 2] * b[2]) as [number, number, number];
}

/** True when `camera` sees world point `p` inside its image, in front, within the depth range. */
function Sees(camera: PosedCamera, p: number[], depthRange?: readonly [number, number]): boolean {
    const { u, v, depth } = ProjectPoint(camera.cameraToWorld, camera.intrinsics, p);
    if (depth <= (depthRange ? depthRange[0] : 1e-6) || (depthRange && depth > depthRange[1])) {
        return false;
    }
    const k = camera.intrinsics;
    return u >= 0 && u <= k.width && v >= 0 && v <= k.height;
}

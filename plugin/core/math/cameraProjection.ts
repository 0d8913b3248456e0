import type { CameraIntrinsics } from "../capture/captureTypes";

/** A world point seen by a camera: pixel coordinates (u right, v down, pixel centres at +0.5) and depth along -z. */
export interface ProjectedPoint {
    /** Horizontal pixel coordinate (0 = left edge). */
    readonly u: number;
    /** Vertical pixel coordinate (0 = top edge). */
    readonly v: number;
    /** Distance along the camera's viewing axis (local -z); <= 0 behind the camera. */
    readonly depth: number;
}

/**
 * Projects a world point into a posed pinhole camera (OpenGL convention, capture layout).
 * @param cameraToWorld 16 numbers, capture layout
 * @param intrinsics pinhole intrinsics
 * @param point world point
 * @returns pixel coordinates and depth
 */
export function ProjectPoint(cameraToWorld: ArrayLike<number>, intrinsics: CameraIntrinsics, point: ArrayLike<number>): ProjectedPoint {
    const m = cameraToWorld;
    const dx = point[0] - m[3];
    const dy = point[1] - m[7];
    const dz = point[2] - m[11];
    const x = m[0] * dx + m[4] * dy + m[8] * dz;
    const y = m[1] * dx + m[5] * dy + m[9] * dz;
    const z = m[2] * dx + m[6] * dy + m[10] * dz;
    const depth = -z;
    return { u: intrinsics.cx + (intrinsics.fx * x) / depth, v: intrinsics.cy - (intrinsics.fy * y) / depth, depth };
}

/**
 * The world ray through a pixel position (u, v in pixels; use +0.5 for pixel centres).
 * @param cameraToWorld 16 numbers, capture layout
 * @param intrinsics pinhole intrinsics
 * @param u horizontal pixel coordinate
 * @param v vertical pixel coordinate
 * @returns origin and unit direction
 */
export function PixelRay(cameraToWorld: ArrayLike<number>, intrinsics: CameraIntrinsics, u: number, v: number): { origin: [number, number, number]; direction: [number, number, number] } {
    const m = cameraToWorld;
    const x = (u - intrinsics.cx) / intrinsics.fx;
    const y = -(v - intrinsics.cy) / intrinsics.fy;
    const d = [m[0] * x + m[1] * y - m[2], m[4] * x + m[5] * y - m[6], m[8] * x + m[9] * y - m[10]];
    const length = Math.hypot(d[0], d[1], d[2]);
    return { origin: [m[3], m[7], m[11]], direction: [d[0] / length, d[1] / length, d[2] / length] };
}

/**
 * The world points of a depth map's pixel centres (depth along the camera's -z, as captures and
 * the field's rendered depth store it).
 * @param cameraToWorld 16 numbers, capture layout
 * @param intrinsics pinhole intrinsics of the depth map's size
 * @param depth width * height depths; 0 (or not finite) = no surface
 * @returns x, y, z per pixel; NaN where the pixel has no depth
 */
export function DepthToWorldPoints(cameraToWorld: ArrayLike<number>, intrinsics: CameraIntrinsics, depth: ArrayLike<number>): Float32Array {
    const m = cameraToWorld;
    const { width, height } = intrinsics;
    const points = new Float32Array(width * height * 3).fill(Number.NaN);
    for (let v = 0; v < height; v++) {
        for (let u = 0; u < width; u++) {
            const i = v * width + u;
            const d = depth[i];
            if (d > 0 && Number.isFinite(d)) {
                const x = ((u + 0.5 - intrinsics.cx) / intrinsics.fx) * d;
                const y = (-(v + 0.5 - intrinsics.cy) / intrinsics.fy) * d;
                points[i * 3] = m[0] * x + m[1] * y - m[2] * d + m[3];
                points[i * 3 + 1] = m[4] * x + m[5] * y - m[6] * d + m[7];
                points[i * 3 + 2] = m[8] * x + m[9] * y - m[10] * d + m[11];
            }
        }
    }
    return points;
}

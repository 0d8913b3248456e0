import type { PosedCamera } from "./sceneBounds";

/**
 * The capture's up direction, estimated from its cameras: the mean of their up vectors (camera +y,
 * OpenGL convention), which people hold roughly upright even when the capture's axes are not y-up
 * (Blender's z-up synthetic scenes, nerfstudio's z-up captures).
 * @param cameras the posed cameras
 * @returns a unit vector in capture coordinates; +y when the cameras' ups cancel out
 */
export function CaptureUpDirection(cameras: readonly Pick<PosedCamera, "cameraToWorld">[]): [number, number, number] {
    const sum = [0, 0, 0];
    for (const { cameraToWorld: m } of cameras) {
        sum[0] += m[1];
        sum[1] += m[5];
        sum[2] += m[9];
    }
    const length = Math.hypot(sum[0], sum[1], sum[2]);
    return length > 1e-6 * Math.max(1, cameras.length) ? [sum[0] / length, sum[1] / length, sum[2] / length] : [0, 1, 0];
}

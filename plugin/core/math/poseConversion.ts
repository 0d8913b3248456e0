/**
 * Conversions between capture poses (OpenGL / NeRF convention: right-handed world, camera looks
 * down its local -z, y up, x right) and Babylon's world.
 *
 * Matrices here are 4x4, flat, in two layouts:
 *  - capture layout: row-major, column vectors (`m[row * 4 + col]`, translation in m[3], m[7], m[11]),
 *    as in transforms.json's `transform_matrix`;
 *  - Babylon layout: the array of a Babylon `Matrix` (row vectors, translation in m[12..14]),
 *    i.e. the transpose of the capture layout.
 *
 * Left-handed Babylon (default): world z is mirrored, p_babylon = (x, y, -z), and the camera's local
 * z is mirrored too (Babylon cameras look down local +z): C_babylon = F * C_gl * F, F = diag(1, 1, -1, 1).
 * Right-handed Babylon (`scene.useRightHandedSystem`): the same axes as OpenGL, C_babylon = C_gl.
 */

/** Babylon's world handedness. */
export type Handedness = "left" | "right";

/** A 3-vector as a plain tuple. */
export type Vec3 = [number, number, number];

/**
 * Camera-to-world of a capture frame (capture layout) to a Babylon camera world matrix (Babylon layout).
 * @param cameraToWorld 16 numbers, capture layout, OpenGL convention
 * @param handedness Babylon scene handedness
 * @returns 16 numbers in Babylon layout
 */
export function CaptureToBabylonCameraMatrix(cameraToWorld: ArrayLike<number>, handedness: Handedness): Float64Array {
    const m = MirrorZ(cameraToWorld, handedness === "left");
    return Transpose4(m);
}

/**
 * A Babylon camera world matrix (Babylon layout) back to a capture camera-to-world (capture layout).
 * @param babylonWorld 16 numbers, Babylon layout (e.g. `camera.getWorldMatrix().m`)
 * @param handedness Babylon scene handedness
 * @returns 16 numbers in capture layout, OpenGL convention
 */
export function BabylonToCaptureCameraMatrix(babylonWorld: ArrayLike<number>, handedness: Handedness): Float64Array {
    return MirrorZ(Transpose4(babylonWorld), handedness === "left");
}

/**
 * A point of the capture's world in Babylon's world.
 * @param point capture-world point
 * @param handedness Babylon scene handedness
 * @returns Babylon-world point
 */
export function CaptureToBabylonPoint(point: ArrayLike<number>, handedness: Handedness): Vec3 {
    return [point[0], point[1], handedness === "left" ? -point[2] : point[2]];
}

/**
 * A point of Babylon's world in the capture's world (the same mirror: its own inverse).
 * @param point Babylon-world point
 * @param handedness Babylon scene handedness
 * @returns capture-world point
 */
export function BabylonToCapturePoint(point: ArrayLike<number>, handedness: Handedness): Vec3 {
    return CaptureToBabylonPoint(point, handedness);
}

/**
 * A direction of the capture's world in Babylon's world.
 * @param direction capture-world direction
 * @param handedness Babylon scene handedness
 * @returns Babylon-world direction
 */
export function CaptureToBabylonDirection(direction: ArrayLike<number>, handedness: Handedness): Vec3 {
    return CaptureToBabylonPoint(direction, handedness);
}

/** F * M * F with F = diag(1, 1, -1, 1) when `mirror`, else a copy; capture layout. */
function MirrorZ(m: ArrayLike<number>, mirror: boolean): Float64Array {
    const out = Float64Array.from({ length: 16 }, (_, i) => m[i]);
    if (!mirror) {
        return out;
    }
    for (let row = 0; row < 4; row++) {
        for (let col = 0; col < 4; col++) {
            const sign = (row === 2 ? -1 : 1) * (col === 2 ? -1 : 1);
            out[row * 4 + col] *= sign;
        }
    }
    return out;
}

/**
 * Transposes a flat 4x4 matrix.
 * @param m 16 numbers
 * @returns the transpose
 */
export function Transpose4(m: ArrayLike<number>): Float64Array {
    const out = new Float64Array(16);
    for (let row = 0; row < 4; row++) {
        for (let col = 0; col < 4; col++) {
            out[col * 4 + row] = m[row * 4 + col];
        }
    }
    return out;
}

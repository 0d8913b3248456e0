/**
 * CPU mirror of shaders/nerf/rayCommon.wgsl: the Ray layout and the radiance field sampled along
 * a ray, for the kernels' CPU twins.
 */
import { Sigmoid, TrilinearCornersAt, type FieldParams, type TrilinearCorners } from "./fieldMath";
import { RayBytes } from "./nerfKernelCommon";

/** One Ray of a rays buffer (rayCommon.wgsl's layout). */
export interface RayView {
    readonly origin: [number, number, number];
    readonly tNear: number;
    readonly direction: [number, number, number];
    readonly tFar: number;
    /** Target RGB (composited on the background) and alpha. */
    readonly target: [number, number, number, number];
    readonly background: [number, number, number];
}

/** Floats per Ray. */
const RayFloats = RayBytes / 4;

/**
 * Reads ray `r` of a rays buffer.
 * @param rays the buffer as floats
 * @param r ray index
 * @returns the ray's fields (the pixel index in background.w is not read)
 */
export function RayAt(rays: Float32Array, r: number): RayView {
    const o = r * RayFloats;
    return {
        origin: [rays[o], rays[o + 1], rays[o + 2]],
        tNear: rays[o + 3],
        direction: [rays[o + 4], rays[o + 5], rays[o + 6]],
        tFar: rays[o + 7],
        target: [rays[o + 8], rays[o + 9], rays[o + 10], rays[o + 11]],
        background: [rays[o + 12], rays[o + 13], rays[o + 14]],
    };
}

/**
 * The point at distance t along a ray.
 * @param ray the ray
 * @param t distance
 * @returns origin + t direction
 */
export function PointAt(ray: RayView, t: number): [number, number, number] {
    return [ray.origin[0] + t * ray.direction[0], ray.origin[1] + t * ray.direction[1], ray.origin[2] + t * ray.direction[2]];
}

/** The radiance field at one sample: its corners, raw density and colour. */
export interface FieldSample {
    readonly corners: TrilinearCorners;
    readonly raw: number;
    readonly colour: [number, number, number];
}

/**
 * As fieldSampleAt() then shColor(): the field at world point p, seen along the SH basis.
 * @param field the grid
 * @param density raw density per grid point
 * @param sh 12 SH coefficients per grid point
 * @param p world point
 * @param basis ShBasis of the ray's direction
 * @returns corners, raw density and colour
 */
export function FieldSampleAt(field: FieldParams, density: Float32Array, sh: Float32Array, p: ArrayLike<number>, basis: ArrayLike<number>): FieldSample {
    const corners = TrilinearCornersAt(field, p);
    let raw = 0;
    const z = [0, 0, 0];
    for (let c = 0; c < 8; c++) {
        const index = corners.index[c];
        const weight = corners.weight[c];
        raw += weight * density[index];
        for (let ch = 0; ch < 3; ch++) {
            const o = 12 * index + 4 * ch;
            z[ch] += weight * (sh[o] * basis[0] + sh[o + 1] * basis[1] + sh[o + 2] * basis[2] + sh[o + 3] * basis[3]);
        }
    }
    return { corners, raw, colour: [Sigmoid(z[0]), Sigmoid(z[1]), Sigmoid(z[2])] };
}

/**
 * The raw density alone at world point p, as fieldDensityAt().
 * @param field the grid
 * @param density raw density per grid point
 * @param p world point
 * @returns trilinear raw density
 */
export function FieldDensityAt(field: FieldParams, density: Float32Array, p: ArrayLike<number>): number {
    const corners = TrilinearCornersAt(field, p);
    let raw = 0;
    for (let c = 0; c < 8; c++) {
        raw += corners.weight[c] * density[corners.index[c]];
    }
    return raw;
}

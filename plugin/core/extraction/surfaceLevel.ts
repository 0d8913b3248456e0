/**
 * The density level an object's surface is taken at. A well-trained field has sharp surfaces: its
 * density rises far above the fixed level (one radiance-grid spacing 30% opaque) within a spacing
 * or two, and where the iso-surface lies barely depends on the level. A soft field (a short run, or
 * a real forward-facing capture, whose depth the views pin down poorly) spreads the same object
 * over a long stretch of low density: the object renders opaque, yet its density may never reach
 * the fixed level, and the mesh comes out as the few dense fragments (horns and beak, no skull).
 *
 * The level is therefore also bounded by what the object looks like: rays through the object's
 * grid along each axis, both ways, march until they are half opaque; each such ray needs a level
 * no higher than the largest density it met by then to meet the surface before its median depth.
 * From every one of the six directions, nine in ten of those rays must meet the surface: the level
 * is the fixed one or the lowest of the six directions' 10th percentiles of those densities. The
 * directions are taken separately because a soft object is soft mostly along its views (depth is
 * what the photos pin down worst), and rays across that smear cross far more of it. Babylon-free.
 */
import type { ScalarGrid } from "../geometry/surfaceNets";

/** Share of the half-opaque rays allowed to miss the surface. */
const MissingRayShare = 0.1;
/** Fewer half-opaque rays than this: too little to go on, the fixed level stands. */
const MinimumRays = 16;

/** The level chosen and why. */
export interface SurfaceLevel {
    /** The density level of the surface. */
    readonly level: number;
    /** Rays along the grid axes (all six directions) that became half opaque inside the grid. */
    readonly opaqueRays: number;
    /** True when the object's softness brought the level below the fixed one. */
    readonly lowered: boolean;
}

/**
 * The surface level of an object's density grid.
 * @param grid the object's density, sampled on a regular grid
 * @param fixedLevel the level for sharp surfaces (the most the level can be)
 * @returns the level, never above `fixedLevel`
 */
export function ObjectSurfaceLevel(grid: ScalarGrid, fixedLevel: number): SurfaceLevel {
    let level = fixedLevel;
    let opaqueRays = 0;
    for (let axis = 0; axis < 3; axis++) {
        for (const forward of [true, false]) {
            const needed = LargestDensitiesToHalfOpacity(grid, axis, forward);
            opaqueRays += needed.length;
            if (needed.length >= MinimumRays) {
                needed.sort();
                level = Math.min(level, needed[Math.floor(MissingRayShare * (needed.length - 1))]);
            }
        }
    }
    return { level, opaqueRays, lowered: level < fixedLevel };
}

/**
 * Marches every grid line along `axis` one way and returns, for each ray that gets half opaque,
 * the largest density it met on the way.
 */
function LargestDensitiesToHalfOpacity(grid: ScalarGrid, axis: number, forward: boolean): Float32Array {
    const { size, values } = grid;
    const strides = [1, size[0], size[0] * size[1]];
    const [u, v] = [0, 1, 2].filter((a) => a !== axis);
    const step = grid.spacing[axis];
    const needed = new Float32Array(size[u] * size[v]);
    let count = 0;
    for (let j = 0; j < size[v]; j++) {
        for (let i = 0; i < size[u]; i++) {
            const start = i * strides[u] + j * strides[v];
            let depth = 0;
            let largest = 0;
            for (let n = 0; n < size[axis]; n++) {
                const value = values[start + (forward ? n : size[axis] - 1 - n) * strides[axis]];
                largest = Math.max(largest, value);
                depth += Math.max(0, value) * step;
                if (depth >= Math.LN2) {
                    needed[count++] = largest;
                    break;
                }
            }
        }
    }
    return needed.slice(0, count);
}

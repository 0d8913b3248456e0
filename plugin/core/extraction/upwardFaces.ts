/**
 * Settling of an extracted mesh's upward faces onto the surface the views see. A trained field's
 * surfaces are soft: the density rises over a grid spacing or two in front of the true surface, so
 * the iso-surface at the surface level (the first rise) stands proud of it. On the sample scenes
 * that put the tops of boxes and bowl rims 0.01 above the true ones, as it put the table before
 * the support plane looked for it the way a view does. Upward faces are seen from above, so they
 * get the support plane's criterion (supportPlane.ts): each vertex moves along up to the depth at
 * which a view from 45 degrees above has lost half its light, found by integrating the grid's
 * density down a vertical segment from the clear space above the vertex. The move is weighted by
 * how much the vertex faces up (none at 73 degrees from up or more, all within 26 degrees), so that
 * the faces' edges bend into the sides instead of leaving a lip. Side faces stay where they are:
 * moving them along their normals by the same rule made every sample object worse. Babylon-free.
 */
import { TrilinearCornersAt } from "../../../shaders/nerf/fieldMath";
import { VertexNormals } from "../geometry/meshDecimation";
import { SurfaceTransmittance } from "./supportPlane";
import type { ScalarGrid, TriangleMesh } from "../geometry/surfaceNets";

/** Vertices whose normal is this close to up (cosine) or less do not move. */
const NoMoveCos = 0.3;
/** Vertices whose normal is this close to up (cosine) or more move the whole way. */
const FullMoveCos = 0.9;
/** Filled hollows hold huge densities; the march caps them (any value far above the surface level will do). */
const DensityCap = 1e4;

/** What settling needs besides the mesh. */
export interface SettleSettings {
    /** The density grid the mesh was extracted from (after the support cut and the hollow filling). */
    readonly grid: ScalarGrid;
    /** The surface level the mesh was extracted at. */
    readonly iso: number;
    /** The capture's up direction (unit length). */
    readonly up: readonly [number, number, number];
    /** How far a vertex may move (and how far above it the march may start): two radiance-grid spacings. */
    readonly reach: number;
}

/**
 * Moves the mesh's upward-facing vertices along up onto the surface a view from 45 degrees above
 * sees, in place.
 * @param mesh the extracted mesh (positions are changed)
 * @param settings the grid, surface level, up and reach
 * @returns how many vertices moved
 */
export function SettleUpwardFaces(mesh: TriangleMesh, settings: SettleSettings): number {
    const { grid, iso, up, reach } = settings;
    const normals = VertexNormals(mesh);
    const step = Math.min(...grid.spacing) / 4;
    const opticalDepth = -Math.log(SurfaceTransmittance);
    const { positions } = mesh;
    const box = { boundsMin: grid.boundsMin, boundsMax: [0, 1, 2].map((a) => grid.boundsMin[a] + (grid.size[a] - 1) * grid.spacing[a]) as [number, number, number], gridSize: grid.size };
    const point = [0, 0, 0];
    // the grid's density at a height along up from vertex v, trilinear; 0 outside the grid
    const densityAt = (v: number, height: number): number => {
        for (let a = 0; a < 3; a++) {
            point[a] = positions[v + a] + height * up[a];
            if (!(point[a] >= box.boundsMin[a] && point[a] <= box.boundsMax[a])) {
                return 0;
            }
        }
        const corners = TrilinearCornersAt(box, point);
        let density = 0;
        for (let corner = 0; corner < 8; corner++) {
            density += corners.weight[corner] * grid.values[corners.index[corner]];
        }
        return Math.min(DensityCap, Math.max(0, density));
    };
    let moved = 0;
    for (let v = 0; v < positions.length; v += 3) {
        const facing = normals[v] * up[0] + normals[v + 1] * up[1] + normals[v + 2] * up[2];
        if (facing <= NoMoveCos) {
            continue;
        }
        // the clear space above the vertex (the vertex is on the surface level, so up is outward)
        let start = 0;
        while (start + step <= reach && densityAt(v, start + step) <= iso) {
            start += step;
        }
        const depth = DepthOfView(densityAt, v, start, -reach, step, opticalDepth);
        if (depth === null) {
            continue;
        }
        const weight = Math.min(1, (facing - NoMoveCos) / (FullMoveCos - NoMoveCos));
        for (let a = 0; a < 3; a++) {
            positions[v + a] += weight * depth * up[a];
        }
        moved++;
    }
    return moved;
}

/**
 * Marches down from `start` to `end` (heights along up from vertex v) until the optical depth
 * reaches `opticalDepth`; returns that height (linear within the step), or null when it never does.
 */
function DepthOfView(densityAt: (v: number, height: number) => number, v: number, start: number, end: number, step: number, opticalDepth: number): number | null {
    let accumulated = 0;
    let previous = densityAt(v, start);
    for (let height = start - step; height >= end; height -= step) {
        const density = densityAt(v, height);
        const added = 0.5 * (previous + density) * step;
        if (accumulated + added >= opticalDepth) {
            return height + step * (1 - (opticalDepth - accumulated) / added);
        }
        accumulated += added;
        previous = density;
    }
    return null;
}

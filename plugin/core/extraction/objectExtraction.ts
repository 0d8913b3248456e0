/**
 * Extraction of a fused object as a triangle mesh: the radiance field's density masked by the
 * object field (MaskRadianceField), resampled on a grid of `resolution` points along the object's
 * longest axis; the support the object stands on found (supportPlane.ts), the object's foot carried
 * down across the support's soft top and everything below the support cut away (the base on the
 * plane); hollows no camera could see into filled (cavityFill.ts); its iso-surface (surface nets) at
 * the density where one radiance-grid spacing is 30% opaque, or lower for a soft object that renders
 * opaque without getting that dense (surfaceLevel.ts), the upward faces settled where a
 * view from above sees them (upwardFaces.ts), disconnected pieces much smaller than the main one
 * (floaters, stray blobs inside surfaces no view sees) dropped, vertex colours from the field's
 * view-independent colour (the SH DC term) just inside the surface, simplified to a triangle
 * budget, plus a coarse collision mesh. Babylon-free (runs in the extraction worker).
 */
import type { ObjectFieldData } from "../fusion/objectFieldTypes";
import { ShC0, Sigmoid, TrilinearCornersAt } from "../../../shaders/nerf/fieldMath";
import { DensityAt } from "../nerf/fieldSurface";
import type { RadianceFieldData } from "../nerf/radianceFieldData";
import { MaskRadianceField } from "./maskedRadianceField";
import { DropSmallPieces } from "../geometry/meshPieces";
import { FinishExtractedMesh, type ExtractedMesh, type SurfaceGridOptions } from "./extractedMesh";
import { SurfaceNets, type ScalarGrid } from "../geometry/surfaceNets";
import { FindSupportPlane, type SupportPlane } from "./supportPlane";

export type { ExtractedMesh };
import { FillUnseenHollows } from "./cavityFill";
import { SettleUpwardFaces } from "./upwardFaces";
import { ObjectSurfaceLevel } from "./surfaceLevel";

/** Extraction settings. */
export interface ExtractionOptions extends SurfaceGridOptions {
    /**
     * The surface: where one radiance-grid spacing of the density is this opaque (default 0.3), or
     * less for a soft object whose rays get half opaque before its density gets there (surfaceLevel.ts).
     */
    readonly surfaceOpacity: number;
    /**
     * The capture's up direction, for the support cut (see supportPlane.ts): the object is cut off
     * the surface it stands on. Default +y (Babylon's up for an untransformed NerfNode); null: no cut.
     */
    readonly up: readonly [number, number, number] | null;
}

/** Hollows are looked for behind the surface at this opacity per radiance-grid spacing (or the surface level, when lower). */
const ShellOpacity = 0.3;
/** Density given to filled hollows (far above any surface level). */
const SolidDensity = 1e6;

/** Default extraction settings. */
export const DefaultExtractionOptions: ExtractionOptions = { resolution: 128, triangleBudget: 60000, collisionBudget: 400, minPieceFraction: 0.25, surfaceOpacity: 0.3, up: [0, 1, 0] };

/**
 * Extracts one object of a fused object field as meshes.
 * @param field the radiance field
 * @param objectField the fused object field
 * @param objectId the object (1..K)
 * @param options resolution and budgets
 * @returns the meshes
 * @throws Error when the object has no surface
 */
export function ExtractObjectMesh(field: RadianceFieldData, objectField: ObjectFieldData, objectId: number, options: Partial<ExtractionOptions> = {}): ExtractedMesh {
    const started = performance.now();
    const o: ExtractionOptions = { ...DefaultExtractionOptions, ...options };
    const masked = MaskRadianceField(field, objectField, objectId, "object");
    const p = masked.params;
    const radianceSpacing = Math.max(...[0, 1, 2].map((a) => (p.boundsMax[a] - p.boundsMin[a]) / (p.gridSize[a] - 1)));
    const extent = [0, 1, 2].map((a) => p.boundsMax[a] - p.boundsMin[a]);
    const spacing = Math.max(...extent) / (o.resolution - 1);
    // one empty layer around the box so that the surface closes
    const size = extent.map((e) => Math.max(2, Math.ceil(e / spacing) + 1) + 2) as [number, number, number];
    const boundsMin = [0, 1, 2].map((a) => p.boundsMin[a] - spacing) as [number, number, number];
    const values = new Float32Array(size[0] * size[1] * size[2]);
    const point = [0, 0, 0];
    for (let k = 0; k < size[2]; k++) {
        for (let j = 0; j < size[1]; j++) {
            for (let i = 0; i < size[0]; i++) {
                point[0] = boundsMin[0] + i * spacing;
                point[1] = boundsMin[1] + j * spacing;
                point[2] = boundsMin[2] + k * spacing;
                const inside = point.every((v, a) => v >= p.boundsMin[a] && v <= p.boundsMax[a]);
                values[i + size[0] * (j + size[1] * k)] = inside ? DensityAt(masked, point) : 0;
            }
        }
    }
    const grid: ScalarGrid = { size, boundsMin, spacing: [spacing, spacing, spacing], values };
    const { level: iso } = ObjectSurfaceLevel(grid, -Math.log(1 - o.surfaceOpacity) / radianceSpacing);
    const support = o.up ? SupportUnder(field, grid, iso, o.up, radianceSpacing) : null;
    const below = support ? BelowPlane(grid, support) : null;
    if (support) {
        RebuildFoot(grid, masked, support, radianceSpacing);
    }
    // hollows (and fog) inside the object that no straight line of clear space reaches: solid
    const shellIso = Math.min(iso, -Math.log(1 - ShellOpacity) / radianceSpacing);
    FillUnseenHollows(grid, shellIso, iso, SolidDensity, o.up ?? undefined, below ?? undefined);
    if (support && below) {
        // cut the object off its support: the table under its foot is not part of it, and the cut
        // closes the mesh with a flat base on the plane
        for (let index = 0; index < values.length; index++) {
            values[index] = below[index] === 1 ? 0 : values[index];
        }
        BaseOnPlane(grid, below, support, iso);
    }
    const raw = DropSmallPieces(SurfaceNets(grid, iso), o.minPieceFraction);
    if (o.up) {
        // the tops as a view from above sees them, not where the soft density first rises
        SettleUpwardFaces(raw, { grid, iso, up: Normalize(o.up), reach: 2 * radianceSpacing });
    }
    if (raw.indices.length === 0) {
        throw new Error(`object ${objectId} has no surface to extract (its density never reaches the surface level)`);
    }
    const half = radianceSpacing * 0.5;
    const surfaceOpacity = 1 - Math.exp(-iso * radianceSpacing);
    return FinishExtractedMesh(raw, (inner) => ColorAt(masked, inner), half, o, { resolution: size, started, support, surfaceOpacity });
}

/**
 * Finds the plane the object stands on, in the whole field around the object's footprint.
 * @returns the plane, or null (none found)
 */
function SupportUnder(field: RadianceFieldData, grid: ScalarGrid, iso: number, up: readonly [number, number, number], radianceSpacing: number): SupportPlane | null {
    const { values } = grid;
    let inside = 0;
    for (const value of values) {
        inside += value > iso ? 1 : 0;
    }
    const objectPoints = new Float32Array(inside * 3);
    const point = [0, 0, 0];
    for (let index = 0, n = 0; index < values.length; index++) {
        if (values[index] > iso) {
            objectPoints.set(GridPoint(grid, index, point), 3 * n++);
        }
    }
    return FindSupportPlane({ sceneDensity: (p) => (InsideBounds(field, p) ? DensityAt(field, p) : 0), iso, objectPoints, up, radianceSpacing });
}

/** 1 for the grid points below the plane, 0 elsewhere. */
function BelowPlane(grid: ScalarGrid, plane: SupportPlane): Uint8Array {
    const below = new Uint8Array(grid.values.length);
    const point = [0, 0, 0];
    for (let index = 0; index < below.length; index++) {
        GridPoint(grid, index, point);
        below[index] = plane.normal[0] * point[0] + plane.normal[1] * point[1] + plane.normal[2] * point[2] < plane.offset ? 1 : 0;
    }
    return below;
}

/**
 * The support's own density reaches the surface level `rise` above the plane (its soft top), and
 * under the object's footprint the object field cannot tell table from object: a slab of table
 * around the foot as far as the object's label reaches. Across that layer the object's cross-section
 * just above it is carried straight down to the plane instead, so the foot meets the plane with the
 * walls it has above the table.
 */
function RebuildFoot(grid: ScalarGrid, masked: RadianceFieldData, plane: SupportPlane, radianceSpacing: number): void {
    const top = plane.rise + radianceSpacing / 2;
    const point = [0, 0, 0];
    const source = [0, 0, 0];
    const n = plane.normal;
    for (let index = 0; index < grid.values.length; index++) {
        GridPoint(grid, index, point);
        const height = n[0] * point[0] + n[1] * point[1] + n[2] * point[2] - plane.offset;
        if (height < 0 || height >= top) {
            continue;
        }
        for (let a = 0; a < 3; a++) {
            source[a] = point[a] + (top - height) * n[a];
        }
        grid.values[index] = InsideBounds(masked, source) ? DensityAt(masked, source) : 0;
    }
}

/**
 * Places the cut's base on the plane. The cut zeroes the grid points below the plane, and surface
 * nets would put the base where the density crosses the surface level between a zeroed point and
 * the solid one above it: anywhere up to one spacing below the plane. Each below-plane point under
 * a solid one gets the value (negative) that makes that crossing fall on the plane, along the grid
 * axis closest to the plane's normal.
 */
function BaseOnPlane(grid: ScalarGrid, below: Uint8Array, plane: SupportPlane, iso: number): void {
    const n = plane.normal;
    const axis = [0, 1, 2].reduce((best, a) => (Math.abs(n[a]) > Math.abs(n[best]) ? a : best), 0);
    const strides = [1, grid.size[0], grid.size[0] * grid.size[1]];
    const step = n[axis] > 0 ? strides[axis] : -strides[axis];
    const height = (index: number, point: number[]): number => {
        GridPoint(grid, index, point);
        return n[0] * point[0] + n[1] * point[1] + n[2] * point[2] - plane.offset;
    };
    const point = [0, 0, 0];
    for (let index = 0; index < below.length; index++) {
        const coordinate = Math.floor(index / strides[axis]) % grid.size[axis];
        const aboveCoordinate = coordinate + (step > 0 ? 1 : -1);
        const above = index + step;
        if (below[index] !== 1 || aboveCoordinate < 0 || aboveCoordinate >= grid.size[axis] || below[above] === 1 || grid.values[above] <= iso) {
            continue;
        }
        // the crossing at fraction t from this point towards the one above
        const depth = -height(index, point);
        const t = depth / (depth + height(above, point));
        grid.values[index] = (iso - t * grid.values[above]) / (1 - t);
    }
}

/** A unit-length copy of a direction. */
function Normalize(v: readonly [number, number, number]): [number, number, number] {
    const length = Math.hypot(v[0], v[1], v[2]);
    return [v[0] / length, v[1] / length, v[2] / length];
}

/** The capture position of a grid point, written into `out`. */
function GridPoint(grid: ScalarGrid, index: number, out: number[]): number[] {
    const { size, boundsMin, spacing } = grid;
    out[0] = boundsMin[0] + (index % size[0]) * spacing[0];
    out[1] = boundsMin[1] + (Math.floor(index / size[0]) % size[1]) * spacing[1];
    out[2] = boundsMin[2] + Math.floor(index / (size[0] * size[1])) * spacing[2];
    return out;
}

/** True when a capture point lies inside the field's box. */
function InsideBounds(field: RadianceFieldData, p: ArrayLike<number>): boolean {
    const { boundsMin, boundsMax } = field.params;
    return p[0] >= boundsMin[0] && p[0] <= boundsMax[0] && p[1] >= boundsMin[1] && p[1] <= boundsMax[1] && p[2] >= boundsMin[2] && p[2] <= boundsMax[2];
}

/** View-independent colour at a point: sigmoid(C0 * SH DC) per channel. */
function ColorAt(field: RadianceFieldData, point: ArrayLike<number>): [number, number, number] {
    const corners = TrilinearCornersAt(field.params, point);
    const dc = [0, 0, 0];
    for (let c = 0; c < 8; c++) {
        for (let channel = 0; channel < 3; channel++) {
            dc[channel] += corners.weight[c] * field.sh[corners.index[c] * 12 + channel * 4];
        }
    }
    return [Sigmoid(ShC0 * dc[0]), Sigmoid(ShC0 * dc[1]), Sigmoid(ShC0 * dc[2])];
}

import type { SceneBounds } from "../capture/captureTypes";
import { ContractedShell, FieldPointAt, type FieldParams } from "../../../shaders/nerf/fieldMath";

/**
 * What a field models: a box, and when `contraction` is set the whole scene around it (the box is
 * then the inner, finely resolved region; see shaders/nerf/fieldCommon.wgsl).
 */
export interface FieldRegion extends SceneBounds {
    /** Set for a whole-scene (contracted) field: where its rays start. */
    readonly contraction?: { readonly near: number };
}

/**
 * Grid geometry for a region at a resolution: `resolution` points along the longest axis, the
 * other axes in proportion (at least 2), samples every `stepInVoxels` grid spacings, occupancy
 * cells `occupancyScale` per grid point. A contracted region's grid spans the contracted space,
 * the box taking the middle 1 / (1 + ContractedShell) of each axis, so the box's points are
 * (1 + ContractedShell) times its extent / (resolution - 1) apart, and the step follows them.
 * @param bounds the region
 * @param resolution grid points along the longest axis
 * @param stepInVoxels sample step in grid spacings
 * @param densityShift softplus shift of raw density
 * @param occupancyScale occupancy cells per grid point
 * @returns the field parameters
 */
export function FieldGeometry(bounds: FieldRegion, resolution: number, stepInVoxels: number, densityShift: number, occupancyScale: number): FieldParams {
    const extent = [0, 1, 2].map((a) => bounds.max[a] - bounds.min[a]);
    const longest = Math.max(...extent);
    const spacing = longest / (resolution - 1);
    const gridSize = extent.map((e) => Math.max(2, Math.round(e / spacing) + 1)) as [number, number, number];
    const occupancySize = gridSize.map((g) => Math.max(1, Math.ceil(g * occupancyScale))) as [number, number, number];
    const contraction = bounds.contraction ? { contracted: true, near: bounds.contraction.near } : {};
    return {
        boundsMin: [bounds.min[0], bounds.min[1], bounds.min[2]],
        boundsMax: [bounds.max[0], bounds.max[1], bounds.max[2]],
        stepSize: (bounds.contraction ? spacing * (1 + ContractedShell) : spacing) * stepInVoxels,
        densityShift,
        gridSize,
        occupancySize,
        ...contraction,
    };
}

/**
 * World distance between neighbouring grid points inside the field's box (the finest detail it
 * resolves), the largest over the axes.
 * @param field grid parameters
 * @returns world units
 */
export function InnerGridSpacing(field: Pick<FieldParams, "boundsMin" | "boundsMax" | "gridSize" | "contracted">): number {
    const scale = field.contracted ? 1 + ContractedShell : 1;
    return Math.max(...[0, 1, 2].map((a) => ((field.boundsMax[a] - field.boundsMin[a]) / (field.gridSize[a] - 1)) * scale));
}

/**
 * The softplus shift that makes empty space start at per-step opacity `alphaInit` for a step.
 * @param alphaInit wanted opacity per step at raw density 0
 * @param stepSize world step
 * @returns the shift
 */
export function DensityShiftFor(alphaInit: number, stepSize: number): number {
    const sigma = -Math.log(1 - alphaInit) / stepSize;
    return Math.log(Math.expm1(sigma));
}

/**
 * The box of the occupied cells, one cell of margin, clipped to the field's box (a contracted
 * field's inner box); null when empty.
 * @param field grid parameters
 * @param occupancy occupancy bits
 * @returns the tight box
 */
export function OccupiedBounds(field: FieldParams, occupancy: Uint32Array): SceneBounds | null {
    const [ox, oy, oz] = field.occupancySize;
    const lo = [Infinity, Infinity, Infinity];
    const hi = [-Infinity, -Infinity, -Infinity];
    for (let c = 0; c < ox * oy * oz; c++) {
        if ((occupancy[c >> 5] & (1 << (c & 31))) === 0) {
            continue;
        }
        const cell = [c % ox, Math.floor(c / ox) % oy, Math.floor(c / (ox * oy))];
        for (let a = 0; a < 3; a++) {
            lo[a] = Math.min(lo[a], cell[a]);
            hi[a] = Math.max(hi[a], cell[a]);
        }
    }
    if (!Number.isFinite(lo[0])) {
        return null;
    }
    if (field.contracted) {
        const lo3 = FieldPointAt(field, lo.map((c, a) => Math.max(0, c - 1) / field.occupancySize[a]));
        const hi3 = FieldPointAt(field, hi.map((c, a) => Math.min(field.occupancySize[a], c + 2) / field.occupancySize[a]));
        return { min: [0, 1, 2].map((a) => Math.max(field.boundsMin[a], lo3[a])) as [number, number, number], max: [0, 1, 2].map((a) => Math.min(field.boundsMax[a], hi3[a])) as [number, number, number] };
    }
    const min: number[] = [];
    const max: number[] = [];
    for (let a = 0; a < 3; a++) {
        const size = (field.boundsMax[a] - field.boundsMin[a]) / field.occupancySize[a];
        min.push(Math.max(field.boundsMin[a], field.boundsMin[a] + (lo[a] - 1) * size));
        max.push(Math.min(field.boundsMax[a], field.boundsMin[a] + (hi[a] + 2) * size));
    }
    return { min: [min[0], min[1], min[2]], max: [max[0], max[1], max[2]] };
}

/**
 * A radiance field restricted to one fused object, or with it cut out: sigma' = sigma * m(p) or
 * sigma * (1 - m(p)), where m is the object field's probability of the object at the grid point
 * (trilinear in its grid, sigmoid or softmax channel), sharpened (see Sharpen). The object's field is
 * cropped to the box where it has density. Babylon-free (the extraction worker uses it too).
 */
import type { ObjectFieldData } from "../fusion/objectFieldTypes";
import { ContractedShell, FieldPointAt, Softplus, TrilinearCornersAt, VoxelCount, type FieldParams } from "../../../shaders/nerf/fieldMath";
import type { RadianceFieldData } from "../nerf/radianceFieldData";
import { ShCoefficientsPerPoint } from "../nerf/radianceFieldData";
import { OccupancyUpdateCpu } from "../../../shaders/nerf/optimizerCpu";

/** What a masked field keeps. */
export type ObjectMaskMode = "object" | "without";

/** Raw density of an empty grid point. */
const EmptyRaw = -40;
/** Occupancy threshold on per-step opacity (as the trainer's). */
const OccupancyAlpha = 0.01;

/**
 * The probability of an object at a capture point.
 * @param objectField the fused field
 * @param objectId the object (1..K)
 * @param p capture point
 * @returns 0..1
 */
export function ObjectProbabilityAt(objectField: ObjectFieldData, objectId: number, p: ArrayLike<number>): number {
    const grid = objectField.grid;
    const corners = TrilinearCornersAt({ boundsMin: grid.boundsMin, boundsMax: grid.boundsMax, gridSize: grid.gridSize, contracted: grid.contracted }, p);
    const c = grid.channels;
    const logits = new Float64Array(c);
    for (let k = 0; k < 8; k++) {
        for (let j = 0; j < c; j++) {
            logits[j] += corners.weight[k] * objectField.logits[corners.index[k] * c + j];
        }
    }
    if (grid.mode === "sigmoid") {
        return 1 / (1 + Math.exp(-logits[0]));
    }
    const largest = Math.max(...logits);
    let total = 0;
    for (let j = 0; j < c; j++) {
        total += Math.exp(logits[j] - largest);
    }
    return Math.exp(logits[objectId] - largest) / total;
}

/**
 * m(p) sharpened: 0 below 0.2, 1 above 0.45, smooth in between. The object keeps a little more
 * than half of the uncertain edge, and the capture without it keeps exactly the rest (the two add
 * up to the original density), so a moved object leaves no shell behind.
 */
function Sharpen(probability: number): number {
    const t = Math.min(1, Math.max(0, (probability - 0.2) / 0.25));
    return t * t * (3 - 2 * t);
}

function InverseSoftplus(sigma: number): number {
    return sigma > 15 ? sigma : sigma < 1e-12 ? Math.log(1e-12) : Math.log(Math.expm1(sigma));
}

/**
 * The grid points (first and last index per axis) where a field's grid is affine in world space:
 * all of them for a bounded field, those inside the box for a contracted one.
 * @param params grid parameters
 * @returns [first, last] per axis
 */
function AffineGridRange(params: FieldParams): [number[], number[]] {
    if (!params.contracted) {
        return [[0, 0, 0], params.gridSize.map((g) => g - 1)];
    }
    const inner = (0.5 * ContractedShell) / (1 + ContractedShell);
    return [params.gridSize.map((g) => Math.ceil(inner * (g - 1) - 1e-6)), params.gridSize.map((g) => Math.floor((1 - inner) * (g - 1) + 1e-6))];
}

/**
 * The field with only one object's density, or without it.
 * @param field the scene's radiance field
 * @param objectField the fused object field
 * @param objectId the object (1..K)
 * @param mode "object": keep the object (cropped to it); "without": cut it out (same grid)
 * @returns a new field (the inputs are not changed)
 * @throws Error when the object has no density in the field (nothing to keep)
 */
export function MaskRadianceField(field: RadianceFieldData, objectField: ObjectFieldData, objectId: number, mode: ObjectMaskMode): RadianceFieldData {
    const params = field.params;
    const [gx, gy, gz] = params.gridSize;
    const spacing = [0, 1, 2].map((a) => (params.boundsMax[a] - params.boundsMin[a]) / (params.gridSize[a] - 1));
    const density = new Float32Array(field.density.length);
    const lo = [Infinity, Infinity, Infinity];
    const hi = [-Infinity, -Infinity, -Infinity];
    const p = [0, 0, 0];
    for (let k = 0; k < gz; k++) {
        for (let j = 0; j < gy; j++) {
            for (let i = 0; i < gx; i++) {
                const v = i + gx * (j + gy * k);
                const raw = field.density[v];
                const sigma = Softplus(raw + params.densityShift);
                if (sigma * params.stepSize < 1e-6) {
                    density[v] = raw;
                    continue;
                }
                if (params.contracted) {
                    const point = FieldPointAt(params, [i / (gx - 1), j / (gy - 1), k / (gz - 1)]);
                    p[0] = point[0];
                    p[1] = point[1];
                    p[2] = point[2];
                } else {
                    p[0] = params.boundsMin[0] + i * spacing[0];
                    p[1] = params.boundsMin[1] + j * spacing[1];
                    p[2] = params.boundsMin[2] + k * spacing[2];
                }
                const m = Sharpen(ObjectProbabilityAt(objectField, objectId, p));
                const kept = sigma * (mode === "object" ? m : 1 - m);
                density[v] = kept * params.stepSize < 1e-6 ? EmptyRaw : InverseSoftplus(kept) - params.densityShift;
                if (mode === "object" && 1 - Math.exp(-kept * params.stepSize) > OccupancyAlpha) {
                    [i, j, k].forEach((g, a) => {
                        lo[a] = Math.min(lo[a], g);
                        hi[a] = Math.max(hi[a], g);
                    });
                }
            }
        }
    }
    if (mode === "without") {
        return WithOccupancy({ ...field, density, sh: field.sh });
    }
    if (!Number.isFinite(lo[0])) {
        throw new Error(`object ${objectId} has no density in this radiance field (its fused region is empty)`);
    }
    // crop to the object's grid points, 2 points of margin, on the same grid lines; a contracted
    // field's object is cropped to the part inside its box, where the grid is affine, and becomes a
    // bounded field
    const [first, last] = AffineGridRange(params);
    const from = lo.map((g, a) => Math.max(first[a], g - 2));
    const to = hi.map((g, a) => Math.min(last[a], g + 2));
    if (from.some((g, a) => g >= to[a])) {
        throw new Error(`object ${objectId} lies outside the radiance field's detailed box (only the contracted background holds it)`);
    }
    const size = [0, 1, 2].map((a) => Math.max(2, to[a] - from[a] + 1)) as [number, number, number];
    const scale = params.occupancySize.map((o, a) => o / params.gridSize[a]);
    const corner = (g: readonly number[]): [number, number, number] =>
        params.contracted ? FieldPointAt(params, g.map((value, a) => value / (params.gridSize[a] - 1))) : ([0, 1, 2].map((a) => params.boundsMin[a] + g[a] * spacing[a]) as [number, number, number]);
    const { contracted: _contracted, near: _near, ...bounded } = params;
    const cropped: FieldParams = {
        ...bounded,
        boundsMin: corner(from),
        boundsMax: corner(from.map((g, a) => g + size[a] - 1)),
        gridSize: size,
        occupancySize: size.map((s, a) => Math.max(1, Math.ceil(s * scale[a]))) as [number, number, number],
    };
    const points = VoxelCount(cropped);
    const croppedDensity = new Float32Array(points);
    const croppedSh = new Float32Array(points * ShCoefficientsPerPoint);
    for (let k = 0; k < size[2]; k++) {
        for (let j = 0; j < size[1]; j++) {
            for (let i = 0; i < size[0]; i++) {
                const source = from[0] + i + gx * (from[1] + j + gy * (from[2] + k));
                const target = i + size[0] * (j + size[1] * k);
                croppedDensity[target] = density[source];
                croppedSh.set(field.sh.subarray(source * ShCoefficientsPerPoint, (source + 1) * ShCoefficientsPerPoint), target * ShCoefficientsPerPoint);
            }
        }
    }
    return WithOccupancy({ ...field, params: cropped, density: croppedDensity, sh: croppedSh });
}

/** The field with its occupancy recomputed from its density (the trainer's occupancy update). */
function WithOccupancy(field: Omit<RadianceFieldData, "occupancy"> & { occupancy?: Uint32Array }): RadianceFieldData {
    const cells = field.params.occupancySize[0] * field.params.occupancySize[1] * field.params.occupancySize[2];
    const { occupancy } = OccupancyUpdateCpu(field.params, 0, OccupancyAlpha, field.density, new Float32Array(cells));
    return { params: field.params, density: field.density, sh: field.sh, occupancy, background: field.background, metadata: field.metadata };
}

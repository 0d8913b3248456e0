/**
 * A trained radiance field (or one fused object of it) as Gaussian splats: one splat per grid point
 * whose cell holds density, so every capture the plugin trains can also leave as a splat file
 * (.ply, .spz). Babylon-free.
 */
import { ContractedShell, FieldPointAt, OccupancyBit, Sigmoid, Softplus, type FieldParams } from "../../../shaders/nerf/fieldMath";
import type { ObjectFieldData } from "../fusion/objectFieldTypes";
import { MaskRadianceField } from "../extraction/maskedRadianceField";
import type { RadianceFieldData } from "../nerf/radianceFieldData";
import { ShCoefficientsPerPoint } from "../nerf/radianceFieldData";
import { ShC0, SplatRowBytes, WriteSplat } from "./splatCloud";
import type { SplatCloud, SplatRecord } from "./splatCloud";

/**
 * Default splat size in grid spacings (a filled cell's Gaussian standard deviation over the
 * spacing h). Measured (PSNR of the splats' render against the field's own, 40³ grid, 64 px, 5
 * views): on a soft blob, where the opacity model below is exact, 0.25 / 0.35 / 0.5 / 0.6 / 1 give
 * 24.2 / 28.7 / 32.7 / 31.4 / 24.2 dB (smaller leaves the lattice's gaps, larger blurs); on a
 * hard-edged sphere 27.0 / 26.8 / 25.2 / 24.0 / 20.0 dB (saturated splats' tails widen a solid's
 * silhouette by a fraction of a cell). 0.5: neighbours meet at one standard deviation, a
 * continuous surface.
 */
export const DefaultSplatSizeInSpacings = 0.5;

/**
 * Default minimum opacity of a grid point's cell (1 - exp(-sigma h)) for it to become a splat:
 * the trainer's own occupancy threshold (per-step opacity 0.01), below which the renderer treats
 * space as empty; fainter points are mostly the trained field's residual haze.
 */
export const DefaultMinCellOpacity = 0.01;

/** Options of {@link FieldToSplats}. */
export interface FieldSplatOptions {
    /** Splat standard deviation in grid spacings (default {@link DefaultSplatSizeInSpacings}). */
    readonly sizeInSpacings?: number;
    /** Minimum cell opacity 1 - exp(-sigma h) of a kept grid point (default {@link DefaultMinCellOpacity}). */
    readonly minCellOpacity?: number;
    /**
     * Export only one fused object: the field is first restricted to it with MaskRadianceField
     * (sigma times the object's sharpened probability, cropped to the object). Alternatively pass
     * a field already masked that way.
     */
    readonly object?: { readonly objectField: ObjectFieldData; readonly objectId: number };
    /**
     * For a contracted (whole-scene) field: also export the contracted background shell, each
     * point mapped back to capture coordinates with its splat sized by the world distance to its
     * neighbouring grid points (large and coarse far away). Default false: only the inner box,
     * where the grid is affine and the scene's detail is.
     */
    readonly background?: boolean;
    /** The cloud's name (default: the object's or capture's name from the field's metadata). */
    readonly name?: string;
}

/** Why a field gave no splats. */
export class EmptyFieldSplatsError extends Error {
    /**
     * @param name the field's name
     * @param minCellOpacity the threshold no grid point reached
     */
    public constructor(name: string, minCellOpacity: number) {
        super(`the radiance field "${name}" has no occupied grid point with a cell opacity of at least ${minCellOpacity}: there is nothing to export as splats (is it trained, or is the object empty?)`);
        this.name = "EmptyFieldSplatsError";
    }
}

/**
 * The radiance field as Gaussian splats, in the field's own (capture) coordinates: OpenGL axes as
 * the capture's cameras, the units of the field's box; a splat file written from it lines up with
 * the capture's cameras, as the field does.
 *
 * One splat per grid point whose cell (the grid-spacing cube h around it) holds density: the
 * field's sigma is sampled in the cell as the renderer computes it (trilinear raw density,
 * softplus; zero in empty occupancy cells and outside the grid) at 4 x 4 x 4 points, and the
 * splat matches that density's moments:
 * - kept when the cell's opacity across one spacing, 1 - exp(-mean(sigma) h), reaches `minCellOpacity`;
 * - at the density's centroid in the cell (the grid point itself for a filled cell; pulled inwards
 *   at a surface, so a solid does not grow by the splats' tails);
 * - shaped by the density's covariance in the cell over a filled cell's, times (`sizeInSpacings` h)^2:
 *   round with standard deviation `sizeInSpacings` * h for a filled cell, thin across a surface
 *   (each axis at least a quarter of that, the sampling's resolution), rotated to the covariance's
 *   axes, so a surface's silhouette stays near the field's;
 * - coloured by the field's view-independent colour sigmoid(SH_C0 * dc) (the SH DC term; the
 *   degree-1 terms are dropped), averaged over the cell's grid points with the density's weights
 *   (colour where there is density, not that of an empty point beside a surface);
 * - opacity: a ray through a lattice of Gaussians of standard deviation s = k h and peak opacity o
 *   accumulates, to first order, o * 2 pi s^2 / h^3 of optical depth per unit length (each
 *   splat's projected footprint integrates to 2 pi s^2, and there are 1 / h^3 per unit volume), in
 *   any direction; matching the field's gives o = 1 - exp(-mean(sigma) h^3 / (2 pi s^2)) (s the
 *   geometric mean of the splat's axes): across the splats of one cell a ray absorbs what the
 *   field absorbs across that cell (exactly where the field is faint, opaque where it is dense).
 *
 * Contracted (whole-scene) fields: only the inner box by default (see
 * {@link FieldSplatOptions.background}).
 * @param field the trained field, or one object of it (MaskRadianceField, or `options.object`)
 * @param options size, threshold, object, background shell, name
 * @returns the splats (SH degree 0)
 * @throws EmptyFieldSplatsError when no grid point qualifies
 */
export function FieldToSplats(field: RadianceFieldData, options: FieldSplatOptions = {}): SplatCloud {
    const source = options.object ? MaskRadianceField(field, options.object.objectField, options.object.objectId, "object") : field;
    const k = options.sizeInSpacings ?? DefaultSplatSizeInSpacings;
    const minCellOpacity = options.minCellOpacity ?? DefaultMinCellOpacity;
    if (!(k > 0) || !(minCellOpacity >= 0 && minCellOpacity < 1)) {
        throw new Error(`splat size ${k} must be > 0 and the minimum cell opacity ${minCellOpacity} in [0, 1)`);
    }
    const name = options.name ?? source.metadata.objectName ?? source.metadata.captureName ?? "radiance field";
    const params = source.params;
    const [gx, gy, gz] = params.gridSize;
    const minOpticalDepth = -Math.log(1 - minCellOpacity);
    const affine = AffineSpacing(params);
    // a cell's mean sigma is at most the largest of the 27 grid points its samples interpolate
    const localMax = MaxOverNeighbours(SigmaGrid(source), params.gridSize);
    const shell = params.contracted === true && options.background === true;
    const rows: SplatRecord[] = [];
    for (let z = 0; z < gz; z++) {
        for (let y = 0; y < gy; y++) {
            for (let x = 0; x < gx; x++) {
                const largest = localMax[x + gx * (y + gy * z)];
                // (the shell's spacings are larger than the box's: checked below, with the point's own)
                if (!shell && largest * affine.max < minOpticalDepth * 0.999) {
                    continue;
                }
                const spacing = params.contracted ? ContractedSpacing(params, x, y, z, shell) : affine.spacing;
                const h = spacing ? Math.cbrt(spacing[0] * spacing[1] * spacing[2]) : 0;
                if (!spacing || largest * h < minOpticalDepth * 0.999) {
                    continue;
                }
                const cell = SampleCell(source, x, y, z);
                if (!cell || cell.meanSigma * h < minOpticalDepth) {
                    continue;
                }
                const { scale, rotation } = SplatShape(cell.covariance, spacing, k);
                const footprint = 2 * Math.PI * Math.cbrt(scale[0] * scale[1] * scale[2]) ** 2;
                const opacity = 1 - Math.exp((-cell.meanSigma * h * h * h) / footprint);
                // a splat whose opacity byte would be 0 draws nothing
                if (opacity < 0.5 / 255) {
                    continue;
                }
                const unit = [0, 1, 2].map((a) => ([x, y, z][a] + cell.centroid[a]) / (params.gridSize[a] - 1));
                rows.push({ position: FieldPointAt(params, unit), scale, rotation, color: cell.color, opacity });
            }
        }
    }
    if (rows.length === 0) {
        throw new EmptyFieldSplatsError(name, minCellOpacity);
    }
    const buffer = new ArrayBuffer(rows.length * SplatRowBytes);
    rows.forEach((row, i) => WriteSplat(buffer, i, row));
    return { name, count: rows.length, rows: buffer, shDegree: 0 };
}

/** Sigma at every grid point (0 where raw density is far below the shift: exactly what softplus gives there). */
function SigmaGrid(field: RadianceFieldData): Float32Array {
    const sigma = new Float32Array(field.density.length);
    for (let v = 0; v < sigma.length; v++) {
        sigma[v] = Softplus(field.density[v] + field.params.densityShift);
    }
    return sigma;
}

/** The largest value over each grid point's 26-neighbourhood (and itself). */
function MaxOverNeighbours(values: Float32Array, size: readonly [number, number, number]): Float32Array {
    const strides = [1, size[0], size[0] * size[1]];
    let current = values;
    for (let axis = 0; axis < 3; axis++) {
        const next = new Float32Array(current.length);
        const stride = strides[axis];
        for (let v = 0; v < current.length; v++) {
            const g = Math.floor(v / stride) % size[axis];
            next[v] = Math.max(current[v], g > 0 ? current[v - stride] : 0, g < size[axis] - 1 ? current[v + stride] : 0);
        }
        current = next;
    }
    return current;
}

/** The grid spacing per axis where the grid is affine (the whole box, or a contracted field's inner box), and its largest. */
function AffineSpacing(params: FieldParams): { spacing: [number, number, number]; max: number } {
    // a contracted grid spans the box's half extents times (1 + shell) on each side of its centre
    const span = params.contracted ? 1 + ContractedShell : 1;
    const spacing = [0, 1, 2].map((a) => ((params.boundsMax[a] - params.boundsMin[a]) * span) / (params.gridSize[a] - 1)) as [number, number, number];
    return { spacing, max: Math.max(...spacing) };
}

/**
 * World spacing per axis at a grid point of a contracted field: the affine spacing inside the
 * inner box; in the shell (when exported) the distance to the next grid point along each axis;
 * null for points not exported (the shell when `background` is off, the grid's outer faces, which
 * lie at infinity).
 */
function ContractedSpacing(params: FieldParams, x: number, y: number, z: number, background: boolean): [number, number, number] | null {
    const index = [x, y, z];
    const c = index.map((g, a) => (2 * (g / (params.gridSize[a] - 1)) - 1) * (1 + ContractedShell));
    if (Math.max(...c.map(Math.abs)) <= 1 + 1e-6) {
        return AffineSpacing(params).spacing;
    }
    if (!background || index.some((g, a) => g === 0 || g === params.gridSize[a] - 1)) {
        return null;
    }
    const unit = index.map((g, a) => g / (params.gridSize[a] - 1));
    const here = FieldPointAt(params, unit);
    return [0, 1, 2].map((a) => {
        // towards the grid's centre: the neighbour outwards may be the outer face (infinity)
        const step = index[a] * 2 > params.gridSize[a] - 1 ? -1 : 1;
        const next = unit.slice();
        next[a] = (index[a] + step) / (params.gridSize[a] - 1);
        const there = FieldPointAt(params, next);
        return Math.hypot(there[0] - here[0], there[1] - here[1], there[2] - here[2]);
    }) as [number, number, number];
}

/** The density in one grid point's cell: its mean sigma, centroid and covariance, and the colour where the density is. */
interface CellDensity {
    /** Mean sigma over the cell (empty samples count as 0). */
    readonly meanSigma: number;
    /** The density's centroid, grid steps from the point per axis. */
    readonly centroid: [number, number, number];
    /** The density's covariance in grid steps (xx, xy, xz, yy, yz, zz). */
    readonly covariance: number[];
    /** View-independent colour, averaged with the density's weights. */
    readonly color: [number, number, number];
}

/** Sample offsets in a cell, in grid steps: the centres of 4 equal bins. */
const CellOffsets = [-3 / 8, -1 / 8, 1 / 8, 3 / 8];
/** Variance of {@link CellOffsets} (a filled cell's). */
const FilledCellVariance = 5 / 64;
/** Smallest spread: one bin of the sampling. */
const MinSpread = 1 / CellOffsets.length;

/**
 * Samples sigma in the cell of grid point (x, y, z) as the renderer computes it (trilinear raw
 * density in grid coordinates, softplus; 0 in empty occupancy cells and outside the grid).
 * @returns the cell's density, or null when the cell is empty
 */
function SampleCell(field: RadianceFieldData, x: number, y: number, z: number): CellDensity | null {
    const { gridSize, occupancySize, densityShift } = field.params;
    const [gx, gy] = gridSize;
    const g = [x, y, z];
    const q = [0, 0, 0];
    const base = [0, 0, 0];
    const fraction = [0, 0, 0];
    const cornerWeights = new Float64Array(27);
    let mass = 0;
    const first = [0, 0, 0];
    const second = [0, 0, 0, 0, 0, 0];
    for (const oz of CellOffsets) {
        for (const oy of CellOffsets) {
            for (const ox of CellOffsets) {
                const offset = [ox, oy, oz];
                let inside = true;
                let cell = 0;
                for (let a = 2; a >= 0; a--) {
                    q[a] = g[a] + offset[a];
                    inside &&= q[a] >= 0 && q[a] <= gridSize[a] - 1;
                    base[a] = Math.min(Math.floor(q[a]), gridSize[a] - 2);
                    fraction[a] = q[a] - base[a];
                    cell = cell * occupancySize[a] + Math.min(Math.floor((q[a] / (gridSize[a] - 1)) * occupancySize[a]), occupancySize[a] - 1);
                }
                if (!inside || !OccupancyBit(field.occupancy, cell)) {
                    continue;
                }
                let raw = 0;
                for (let c = 0; c < 8; c++) {
                    const d = [c & 1, (c >> 1) & 1, (c >> 2) & 1];
                    const w = (d[0] ? fraction[0] : 1 - fraction[0]) * (d[1] ? fraction[1] : 1 - fraction[1]) * (d[2] ? fraction[2] : 1 - fraction[2]);
                    raw += w * field.density[base[0] + d[0] + gx * (base[1] + d[1] + gy * (base[2] + d[2]))];
                }
                const s = Softplus(raw + densityShift);
                if (s === 0) {
                    continue;
                }
                mass += s;
                for (let a = 0; a < 3; a++) {
                    first[a] += s * offset[a];
                }
                second[0] += s * ox * ox;
                second[1] += s * ox * oy;
                second[2] += s * ox * oz;
                second[3] += s * oy * oy;
                second[4] += s * oy * oz;
                second[5] += s * oz * oz;
                // the colour of the corners this sample reads, weighted by its density
                for (let c = 0; c < 8; c++) {
                    const d = [c & 1, (c >> 1) & 1, (c >> 2) & 1];
                    const w = (d[0] ? fraction[0] : 1 - fraction[0]) * (d[1] ? fraction[1] : 1 - fraction[1]) * (d[2] ? fraction[2] : 1 - fraction[2]);
                    const slot = base[0] + d[0] - (x - 1) + 3 * (base[1] + d[1] - (y - 1) + 3 * (base[2] + d[2] - (z - 1)));
                    cornerWeights[slot] += s * w;
                }
            }
        }
    }
    if (!(mass > 0)) {
        return null;
    }
    const centroid = first.map((m) => m / mass) as [number, number, number];
    const pairs = [[0, 0], [0, 1], [0, 2], [1, 1], [1, 2], [2, 2]];
    const covariance = second.map((m, i) => m / mass - centroid[pairs[i][0]] * centroid[pairs[i][1]]);
    const color: [number, number, number] = [0, 0, 0];
    let weights = 0;
    for (let slot = 0; slot < 27; slot++) {
        if (cornerWeights[slot] > 0) {
            const v = x - 1 + (slot % 3) + gx * (y - 1 + (Math.floor(slot / 3) % 3) + gy * (z - 1 + Math.floor(slot / 9)));
            for (let c = 0; c < 3; c++) {
                color[c] += cornerWeights[slot] * Sigmoid(ShC0 * field.sh[v * ShCoefficientsPerPoint + c * 4]);
            }
            weights += cornerWeights[slot];
        }
    }
    return { meanSigma: mass / CellOffsets.length ** 3, centroid, covariance, color: color.map((c) => c / weights) as [number, number, number] };
}

/**
 * The splat's axes: the cell density's covariance (grid steps, scaled to world by the spacing per
 * axis) over a filled cell's, times (k h)^2 per axis; each axis at least a quarter of a filled
 * cell's (the sampling's resolution), at most a filled cell's.
 * @returns scales and the rotation (w, x, y, z) whose columns are the axes
 */
function SplatShape(covariance: readonly number[], spacing: readonly number[], k: number): { scale: [number, number, number]; rotation: [number, number, number, number] } {
    const index = [[0, 1, 2], [1, 3, 4], [2, 4, 5]];
    const m = [0, 1, 2].map((a) => [0, 1, 2].map((b) => (covariance[index[a][b]] * spacing[a] * spacing[b] * k * k) / FilledCellVariance));
    const { values, vectors } = SymmetricEigen3(m);
    const largest = k * Math.max(...spacing);
    const smallest = k * MinSpread * Math.min(...spacing);
    const scale = values.map((v) => Math.min(largest, Math.max(smallest, Math.sqrt(Math.max(0, v))))) as [number, number, number];
    return { scale, rotation: QuaternionOfColumns(vectors) };
}

/**
 * Eigen-decomposition of a symmetric 3 x 3 matrix (cyclic Jacobi rotations).
 * @returns eigenvalues and the matrix whose columns are the unit eigenvectors (a rotation: determinant +1)
 */
function SymmetricEigen3(matrix: readonly number[][]): { values: [number, number, number]; vectors: number[][] } {
    const a = matrix.map((row) => row.slice());
    const v: number[][] = [0, 1, 2].map((row) => [0, 1, 2].map((col) => (row === col ? 1 : 0)));
    for (let sweep = 0; sweep < 12; sweep++) {
        const off = a[0][1] * a[0][1] + a[0][2] * a[0][2] + a[1][2] * a[1][2];
        if (off < 1e-30 * (a[0][0] * a[0][0] + a[1][1] * a[1][1] + a[2][2] * a[2][2] + 1e-300)) {
            break;
        }
        for (const [p, q] of [[0, 1], [0, 2], [1, 2]]) {
            if (a[p][q] === 0) {
                continue;
            }
            // the rotation in the (p, q) plane that zeroes a[p][q]
            const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
            const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
            const c = 1 / Math.sqrt(t * t + 1);
            const s = t * c;
            for (let r = 0; r < 3; r++) {
                const arp = a[r][p];
                const arq = a[r][q];
                a[r][p] = c * arp - s * arq;
                a[r][q] = s * arp + c * arq;
            }
            for (let r = 0; r < 3; r++) {
                const apr = a[p][r];
                const aqr = a[q][r];
                a[p][r] = c * apr - s * aqr;
                a[q][r] = s * apr + c * aqr;
            }
            for (let r = 0; r < 3; r++) {
                const vrp = v[r][p];
                const vrq = v[r][q];
                v[r][p] = c * vrp - s * vrq;
                v[r][q] = s * vrp + c * vrq;
            }
        }
    }
    return { values: [a[0][0], a[1][1], a[2][2]], vectors: v };
}

/** The unit quaternion (w, x, y, z) of a rotation matrix given by its columns. */
function QuaternionOfColumns(r: readonly number[][]): [number, number, number, number] {
    const trace = r[0][0] + r[1][1] + r[2][2];
    if (trace > 0) {
        const s = 2 * Math.sqrt(trace + 1);
        return [s / 4, (r[2][1] - r[1][2]) / s, (r[0][2] - r[2][0]) / s, (r[1][0] - r[0][1]) / s];
    }
    if (r[0][0] > r[1][1] && r[0][0] > r[2][2]) {
        const s = 2 * Math.sqrt(1 + r[0][0] - r[1][1] - r[2][2]);
        return [(r[2][1] - r[1][2]) / s, s / 4, (r[0][1] + r[1][0]) / s, (r[0][2] + r[2][0]) / s];
    }
    if (r[1][1] > r[2][2]) {
        const s = 2 * Math.sqrt(1 + r[1][1] - r[0][0] - r[2][2]);
        return [(r[0][2] - r[2][0]) / s, (r[0][1] + r[1][0]) / s, s / 4, (r[1][2] + r[2][1]) / s];
    }
    const s = 2 * Math.sqrt(1 + r[2][2] - r[0][0] - r[1][1]);
    return [(r[1][0] - r[0][1]) / s, (r[0][2] + r[2][0]) / s, (r[1][2] + r[2][1]) / s, s / 4];
}

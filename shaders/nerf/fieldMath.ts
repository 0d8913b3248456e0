/**
 * CPU mirror of shaders/nerf/fieldCommon.wgsl: the same grid conventions and helper functions,
 * in float32 where the GPU computes in f32 (Math.fround), for the kernels' CPU twins.
 */

/** The uniform every field kernel reads (FieldParams in fieldCommon.wgsl). */
export interface FieldParams {
    readonly boundsMin: readonly [number, number, number];
    readonly boundsMax: readonly [number, number, number];
    /** World distance between ray samples. */
    readonly stepSize: number;
    /** Added to raw density before softplus. */
    readonly densityShift: number;
    /** Grid points per axis. */
    readonly gridSize: readonly [number, number, number];
    /** Occupancy cells per axis. */
    readonly occupancySize: readonly [number, number, number];
    /**
     * True for a whole-scene field: the box is the inner region and the grid also holds everything
     * beyond it, contracted (see fieldCommon.wgsl). Absent or false: the grid covers the box only.
     */
    readonly contracted?: boolean;
    /** Where contracted rays start (world distance from the camera); 0 when absent. */
    readonly near?: number;
}

/** Width of the contracted shell around the inner box, in the inner box's half extents (CONTRACTED_SHELL). */
export const ContractedShell = 0.5;
/** Contracted rays stop at this multiple of their linear part (CONTRACTED_FAR). */
export const ContractedFar = 1000;

/** Bytes of FieldParams in a uniform buffer. */
export const FieldParamsBytes = 80;

/**
 * Packs FieldParams into the uniform layout of fieldCommon.wgsl.
 * @param field the parameters
 * @returns 64 bytes
 */
export function PackFieldParams(field: FieldParams): ArrayBuffer {
    const buffer = new ArrayBuffer(FieldParamsBytes);
    const f = new Float32Array(buffer);
    const u = new Uint32Array(buffer);
    f.set(field.boundsMin, 0);
    f[3] = field.stepSize;
    f.set(field.boundsMax, 4);
    f[7] = field.densityShift;
    u.set(field.gridSize, 8);
    u[11] = VoxelCount(field);
    u.set(field.occupancySize, 12);
    u[15] = OccupancyCellCount(field);
    u[16] = field.contracted ? 1 : 0;
    f[17] = field.near ?? 0;
    return buffer;
}

/** Number of grid points. */
export function VoxelCount(field: FieldParams): number {
    return field.gridSize[0] * field.gridSize[1] * field.gridSize[2];
}

/** Number of occupancy cells. */
export function OccupancyCellCount(field: FieldParams): number {
    return field.occupancySize[0] * field.occupancySize[1] * field.occupancySize[2];
}

export const ShC0 = 0.28209479177387814;
export const ShC1 = 0.4886025119029199;

/** softplus as in WGSL (identity above 15). */
export function Softplus(x: number): number {
    return x > 15 ? x : Math.log(1 + Math.exp(x));
}

/** Logistic sigmoid. */
export function Sigmoid(x: number): number {
    return 1 / (1 + Math.exp(-x));
}

/** Degree-1 SH basis for a unit direction. */
export function ShBasis(d: ArrayLike<number>): [number, number, number, number] {
    return [ShC0, -ShC1 * d[1], ShC1 * d[2], -ShC1 * d[0]];
}

/** Volume density of a raw grid value, as sigmaOf(): softplus(raw + densityShift). */
export function SigmaOf(field: Pick<FieldParams, "densityShift">, raw: number): number {
    return Softplus(raw + field.densityShift);
}

/** Opacity of one march step of the given width through density sigma, as stepAlpha(): 1 - exp(-sigma * width). */
export function StepAlpha(sigma: number, width: number): number {
    return 1 - Math.exp(-sigma * width);
}

/** The grid's box and contraction (what maps a world point into the grid). */
export type FieldGridFrame = Pick<FieldParams, "boundsMin" | "boundsMax" | "gridSize" | "contracted">;

/**
 * Position of a world point in the grid's unit cube, as fieldUnit(): the box itself, or (contracted)
 * the L-inf contraction of the point around the box.
 * @param field the grid's box and contraction
 * @param p world point
 * @returns [0, 1] per axis inside the grid
 */
export function FieldUnit(field: Omit<FieldGridFrame, "gridSize">, p: ArrayLike<number>): [number, number, number] {
    const out: [number, number, number] = [0, 0, 0];
    if (!field.contracted) {
        for (let a = 0; a < 3; a++) {
            out[a] = (p[a] - field.boundsMin[a]) / (field.boundsMax[a] - field.boundsMin[a]);
        }
        return out;
    }
    const u = [0, 1, 2].map((a) => (p[a] - 0.5 * (field.boundsMax[a] + field.boundsMin[a])) / (0.5 * (field.boundsMax[a] - field.boundsMin[a])));
    const r = Math.max(Math.abs(u[0]), Math.abs(u[1]), Math.abs(u[2]));
    const scale = r > 1 ? (1 + ContractedShell * (1 - 1 / r)) / r : 1;
    for (let a = 0; a < 3; a++) {
        out[a] = ((u[a] * scale) / (1 + ContractedShell) + 1) * 0.5;
    }
    return out;
}

/**
 * The world point at a position of the grid's unit cube (inverse of FieldUnit; the contracted
 * shell's outer face maps to infinity).
 * @param field the grid's box and contraction
 * @param unit [0, 1] per axis
 * @returns world point
 */
export function FieldPointAt(field: Omit<FieldGridFrame, "gridSize">, unit: ArrayLike<number>): [number, number, number] {
    const out: [number, number, number] = [0, 0, 0];
    if (!field.contracted) {
        for (let a = 0; a < 3; a++) {
            out[a] = field.boundsMin[a] + unit[a] * (field.boundsMax[a] - field.boundsMin[a]);
        }
        return out;
    }
    const c = [0, 1, 2].map((a) => (2 * unit[a] - 1) * (1 + ContractedShell));
    const rc = Math.max(Math.abs(c[0]), Math.abs(c[1]), Math.abs(c[2]));
    // rc = 1 + S (1 - 1 / r)  =>  r = S / (1 + S - rc)
    const r = rc > 1 ? ContractedShell / Math.max(1 + ContractedShell - rc, 1e-9) : 1;
    const scale = rc > 1 ? r / rc : 1;
    for (let a = 0; a < 3; a++) {
        out[a] = 0.5 * (field.boundsMax[a] + field.boundsMin[a]) + c[a] * scale * 0.5 * (field.boundsMax[a] - field.boundsMin[a]);
    }
    return out;
}

/** March coordinate of distance t on a ray whose linear part ends at tLinear, as marchCoordinate(). */
export function MarchCoordinate(field: Pick<FieldParams, "stepSize">, tLinear: number, t: number): number {
    return t <= tLinear ? Math.fround(t / field.stepSize) : Math.fround((tLinear / field.stepSize) * (2 - tLinear / t));
}

/** Distance of sample k (march coordinate from tNear plus k) on a ray, as marchDistance(). */
export function MarchDistance(field: Pick<FieldParams, "stepSize">, tNear: number, tLinear: number, k: number): number {
    const t = Math.fround(tNear + k * field.stepSize);
    if (t <= tLinear) {
        return t;
    }
    const m = MarchCoordinate(field, tLinear, tNear) + k;
    return Math.fround(tLinear / (2 - (m * field.stepSize) / tLinear));
}

/** Number of march steps from tNear (with the sample offset) to the end of the ray, as marchSteps(). */
export function MarchSteps(field: Pick<FieldParams, "stepSize" | "contracted">, tNear: number, tLinear: number, offset: number): number {
    if (!field.contracted) {
        return Math.max(0, Math.ceil(Math.fround((tLinear - tNear) / field.stepSize - offset)));
    }
    const end = (tLinear / field.stepSize) * (2 - 1 / ContractedFar);
    return Math.max(0, Math.ceil(Math.fround(end - MarchCoordinate(field, tLinear, tNear) - offset)));
}

/** World width of the sample at distance t, as sampleWidth(). */
export function SampleWidth(field: Pick<FieldParams, "stepSize">, tLinear: number, t: number): number {
    const q = Math.max(1, t / tLinear);
    return field.stepSize * q * q;
}

/**
 * The widest sample width in an occupancy cell, as cellWidth(): stepSize, or (contracted)
 * stepSize * r^2 with r the L-inf radius of the cell's outer face in half extents.
 * @param field the field
 * @param cell the cell's (a, b, c)
 * @returns world width
 */
export function CellWidth(field: Pick<FieldParams, "stepSize" | "contracted" | "occupancySize">, cell: ArrayLike<number>): number {
    if (!field.contracted) {
        return field.stepSize;
    }
    let rc = 0;
    for (let a = 0; a < 3; a++) {
        const lo = Math.abs((2 * cell[a]) / field.occupancySize[a] - 1);
        const hi = Math.abs((2 * (cell[a] + 1)) / field.occupancySize[a] - 1);
        rc = Math.max(rc, Math.max(lo, hi) * (1 + ContractedShell));
    }
    const r = rc > 1 ? Math.min(ContractedShell / Math.max(1 + ContractedShell - rc, 1e-6), ContractedFar) : 1;
    return field.stepSize * r * r;
}

/**
 * The distances a ray marches over, as raySpan(): the box span (bounded), or from field.near,
 * linear to the box exit (or the closest approach to the box centre on a miss), then in disparity.
 * @param field the field
 * @param origin ray origin
 * @param direction unit ray direction
 * @returns [tNear, tLinear]
 */
export function RaySpan(field: Pick<FieldParams, "boundsMin" | "boundsMax" | "stepSize" | "contracted" | "near">, origin: ArrayLike<number>, direction: ArrayLike<number>): [number, number] {
    const box = RayBox(origin, direction, field.boundsMin, field.boundsMax);
    if (!field.contracted) {
        return box;
    }
    let linear = box[1];
    if (box[0] > box[1]) {
        linear = 0;
        for (let a = 0; a < 3; a++) {
            linear += (0.5 * (field.boundsMax[a] + field.boundsMin[a]) - origin[a]) * direction[a];
        }
    }
    const near = Math.fround(field.near ?? 0);
    return [near, Math.fround(Math.max(linear, near + field.stepSize))];
}

/** Trilinear lookup: the 8 corner indices and weights of a world point (bit 0 = +x, 1 = +y, 2 = +z). */
export interface TrilinearCorners {
    readonly index: Uint32Array;
    readonly weight: Float64Array;
}

/**
 * Corners and weights of world point `p`, as trilinearAt/cornerIndex/cornerWeight do.
 * @param field the grid
 * @param p world point
 * @returns 8 corners
 */
export function TrilinearCornersAt(field: FieldGridFrame, p: ArrayLike<number>): TrilinearCorners {
    return TrilinearCornersAtUnit(field, FieldUnit(field, p));
}

/**
 * Corners and weights of a position in the grid's unit cube, as trilinearAtUnit() does.
 * @param field the grid
 * @param field.gridSize grid points per axis
 * @param unit [0, 1] per axis
 * @returns 8 corners
 */
export function TrilinearCornersAtUnit(field: { readonly gridSize: readonly [number, number, number] }, unit: ArrayLike<number>): TrilinearCorners {
    const index = new Uint32Array(8);
    const weight = new Float64Array(8);
    const base = [0, 0, 0];
    const fraction = [0, 0, 0];
    for (let a = 0; a < 3; a++) {
        const size = field.gridSize[a];
        let g = unit[a] * (size - 1);
        g = Math.min(Math.max(g, 0), size - 1);
        base[a] = Math.min(Math.floor(g), size - 2);
        fraction[a] = g - base[a];
    }
    const [gx, gy] = field.gridSize;
    for (let c = 0; c < 8; c++) {
        const dx = c & 1;
        const dy = (c >> 1) & 1;
        const dz = (c >> 2) & 1;
        index[c] = base[0] + dx + gx * (base[1] + dy + gy * (base[2] + dz));
        weight[c] = (dx ? fraction[0] : 1 - fraction[0]) * (dy ? fraction[1] : 1 - fraction[1]) * (dz ? fraction[2] : 1 - fraction[2]);
    }
    return { index, weight };
}

/**
 * Occupancy cell of a world point, as occupancyCell() does.
 * @param field the grid
 * @param p world point
 * @returns the cell index
 */
export function OccupancyCellAt(field: FieldParams, p: ArrayLike<number>): number {
    const cell = [0, 0, 0];
    const units = FieldUnit(field, p);
    for (let a = 0; a < 3; a++) {
        const unit = Math.min(Math.max(units[a], 0), 0.999999);
        cell[a] = Math.floor(Math.fround(unit) * field.occupancySize[a]);
    }
    return cell[0] + field.occupancySize[0] * (cell[1] + field.occupancySize[1] * cell[2]);
}

/**
 * Entry and exit distances of a ray through a box ([near, far]; near > far on a miss), as rayBox().
 * @param origin ray origin
 * @param direction ray direction
 * @param boxMin box minimum
 * @param boxMax box maximum
 * @returns [tNear, tFar]
 */
export function RayBox(origin: ArrayLike<number>, direction: ArrayLike<number>, boxMin: ArrayLike<number>, boxMax: ArrayLike<number>): [number, number] {
    let near = 0;
    let far = Infinity;
    for (let a = 0; a < 3; a++) {
        const inverse = 1 / direction[a];
        const t0 = (boxMin[a] - origin[a]) * inverse;
        const t1 = (boxMax[a] - origin[a]) * inverse;
        near = Math.max(near, Math.min(t0, t1));
        far = Math.min(far, Math.max(t0, t1));
    }
    return [near, far];
}

/** PCG hash on u32, as pcgHash(). */
export function PcgHash(input: number): number {
    const state = (Math.imul(input >>> 0, 747796405) + 2891336453) >>> 0;
    const word = Math.imul(((state >>> (((state >>> 28) + 4) >>> 0)) ^ state) >>> 0, 277803737) >>> 0;
    return ((word >>> 22) ^ word) >>> 0;
}

/** [0, 1) from (seed, index), as random01(). */
export function Random01(seed: number, index: number): number {
    return (((PcgHash(PcgHash(seed) ^ index) >>> 8) >>> 0) / 16777216);
}

/** True when occupancy bit `cell` is set. */
export function OccupancyBit(bits: Uint32Array, cell: number): boolean {
    return (bits[cell >>> 5] & (1 << (cell & 31))) !== 0;
}

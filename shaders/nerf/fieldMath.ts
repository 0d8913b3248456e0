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
}

/** Bytes of FieldParams in a uniform buffer. */
export const FieldParamsBytes = 64;

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

/** Opacity of one march step through density sigma, as stepAlpha(): 1 - exp(-sigma * stepSize). */
export function StepAlpha(field: Pick<FieldParams, "stepSize">, sigma: number): number {
    return 1 - Math.exp(-sigma * field.stepSize);
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
export function TrilinearCornersAt(field: Pick<FieldParams, "boundsMin" | "boundsMax" | "gridSize">, p: ArrayLike<number>): TrilinearCorners {
    const index = new Uint32Array(8);
    const weight = new Float64Array(8);
    const base = [0, 0, 0];
    const fraction = [0, 0, 0];
    for (let a = 0; a < 3; a++) {
        const size = field.gridSize[a];
        let g = ((p[a] - field.boundsMin[a]) / (field.boundsMax[a] - field.boundsMin[a])) * (size - 1);
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
    for (let a = 0; a < 3; a++) {
        const unit = Math.min(Math.max((p[a] - field.boundsMin[a]) / (field.boundsMax[a] - field.boundsMin[a]), 0), 0.999999);
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

/**
 * Naive surface nets: the iso-surface of a scalar grid as a triangle mesh. One vertex per grid cell
 * whose corners straddle the iso level (the mean of its edges' crossings), one quad (two
 * triangles) per grid edge that crosses the level, joining the four cells around that edge.
 * Triangles face outward (from inside, value > iso, to outside), checked against the field's
 * gradient. Babylon-free.
 */

/** A scalar grid: values[i + nx * (j + ny * k)] at boundsMin + (i, j, k) * spacing. */
export interface ScalarGrid {
    readonly size: readonly [number, number, number];
    readonly boundsMin: readonly [number, number, number];
    readonly spacing: readonly [number, number, number];
    readonly values: Float32Array;
}

/** An indexed triangle mesh. */
export interface TriangleMesh {
    readonly positions: Float32Array;
    readonly indices: Uint32Array;
}

/** The 12 edges of a cell as pairs of corner numbers (bit 0 = +x, bit 1 = +y, bit 2 = +z). */
const CellEdges = [
    [0, 1], [2, 3], [4, 5], [6, 7],
    [0, 2], [1, 3], [4, 6], [5, 7],
    [0, 4], [1, 5], [2, 6], [3, 7],
] as const;

/**
 * Extracts the surface where the grid crosses `iso` (inside: value > iso).
 * @param grid the scalar grid
 * @param iso the level
 * @returns the mesh (empty when nothing crosses)
 */
export function SurfaceNets(grid: ScalarGrid, iso: number): TriangleMesh {
    const [nx, ny, nz] = grid.size;
    const v = grid.values;
    const at = (i: number, j: number, k: number): number => v[i + nx * (j + ny * k)];
    const cellVertex = new Int32Array((nx - 1) * (ny - 1) * (nz - 1)).fill(-1);
    const positions: number[] = [];
    const corner = new Float64Array(8);
    for (let k = 0; k < nz - 1; k++) {
        for (let j = 0; j < ny - 1; j++) {
            for (let i = 0; i < nx - 1; i++) {
                let inside = 0;
                for (let c = 0; c < 8; c++) {
                    corner[c] = at(i + (c & 1), j + ((c >> 1) & 1), k + ((c >> 2) & 1));
                    inside += corner[c] > iso ? 1 : 0;
                }
                if (inside === 0 || inside === 8) {
                    continue;
                }
                let sx = 0;
                let sy = 0;
                let sz = 0;
                let count = 0;
                for (const [a, b] of CellEdges) {
                    if (corner[a] > iso === corner[b] > iso) {
                        continue;
                    }
                    const t = (iso - corner[a]) / (corner[b] - corner[a]);
                    sx += (a & 1) + t * ((b & 1) - (a & 1));
                    sy += ((a >> 1) & 1) + t * (((b >> 1) & 1) - ((a >> 1) & 1));
                    sz += ((a >> 2) & 1) + t * (((b >> 2) & 1) - ((a >> 2) & 1));
                    count++;
                }
                cellVertex[i + (nx - 1) * (j + (ny - 1) * k)] = positions.length / 3;
                positions.push(grid.boundsMin[0] + (i + sx / count) * grid.spacing[0], grid.boundsMin[1] + (j + sy / count) * grid.spacing[1], grid.boundsMin[2] + (k + sz / count) * grid.spacing[2]);
            }
        }
    }
    const cell = (i: number, j: number, k: number): number => cellVertex[i + (nx - 1) * (j + (ny - 1) * k)];
    const indices: number[] = [];
    const quad = (a: number, b: number, c: number, d: number, flip: boolean): void => {
        if (a < 0 || b < 0 || c < 0 || d < 0) {
            return;
        }
        if (flip) {
            indices.push(a, c, b, a, d, c);
        } else {
            indices.push(a, b, c, a, c, d);
        }
    };
    for (let k = 0; k < nz; k++) {
        for (let j = 0; j < ny; j++) {
            for (let i = 0; i < nx; i++) {
                const here = at(i, j, k) > iso;
                // x edge (i,j,k)-(i+1,j,k): cells (i, j-1..j, k-1..k)
                if (i < nx - 1 && j > 0 && k > 0 && here !== at(i + 1, j, k) > iso) {
                    quad(SafeCell(cell, i, j - 1, k - 1, nx, ny, nz), SafeCell(cell, i, j, k - 1, nx, ny, nz), SafeCell(cell, i, j, k, nx, ny, nz), SafeCell(cell, i, j - 1, k, nx, ny, nz), !here);
                }
                // y edge (i,j,k)-(i,j+1,k): cells (i-1..i, j, k-1..k)
                if (j < ny - 1 && i > 0 && k > 0 && here !== at(i, j + 1, k) > iso) {
                    quad(SafeCell(cell, i - 1, j, k - 1, nx, ny, nz), SafeCell(cell, i - 1, j, k, nx, ny, nz), SafeCell(cell, i, j, k, nx, ny, nz), SafeCell(cell, i, j, k - 1, nx, ny, nz), !here);
                }
                // z edge (i,j,k)-(i,j,k+1): cells (i-1..i, j-1..j, k)
                if (k < nz - 1 && i > 0 && j > 0 && here !== at(i, j, k + 1) > iso) {
                    quad(SafeCell(cell, i - 1, j - 1, k, nx, ny, nz), SafeCell(cell, i, j - 1, k, nx, ny, nz), SafeCell(cell, i, j, k, nx, ny, nz), SafeCell(cell, i - 1, j, k, nx, ny, nz), !here);
                }
            }
        }
    }
    const mesh = { positions: Float32Array.from(positions), indices: Uint32Array.from(indices) };
    OrientOutward(mesh, grid);
    return mesh;
}

/** The vertex of a cell, or -1 outside the cell range. */
function SafeCell(cell: (i: number, j: number, k: number) => number, i: number, j: number, k: number, nx: number, ny: number, nz: number): number {
    return i >= 0 && j >= 0 && k >= 0 && i < nx - 1 && j < ny - 1 && k < nz - 1 ? cell(i, j, k) : -1;
}

/** Flips triangles whose normal points up the field's gradient (into the inside). */
function OrientOutward(mesh: TriangleMesh, grid: ScalarGrid): void {
    const { positions: p, indices } = mesh;
    for (let t = 0; t < indices.length; t += 3) {
        const [a, b, c] = [indices[t] * 3, indices[t + 1] * 3, indices[t + 2] * 3];
        const e1 = [p[b] - p[a], p[b + 1] - p[a + 1], p[b + 2] - p[a + 2]];
        const e2 = [p[c] - p[a], p[c + 1] - p[a + 1], p[c + 2] - p[a + 2]];
        const n = [e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]];
        const centre = [(p[a] + p[b] + p[c]) / 3, (p[a + 1] + p[b + 1] + p[c + 1]) / 3, (p[a + 2] + p[b + 2] + p[c + 2]) / 3];
        const g = GradientAt(grid, centre);
        if (n[0] * g[0] + n[1] * g[1] + n[2] * g[2] > 0) {
            const swap = indices[t + 1];
            indices[t + 1] = indices[t + 2];
            indices[t + 2] = swap;
        }
    }
}

/**
 * The field's value at a point (trilinear, clamped to the grid).
 * @param grid the scalar grid
 * @param p the point
 * @returns the value
 */
export function SampleGrid(grid: ScalarGrid, p: ArrayLike<number>): number {
    const [nx, ny] = grid.size;
    const g = [0, 1, 2].map((a) => Math.min(Math.max((p[a] - grid.boundsMin[a]) / grid.spacing[a], 0), grid.size[a] - 1));
    const base = g.map((x, a) => Math.min(Math.floor(x), grid.size[a] - 2));
    const f = g.map((x, a) => x - base[a]);
    let value = 0;
    for (let c = 0; c < 8; c++) {
        const dx = c & 1;
        const dy = (c >> 1) & 1;
        const dz = (c >> 2) & 1;
        const w = (dx ? f[0] : 1 - f[0]) * (dy ? f[1] : 1 - f[1]) * (dz ? f[2] : 1 - f[2]);
        value += w * grid.values[base[0] + dx + nx * (base[1] + dy + ny * (base[2] + dz))];
    }
    return value;
}

/** Central-difference gradient of the field at a point. */
function GradientAt(grid: ScalarGrid, p: ArrayLike<number>): [number, number, number] {
    const out: [number, number, number] = [0, 0, 0];
    for (let a = 0; a < 3; a++) {
        const h = grid.spacing[a] * 0.5;
        const plus = [p[0], p[1], p[2]];
        const minus = [p[0], p[1], p[2]];
        plus[a] += h;
        minus[a] -= h;
        out[a] = SampleGrid(grid, plus) - SampleGrid(grid, minus);
    }
    return out;
}

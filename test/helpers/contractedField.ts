import { CellWidth, FieldPointAt, OccupancyCellCount, ShC0, Softplus, VoxelCount, type FieldParams } from "@shaders/nerf/fieldMath";
import type { RadianceFieldData } from "@plugin/core/nerf/radianceFieldData";

/**
 * A procedural whole-scene (contracted) field: an opaque blob of one colour inside the inner box,
 * and a wall of another colour beyond it (every point whose L-inf radius around the box centre
 * is beyond 5 half extents: past the test cameras, on the grid's last two layers), so that any ray meets the wall if it
 * misses the blob.
 * Occupancy is conservative (a cell is occupied when a grid point its lookups touch has alpha
 * above 0.01 at the cell's widest sample).
 * @param options the grid's points per axis
 * @param options.grid points per axis (default 32)
 * @returns the field (white background)
 */
export function ContractedField(options: { grid?: number } = {}): RadianceFieldData {
    const n = options.grid ?? 32;
    const params: FieldParams = { boundsMin: [-0.6, -0.5, -0.55], boundsMax: [0.6, 0.5, 0.65], stepSize: 0.02, densityShift: -1, gridSize: [n, n, n], occupancySize: [n / 2, n / 2, n / 2], contracted: true, near: 0.05 };
    const centre = params.boundsMin.map((v, a) => 0.5 * (v + params.boundsMax[a]));
    const half = params.boundsMin.map((v, a) => 0.5 * (params.boundsMax[a] - v));
    const density = new Float32Array(VoxelCount(params));
    const sh = new Float32Array(density.length * 12);
    for (let v = 0; v < density.length; v++) {
        const g = [v % n, Math.floor(v / n) % n, Math.floor(v / (n * n))];
        const p = FieldPointAt(params, g.map((value) => value / (n - 1)));
        const u = p.map((value, a) => (value - centre[a]) / half[a]);
        const r = Math.max(...u.map(Math.abs));
        const blob = Math.hypot(u[0] - 0.1, u[1], u[2] + 0.1) < 0.45;
        const wall = r > 5;
        density[v] = blob ? 40 : wall ? 6 : -12;
        const colour = blob ? [0.85, 0.3, 0.2] : [0.2, 0.45, 0.8];
        for (let c = 0; c < 3; c++) {
            sh[v * 12 + c * 4] = Math.log(colour[c] / (1 - colour[c])) / ShC0;
            sh[v * 12 + c * 4 + 1] = 0.3 * Math.sin(u[0] + c);
        }
    }
    const cells = OccupancyCellCount(params);
    const occupancy = new Uint32Array(Math.ceil(cells / 32));
    const cellsPerAxis = n / 2;
    for (let cell = 0; cell < cells; cell++) {
        const c = [cell % cellsPerAxis, Math.floor(cell / cellsPerAxis) % cellsPerAxis, Math.floor(cell / (cellsPerAxis * cellsPerAxis))];
        const width = CellWidth(params, c);
        let occupied = false;
        for (let k = Math.max(0, 2 * c[2] - 1); k <= Math.min(n - 1, 2 * c[2] + 3) && !occupied; k++) {
            for (let j = Math.max(0, 2 * c[1] - 1); j <= Math.min(n - 1, 2 * c[1] + 3) && !occupied; j++) {
                for (let i = Math.max(0, 2 * c[0] - 1); i <= Math.min(n - 1, 2 * c[0] + 3) && !occupied; i++) {
                    occupied = 1 - Math.exp(-Softplus(density[i + n * (j + n * k)] + params.densityShift) * width) > 0.01;
                }
            }
        }
        if (occupied) {
            occupancy[cell >> 5] |= 1 << (cell & 31);
        }
    }
    return { params, density, sh, occupancy, background: "white", metadata: { iterations: 0 } };
}

import { CellWidth, SigmaOf, StepAlpha, TrilinearCornersAt, TrilinearCornersAtUnit, VoxelCount, OccupancyCellCount, type FieldParams } from "./fieldMath";
import type { AdamParams } from "./optimizerKernels";
import { AdamStepCpu } from "../common/adamMath";

/**
 * CPU twin of totalVariation.wgsl: the regulariser's gradient for the given points (float, 13 per point).
 * @param field grid parameters
 * @param lambdaDensity weight for density
 * @param lambdaColor weight for SH coefficients
 * @param density raw densities
 * @param sh SH coefficients
 * @param points the touched points
 * @param grad float gradients, 13 per point (accumulated into)
 */
export function TotalVariationCpu(field: FieldParams, lambdaDensity: number, lambdaColor: number, density: Float32Array, sh: Float32Array, points: Iterable<number>, grad: Float64Array): void {
    const [gx, gy, gz] = field.gridSize;
    for (const v of points) {
        const coordinate = [v % gx, Math.floor(v / gx) % gy, Math.floor(v / (gx * gy))];
        for (let n = 0; n < 6; n++) {
            const axis = n >> 1;
            const c = [...coordinate];
            c[axis] += n & 1 ? 1 : -1;
            if (c[axis] < 0 || c[axis] >= [gx, gy, gz][axis]) {
                continue;
            }
            const w = c[0] + gx * (c[1] + gy * c[2]);
            grad[13 * v] += lambdaDensity * (density[v] - density[w]);
            if (lambdaColor !== 0) {
                for (let k = 0; k < 12; k++) {
                    grad[13 * v + 1 + k] += lambdaColor * (sh[12 * v + k] - sh[12 * w + k]);
                }
            }
        }
    }
}

/**
 * CPU twin of adam.wgsl: one masked Adam step for the given points; resets their gradients.
 * @param params Adam parameters
 * @param points touched points
 * @param grad float gradients, 13 per point (reset to 0)
 * @param density raw densities (updated)
 * @param sh SH coefficients (updated)
 * @param moments (m, s) pairs, 26 floats per point (updated)
 */
export function AdamCpu(params: AdamParams, points: Iterable<number>, grad: Float64Array, density: Float32Array, sh: Float32Array, moments: Float32Array): void {
    for (const v of points) {
        density[v] = AdamStepCpu(density[v], grad[13 * v], moments, 13 * v, params.lrDensity, params);
        grad[13 * v] = 0;
        for (let c = 0; c < 12; c++) {
            sh[12 * v + c] = AdamStepCpu(sh[12 * v + c], grad[13 * v + 1 + c], moments, 13 * v + 1 + c, params.lrColor, params);
            grad[13 * v + 1 + c] = 0;
        }
    }
}

/**
 * CPU twin of occupancyUpdate.wgsl.
 * @param field grid parameters
 * @param decay moving-maximum decay
 * @param alphaThreshold occupancy threshold on alpha
 * @param density raw densities
 * @param cellDensity per-cell moving maximum (updated)
 * @returns the bits and the occupied count
 */
export function OccupancyUpdateCpu(field: FieldParams, decay: number, alphaThreshold: number, density: Float32Array, cellDensity: Float32Array): { occupancy: Uint32Array; occupied: number } {
    const cells = OccupancyCellCount(field);
    const occupancy = new Uint32Array(Math.ceil(cells / 32));
    const [ox, oy] = field.occupancySize;
    const [gx, gy] = field.gridSize;
    let occupied = 0;
    for (let cell = 0; cell < cells; cell++) {
        const c = [cell % ox, Math.floor(cell / ox) % oy, Math.floor(cell / (ox * oy))];
        const lo: number[] = [];
        const hi: number[] = [];
        for (let a = 0; a < 3; a++) {
            const scale = Math.fround((field.gridSize[a] - 1) / field.occupancySize[a]);
            lo.push(Math.floor(Math.fround(c[a] * scale)));
            hi.push(Math.min(Math.ceil(Math.fround((c[a] + 1) * scale)), field.gridSize[a] - 1));
        }
        let best = -1e30;
        for (let k = lo[2]; k <= hi[2]; k++) {
            for (let j = lo[1]; j <= hi[1]; j++) {
                for (let i = lo[0]; i <= hi[0]; i++) {
                    best = Math.max(best, density[i + gx * (j + gy * k)]);
                }
            }
        }
        const value = Math.max(cellDensity[cell] * decay, SigmaOf(field, best));
        cellDensity[cell] = value;
        if (StepAlpha(value, CellWidth(field, c)) > alphaThreshold) {
            occupancy[cell >> 5] |= 1 << (cell & 31);
            occupied++;
        }
    }
    return { occupancy, occupied };
}

/**
 * CPU twin of upsampleGrid.wgsl.
 * @param target the new grid
 * @param source the old grid
 * @param oldDensity old raw densities
 * @param oldSh old SH coefficients
 * @returns the new density and SH arrays
 */
export function UpsampleGridCpu(target: FieldParams, source: FieldParams, oldDensity: Float32Array, oldSh: Float32Array): { density: Float32Array; sh: Float32Array } {
    const points = VoxelCount(target);
    const density = new Float32Array(points);
    const sh = new Float32Array(points * 12);
    const [gx, gy] = target.gridSize;
    for (let v = 0; v < points; v++) {
        const g = [v % gx, Math.floor(v / gx) % gy, Math.floor(v / (gx * gy))];
        const unit = g.map((value, a) => value / (target.gridSize[a] - 1));
        const corners = target.contracted ? TrilinearCornersAtUnit(source, unit) : TrilinearCornersAt(source, unit.map((u, a) => target.boundsMin[a] + u * (target.boundsMax[a] - target.boundsMin[a])));
        for (let c = 0; c < 8; c++) {
            const index = corners.index[c];
            const w = corners.weight[c];
            density[v] += w * oldDensity[index];
            for (let k = 0; k < 12; k++) {
                sh[12 * v + k] += w * oldSh[12 * index + k];
            }
        }
    }
    return { density, sh };
}

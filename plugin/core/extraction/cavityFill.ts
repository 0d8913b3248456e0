/**
 * Filling of unseen hollows in a density grid before its iso-surface is taken. A radiance field
 * is only constrained where cameras see: the inside of a solid object is never observed, so its
 * density there is whatever training left (often nothing), and the iso-surface then has a second,
 * inner sheet facing into the hollow. An empty cell counts as seen when a straight line from it
 * along one of the grid's 26 neighbour directions (only those not pointing down, when the capture's
 * up is known: the cameras are above the support) leaves the grid through empty cells; every other
 * empty cell is made solid. Straight lines, unlike a flood fill, do not leak into a hollow through
 * a one-cell slit where the object meets its support. Cells marked as walls (the space below a
 * support plane, cut away afterwards) block the lines and are never filled. Babylon-free.
 */
import type { ScalarGrid } from "../geometry/surfaceNets";

/** The 26 neighbour directions of a grid cell. */
const NeighbourDirections: readonly (readonly [number, number, number])[] = [-1, 0, 1]
    .flatMap((dx) => [-1, 0, 1].flatMap((dy) => [-1, 0, 1].map((dz) => [dx, dy, dz] as const)))
    .filter(([dx, dy, dz]) => dx !== 0 || dy !== 0 || dz !== 0);

/**
 * Sets every empty cell (value ≤ iso, not a wall) that no straight line of empty cells along an
 * allowed direction connects to the grid's border to `fillValue`, in place.
 * @param grid the density grid (index = i + size[0] * (j + size[1] * k))
 * @param iso the surface level
 * @param fillValue the value given to unseen cells (above iso)
 * @param up optional: the capture's up in grid axes; directions pointing against it are not used
 * @param walls optional: 1 for the cells that block the lines and are never filled (grid layout)
 * @returns the number of cells filled
 */
export function FillUnseenHollows(grid: ScalarGrid, shellIso: number, fillIso: number, fillValue: number, up?: readonly [number, number, number], walls?: Uint8Array): number {
    const [nx, ny, nz] = grid.size;
    const { values } = grid;
    const count = nx * ny * nz;
    const open = new Uint8Array(count);
    for (let index = 0; index < count; index++) {
        open[index] = values[index] <= shellIso && walls?.[index] !== 1 ? 1 : 0;
    }
    const seen = new Uint8Array(count);
    const free = new Uint8Array(count);
    const directions = up ? NeighbourDirections.filter((d) => d[0] * up[0] + d[1] * up[1] + d[2] * up[2] >= -1e-6) : NeighbourDirections;
    for (const [dx, dy, dz] of directions) {
        // free[c]: c is open and so is every cell from c along d up to the border; c is seen along
        // d when every cell beyond it is (c itself may be part of the surface); visit the cells so
        // that c + d comes before c
        const step = dx + nx * (dy + ny * dz);
        for (let kk = 0; kk < nz; kk++) {
            const k = dz > 0 ? nz - 1 - kk : kk;
            const kOut = k + dz < 0 || k + dz >= nz;
            for (let jj = 0; jj < ny; jj++) {
                const j = dy > 0 ? ny - 1 - jj : jj;
                const jOut = kOut || j + dy < 0 || j + dy >= ny;
                for (let ii = 0; ii < nx; ii++) {
                    const i = dx > 0 ? nx - 1 - ii : ii;
                    const index = i + nx * (j + ny * k);
                    const onBorder = jOut || i + dx < 0 || i + dx >= nx;
                    const clear = onBorder || free[index + step] === 1;
                    free[index] = open[index] === 1 && clear ? 1 : 0;
                    seen[index] |= clear ? 1 : 0;
                }
            }
        }
    }
    let filled = 0;
    for (let index = 0; index < count; index++) {
        if (seen[index] === 0 && values[index] <= fillIso && walls?.[index] !== 1) {
            values[index] = fillValue;
            filled++;
        }
    }
    return filled;
}

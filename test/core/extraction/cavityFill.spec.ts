import { FillUnseenHollows } from "@plugin/core/extraction/cavityFill";
import { SurfaceNets, type ScalarGrid } from "@plugin/core/geometry/surfaceNets";

// Grids of n³ unit cells holding a box shell: walls two cells thick around a hollow, as a trained
// field leaves a solid object it never saw the inside of.
const N = 20;
const Outer = { lo: 4, hi: 15 };
const Wall = 2;

type CellKind = "outside" | "wall" | "hollow";

function KindOf(i: number, j: number, k: number, openTop: boolean): CellKind {
    const inBox = [i, j, k].every((c) => c >= Outer.lo && c <= Outer.hi);
    if (!inBox) {
        return "outside";
    }
    const inHollow = [i, j, k].every((c) => c >= Outer.lo + Wall && c <= Outer.hi - Wall);
    const inOpening = openTop && [i, k].every((c) => c >= Outer.lo + Wall && c <= Outer.hi - Wall) && j >= Outer.lo + Wall;
    return inHollow || inOpening ? "hollow" : "wall";
}

function ShellGrid(options: { openTop?: boolean; hollowValue?: number } = {}): { grid: ScalarGrid; hollowCells: number } {
    const values = new Float32Array(N * N * N);
    let hollowCells = 0;
    for (let k = 0; k < N; k++) {
        for (let j = 0; j < N; j++) {
            for (let i = 0; i < N; i++) {
                const kind = KindOf(i, j, k, options.openTop ?? false);
                values[i + N * (j + N * k)] = kind === "wall" ? 10 : kind === "hollow" ? (options.hollowValue ?? 0) : 0;
                hollowCells += kind === "hollow" ? 1 : 0;
            }
        }
    }
    return { grid: { size: [N, N, N], boundsMin: [0, 0, 0], spacing: [1, 1, 1], values }, hollowCells };
}

/** Largest distance of a surface vertex inside the box's outer face (0 when all lie on or outside it). */
function DeepestVertex(grid: ScalarGrid, iso: number): number {
    const mesh = SurfaceNets(grid, iso);
    let deepest = 0;
    for (let v = 0; v < mesh.positions.length; v += 3) {
        const inside = Math.min(...[0, 1, 2].map((a) => Math.min(mesh.positions[v + a] - Outer.lo, Outer.hi - mesh.positions[v + a])));
        deepest = Math.max(deepest, inside);
    }
    return deepest;
}

describe("FillUnseenHollows", () => {
    it("fills a closed hollow, so the surface has no inner sheet", () => {
        const { grid, hollowCells } = ShellGrid();
        expect(DeepestVertex(grid, 5)).toBeGreaterThan(1.2); // the inner sheet, before
        const filled = FillUnseenHollows(grid, 5, 5, 100);
        expect(filled).toBe(hollowCells);
        expect(DeepestVertex(grid, 5)).toBeLessThan(0.6);
    });

    it("leaves a cavity open to the cameras alone (a cup seen from above), and fills it when its opening faces down", () => {
        const cup = ShellGrid({ openTop: true });
        expect(FillUnseenHollows(cup.grid, 5, 5, 100, [0, 1, 0])).toBe(0);
        const upsideDown = ShellGrid({ openTop: true });
        expect(FillUnseenHollows(upsideDown.grid, 5, 5, 100, [0, -1, 0])).toBe(upsideDown.hollowCells);
        const noUp = ShellGrid({ openTop: true });
        expect(FillUnseenHollows(noUp.grid, 5, 5, 100)).toBe(0);
    });

    it("treats walls as blocking and never fills them: a hollow open only into the cut-away support is filled", () => {
        // the box's floor removed; the rows below the floor's top are the support (walls)
        const { grid } = ShellGrid();
        const floorTop = Outer.lo + Wall - 1;
        for (let k = Outer.lo + Wall; k <= Outer.hi - Wall; k++) {
            for (let i = Outer.lo + Wall; i <= Outer.hi - Wall; i++) {
                for (let j = Outer.lo; j <= floorTop; j++) {
                    grid.values[i + N * (j + N * k)] = 0;
                }
            }
        }
        const walls = Uint8Array.from({ length: N * N * N }, (_, index) => (Math.floor(index / N) % N <= floorTop ? 1 : 0));
        const isWall = (index: number): boolean => walls[index] === 1;
        const open = ShellGrid().grid;
        open.values.set(grid.values);
        expect(FillUnseenHollows(open, 5, 5, 100)).toBe(0); // seen from below without the support
        const filled = FillUnseenHollows(grid, 5, 5, 100, [0, 1, 0], walls);
        expect(filled).toBe((Outer.hi - Outer.lo - 2 * Wall + 1) ** 3);
        for (let index = 0; index < grid.values.length; index++) {
            if (isWall(index) && grid.values[index] === 100) {
                fail(`wall cell ${index} was filled`);
            }
        }
    });

    it("fills fog inside up to the surface level, but keeps the shell as found", () => {
        // the hollow holds density 7: above the shell level (5), below the surface level (8)
        const { grid, hollowCells } = ShellGrid({ hollowValue: 7 });
        const before = grid.values.slice();
        expect(FillUnseenHollows(grid, 5, 8, 100)).toBe(hollowCells);
        for (let index = 0; index < grid.values.length; index++) {
            if (before[index] !== 7) {
                expect(grid.values[index]).toBe(before[index]);
            }
        }
        expect(DeepestVertex(grid, 8)).toBeLessThan(0.6);
    });

    it("does not see through a one-cell slit the way a flood fill would", () => {
        const { grid, hollowCells } = ShellGrid();
        // a one-cell slit through the +x wall at the hollow's lowest row
        const j = Outer.lo + Wall;
        const k = Math.floor((Outer.lo + Outer.hi) / 2);
        for (let i = Outer.hi - Wall + 1; i <= Outer.hi; i++) {
            grid.values[i + N * (j + N * k)] = 0;
        }
        const filled = FillUnseenHollows(grid, 5, 5, 100, [0, 1, 0]);
        expect(filled).toBeGreaterThan(hollowCells * 0.8);
        expect(filled).toBeLessThan(hollowCells);
    });
});

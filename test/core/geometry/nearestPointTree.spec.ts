import { ChamferDistance, MeanNearestDistance } from "@plugin/core/evaluation/chamferDistance";
import { NearestPointTree } from "@plugin/core/geometry/nearestPointTree";
import { RandomFloats } from "@test/helpers/random";

/** The nearest distance by looking at every point. */
function BruteNearest(points: Float32Array, x: number, y: number, z: number): number {
    let best = Infinity;
    for (let i = 0; i < points.length; i += 3) {
        best = Math.min(best, (points[i] - x) ** 2 + (points[i + 1] - y) ** 2 + (points[i + 2] - z) ** 2);
    }
    return Math.sqrt(best);
}

describe("mesh: nearest-point tree and Chamfer distance", () => {
    it("finds the same nearest distance as a brute-force search, near the set and far from it", () => {
        const points = RandomFloats(3 * 2000, 5);
        // a flat cluster and duplicates: splits on equal values must still find every point
        for (let i = 0; i < 200; i++) {
            points[i * 3 + 2] = 0.25;
        }
        points.copyWithin(600, 0, 300);
        const tree = new NearestPointTree(points);
        expect(tree.count).toBe(2000);
        const queries = RandomFloats(3 * 300, 9, -20, 20);
        for (let q = 0; q < 300; q++) {
            const [x, y, z] = [queries[q * 3], queries[q * 3 + 1], queries[q * 3 + 2]];
            expect(tree.nearestDistance(x, y, z)).toBeCloseTo(BruteNearest(points, x, y, z), 5);
        }
        // a query on a point of the set
        expect(tree.nearestDistance(points[30], points[31], points[32])).toBe(0);
    });

    it("handles empty and single-point sets and rejects a ragged buffer", () => {
        expect(new NearestPointTree(new Float32Array(0)).nearestDistance(0, 0, 0)).toBe(Infinity);
        expect(new NearestPointTree(Float32Array.from([1, 2, 2])).nearestDistance(0, 0, 0)).toBeCloseTo(3, 6);
        expect(() => new NearestPointTree(new Float32Array(4))).toThrowError(/3 floats per point/);
    });

    it("measures a known offset between two parallel squares, and far queries stay cheap", () => {
        const square = (z: number) => ({ positions: Float32Array.from([0, 0, z, 1, 0, z, 1, 1, z, 0, 1, z]), indices: Uint32Array.from([0, 1, 2, 0, 2, 3]) });
        const near = ChamferDistance(square(0.01), square(0), 20000);
        expect(near.distance).toBeCloseTo(0.01, 2);
        expect(near.truthDiagonal).toBeCloseTo(Math.SQRT2, 5);
        const far = ChamferDistance(square(40), square(0), 20000);
        expect(far.distance).toBeGreaterThan(40);
        expect(far.distance).toBeLessThan(40.1);
        // 40 diagonals off a flat set: pruning on splitting planes alone would compare every point
        const flat = RandomFloats(3 * 20000, 3, 0, 1).map((v, i) => (i % 3 === 2 ? 0 : v));
        const tree = new NearestPointTree(flat);
        let visits = 0;
        for (let q = 0; q < 100; q++) {
            tree.nearestDistance(0.1 + q * 0.008, 0.5, 40);
            visits += tree.lastQueryVisits;
        }
        expect(visits / 100).withContext("points compared per far query, of 20 000").toBeLessThan(400);
        expect(MeanNearestDistance(Float32Array.from([0, 0, 3]), Float32Array.from([0, 0, 0, 0, 0, 1]))).toBeCloseTo(2, 6);
    });
});

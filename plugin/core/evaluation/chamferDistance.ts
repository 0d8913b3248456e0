/**
 * The symmetric Chamfer distance between two triangle meshes: points sampled uniformly by area on
 * each surface (seeded), the mean distance from each sample to the nearest sample of the other
 * mesh, averaged over both directions. With 40 000 samples per mesh the sampling bias is a small
 * fraction of a percent of an object's size. Babylon-free.
 */
import { PcgHash, Random01 } from "../../../shaders/nerf/fieldMath";
import { NearestPointTree } from "../geometry/nearestPointTree";
import type { TriangleMesh } from "../geometry/surfaceNets";

/**
 * Points on a mesh, uniform by area.
 * @param mesh the mesh
 * @param count how many
 * @param seed sampling seed
 * @returns 3 floats per point
 */
export function SampleSurface(mesh: TriangleMesh, count: number, seed = 1): Float32Array {
    const { positions: p, indices } = mesh;
    const triangles = indices.length / 3;
    const cumulative = new Float64Array(triangles);
    let total = 0;
    for (let t = 0; t < triangles; t++) {
        const [a, b, c] = [indices[t * 3] * 3, indices[t * 3 + 1] * 3, indices[t * 3 + 2] * 3];
        const e1 = [p[b] - p[a], p[b + 1] - p[a + 1], p[b + 2] - p[a + 2]];
        const e2 = [p[c] - p[a], p[c + 1] - p[a + 1], p[c + 2] - p[a + 2]];
        total += 0.5 * Math.hypot(e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]);
        cumulative[t] = total;
    }
    const out = new Float32Array(count * 3);
    const base = PcgHash(seed >>> 0);
    for (let s = 0; s < count; s++) {
        const target = Random01(base, s * 3) * total;
        let lo = 0;
        let hi = triangles - 1;
        while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (cumulative[mid] < target) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let u = Random01(base, s * 3 + 1);
        let v = Random01(base, s * 3 + 2);
        if (u + v > 1) {
            u = 1 - u;
            v = 1 - v;
        }
        const [a, b, c] = [indices[lo * 3] * 3, indices[lo * 3 + 1] * 3, indices[lo * 3 + 2] * 3];
        for (let k = 0; k < 3; k++) {
            out[s * 3 + k] = p[a + k] + u * (p[b + k] - p[a + k]) + v * (p[c + k] - p[a + k]);
        }
    }
    return out;
}

/**
 * Mean nearest-neighbour distance from the points of `a` to those of `b`.
 * @param a 3 floats per point
 * @param b 3 floats per point
 * @returns the mean distance
 */
export function MeanNearestDistance(a: Float32Array, b: Float32Array): number {
    const tree = new NearestPointTree(b);
    let sum = 0;
    for (let i = 0; i < a.length / 3; i++) {
        sum += tree.nearestDistance(a[i * 3], a[i * 3 + 1], a[i * 3 + 2]);
    }
    return sum / (a.length / 3);
}

/**
 * Symmetric Chamfer distance: (mean d(A -> B) + mean d(B -> A)) / 2, and the diagonal of B's box.
 * @param predicted the extracted mesh
 * @param truth the ground-truth mesh
 * @param samples points per mesh
 * @returns the distance and the truth's bounding-box diagonal (its percentage is distance / diagonal * 100)
 */
export function ChamferDistance(predicted: TriangleMesh, truth: TriangleMesh, samples = 40000): { distance: number; truthDiagonal: number } {
    const a = SampleSurface(predicted, samples, 7);
    const b = SampleSurface(truth, samples, 11);
    const lo = [Infinity, Infinity, Infinity];
    const hi = [-Infinity, -Infinity, -Infinity];
    for (let i = 0; i < truth.positions.length; i += 3) {
        for (let k = 0; k < 3; k++) {
            lo[k] = Math.min(lo[k], truth.positions[i + k]);
            hi[k] = Math.max(hi[k], truth.positions[i + k]);
        }
    }
    const diagonal = Math.hypot(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]);
    return { distance: (MeanNearestDistance(a, b) + MeanNearestDistance(b, a)) / 2, truthDiagonal: diagonal };
}

/**
 * Mesh simplification by vertex clustering: vertices in the same cell of a uniform grid merge into
 * one (their mean position and attribute), triangles that collapse are dropped. The cell size is
 * searched so that the result fits a triangle budget. Also per-vertex normals from the faces.
 * Babylon-free.
 */
import type { TriangleMesh } from "./surfaceNets";

/** A mesh with a per-vertex attribute (colours, 3 floats) carried through simplification. */
export interface AttributedMesh extends TriangleMesh {
    /** 3 floats per vertex (RGB 0..1), or empty. */
    readonly colors: Float32Array;
}

/**
 * Merges vertices on a grid of `cell` and drops collapsed and duplicate triangles.
 * @param mesh the mesh
 * @param cell grid cell size (world units)
 * @returns the clustered mesh
 */
export function ClusterVertices(mesh: AttributedMesh, cell: number): AttributedMesh {
    const { positions: p, indices, colors } = mesh;
    const vertexCount = p.length / 3;
    const clusterOf = new Int32Array(vertexCount);
    const keys = new Map<string, number>();
    const sums: number[] = [];
    for (let v = 0; v < vertexCount; v++) {
        const key = `${Math.floor(p[v * 3] / cell)},${Math.floor(p[v * 3 + 1] / cell)},${Math.floor(p[v * 3 + 2] / cell)}`;
        let id = keys.get(key);
        if (id === undefined) {
            id = keys.size;
            keys.set(key, id);
            sums.push(0, 0, 0, 0, 0, 0, 0);
        }
        clusterOf[v] = id;
        const o = id * 7;
        sums[o] += p[v * 3];
        sums[o + 1] += p[v * 3 + 1];
        sums[o + 2] += p[v * 3 + 2];
        if (colors.length > 0) {
            sums[o + 3] += colors[v * 3];
            sums[o + 4] += colors[v * 3 + 1];
            sums[o + 5] += colors[v * 3 + 2];
        }
        sums[o + 6] += 1;
    }
    const clusters = keys.size;
    const positions = new Float32Array(clusters * 3);
    const outColors = new Float32Array(colors.length > 0 ? clusters * 3 : 0);
    for (let c = 0; c < clusters; c++) {
        const o = c * 7;
        const n = sums[o + 6];
        positions.set([sums[o] / n, sums[o + 1] / n, sums[o + 2] / n], c * 3);
        if (outColors.length > 0) {
            outColors.set([sums[o + 3] / n, sums[o + 4] / n, sums[o + 5] / n], c * 3);
        }
    }
    const seen = new Set<string>();
    const out: number[] = [];
    for (let t = 0; t < indices.length; t += 3) {
        const a = clusterOf[indices[t]];
        const b = clusterOf[indices[t + 1]];
        const c = clusterOf[indices[t + 2]];
        if (a === b || b === c || a === c) {
            continue;
        }
        const sorted = [a, b, c].sort((x, y) => x - y).join(",");
        if (seen.has(sorted)) {
            continue;
        }
        seen.add(sorted);
        out.push(a, b, c);
    }
    return Compact({ positions, indices: Uint32Array.from(out), colors: outColors });
}

/**
 * Simplifies a mesh to at most `budget` triangles (unchanged when it already fits).
 * @param mesh the mesh
 * @param budget largest triangle count
 * @returns the simplified mesh
 */
export function DecimateToBudget(mesh: AttributedMesh, budget: number): AttributedMesh {
    if (mesh.indices.length / 3 <= budget) {
        return mesh;
    }
    const [lo, hi] = Extent(mesh.positions);
    const diagonal = Math.hypot(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]) || 1;
    let small = diagonal * 1e-4;
    let large = diagonal / 2;
    let best = ClusterVertices(mesh, large);
    for (let step = 0; step < 24; step++) {
        const middle = Math.sqrt(small * large);
        const candidate = ClusterVertices(mesh, middle);
        if (candidate.indices.length / 3 <= budget) {
            best = candidate;
            large = middle;
        } else {
            small = middle;
        }
        if (large / small < 1.02) {
            break;
        }
    }
    return best;
}

/**
 * Per-vertex normals: the area-weighted mean of the faces around each vertex.
 * @param mesh the mesh
 * @returns 3 floats per vertex, unit length
 */
export function VertexNormals(mesh: TriangleMesh): Float32Array {
    const { positions: p, indices } = mesh;
    const normals = new Float32Array(p.length);
    for (let t = 0; t < indices.length; t += 3) {
        const [a, b, c] = [indices[t] * 3, indices[t + 1] * 3, indices[t + 2] * 3];
        const e1 = [p[b] - p[a], p[b + 1] - p[a + 1], p[b + 2] - p[a + 2]];
        const e2 = [p[c] - p[a], p[c + 1] - p[a + 1], p[c + 2] - p[a + 2]];
        const n = [e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]];
        for (const v of [a, b, c]) {
            normals[v] += n[0];
            normals[v + 1] += n[1];
            normals[v + 2] += n[2];
        }
    }
    for (let v = 0; v < normals.length; v += 3) {
        const l = Math.hypot(normals[v], normals[v + 1], normals[v + 2]) || 1;
        normals[v] /= l;
        normals[v + 1] /= l;
        normals[v + 2] /= l;
    }
    return normals;
}

/**
 * The axis-aligned box of a point list.
 * @param positions 3 floats per point
 * @returns [min, max]
 */
export function Extent(positions: Float32Array): [[number, number, number], [number, number, number]] {
    const lo: [number, number, number] = [Infinity, Infinity, Infinity];
    const hi: [number, number, number] = [-Infinity, -Infinity, -Infinity];
    for (let i = 0; i < positions.length; i += 3) {
        for (let a = 0; a < 3; a++) {
            lo[a] = Math.min(lo[a], positions[i + a]);
            hi[a] = Math.max(hi[a], positions[i + a]);
        }
    }
    return [lo, hi];
}

/**
 * Drops vertices no triangle uses.
 * @param mesh the mesh
 * @returns the mesh with only used vertices (indices remapped)
 */
export function Compact(mesh: AttributedMesh): AttributedMesh {
    const used = new Int32Array(mesh.positions.length / 3).fill(-1);
    let count = 0;
    mesh.indices.forEach((v) => {
        if (used[v] < 0) {
            used[v] = count++;
        }
    });
    const positions = new Float32Array(count * 3);
    const colors = new Float32Array(mesh.colors.length > 0 ? count * 3 : 0);
    used.forEach((target, source) => {
        if (target >= 0) {
            positions.set(mesh.positions.subarray(source * 3, source * 3 + 3), target * 3);
            if (colors.length > 0) {
                colors.set(mesh.colors.subarray(source * 3, source * 3 + 3), target * 3);
            }
        }
    });
    return { positions, indices: mesh.indices.map((v) => used[v]), colors };
}

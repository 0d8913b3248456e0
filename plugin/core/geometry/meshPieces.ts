/**
 * Connected pieces of a triangle mesh: floaters and stray blobs dropped after an iso-surface is
 * taken. Babylon-free.
 */
import { Compact } from "./meshDecimation";
import type { TriangleMesh } from "./surfaceNets";

/**
 * Removes connected pieces with fewer than `fraction` of the largest piece's triangles.
 * @param mesh the mesh
 * @param fraction the share of the largest piece's triangles a piece needs to stay
 * @returns the mesh without the small pieces (unused vertices dropped)
 */
export function DropSmallPieces(mesh: TriangleMesh, fraction: number): TriangleMesh {
    const vertexCount = mesh.positions.length / 3;
    const parent = Int32Array.from({ length: vertexCount }, (_, i) => i);
    const find = (x: number): number => {
        while (parent[x] !== x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    };
    const { indices } = mesh;
    for (let t = 0; t < indices.length; t += 3) {
        const a = find(indices[t]);
        parent[find(indices[t + 1])] = a;
        parent[find(indices[t + 2])] = a;
    }
    const triangleCount = new Map<number, number>();
    for (let t = 0; t < indices.length; t += 3) {
        const root = find(indices[t]);
        triangleCount.set(root, (triangleCount.get(root) ?? 0) + 1);
    }
    let largest = 0;
    for (const count of triangleCount.values()) {
        largest = Math.max(largest, count);
    }
    const minimum = largest * fraction;
    const kept: number[] = [];
    for (let t = 0; t < indices.length; t += 3) {
        if ((triangleCount.get(find(indices[t])) ?? 0) >= minimum) {
            kept.push(indices[t], indices[t + 1], indices[t + 2]);
        }
    }
    // the dropped pieces' vertices go too (no colours computed for them, none in the export)
    const { positions, indices: compacted } = Compact({ positions: mesh.positions, indices: Uint32Array.from(kept), colors: new Float32Array(0) });
    return { positions, indices: compacted };
}

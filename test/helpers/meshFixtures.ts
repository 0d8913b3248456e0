import type { TriangleMesh } from "@plugin/core/geometry/surfaceNets";

/**
 * A UV sphere mesh.
 * @param centre its centre
 * @param radius its radius
 * @param rings latitude bands
 * @param segments longitude bands
 * @returns the mesh
 */
export function SphereMesh(centre: readonly number[], radius: number, rings = 48, segments = 96): TriangleMesh {
    const positions: number[] = [];
    const indices: number[] = [];
    for (let r = 0; r <= rings; r++) {
        const theta = (Math.PI * r) / rings;
        for (let s = 0; s <= segments; s++) {
            const phi = (2 * Math.PI * s) / segments;
            positions.push(centre[0] + radius * Math.sin(theta) * Math.cos(phi), centre[1] + radius * Math.cos(theta), centre[2] + radius * Math.sin(theta) * Math.sin(phi));
        }
    }
    for (let r = 0; r < rings; r++) {
        for (let s = 0; s < segments; s++) {
            const a = r * (segments + 1) + s;
            const b = a + segments + 1;
            indices.push(a, b, a + 1, a + 1, b, b + 1);
        }
    }
    return { positions: Float32Array.from(positions), indices: Uint32Array.from(indices) };
}

/**
 * The edges of a mesh that only one triangle uses (0 for a closed surface).
 * @param indices three vertex indices per triangle
 * @returns the number of open edges
 */
export function OpenEdgeCount(indices: Uint32Array): number {
    const uses = new Map<number, number>();
    const vertices = indices.reduce((most, v) => Math.max(most, v), 0) + 1;
    for (let t = 0; t < indices.length; t += 3) {
        for (let e = 0; e < 3; e++) {
            const [a, b] = [indices[t + e], indices[t + ((e + 1) % 3)]];
            const key = Math.min(a, b) * vertices + Math.max(a, b);
            uses.set(key, (uses.get(key) ?? 0) + 1);
        }
    }
    let open = 0;
    uses.forEach((count) => (open += count === 1 ? 1 : 0));
    return open;
}

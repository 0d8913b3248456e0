/**
 * What an extraction yields (a render mesh with normals and vertex colours, and a coarse collision
 * mesh) and the steps every extraction ends with once it has an iso-surface: vertex colours read
 * just inside the surface, the triangle budgets, the collision mesh. Shared by the radiance-field
 * extraction (objectExtraction.ts) and the splat extraction (splatMeshExtraction.ts). Babylon-free.
 */
import { Compact, DecimateToBudget, VertexNormals, type AttributedMesh } from "../geometry/meshDecimation";
import type { TriangleMesh } from "../geometry/surfaceNets";
import type { SupportPlane } from "./supportPlane";

/** An extracted object: render mesh (with normals and colours) and collision mesh, in capture coordinates. */
export interface ExtractedMesh {
    readonly positions: Float32Array;
    readonly normals: Float32Array;
    /** RGB 0..1 per vertex. */
    readonly colors: Float32Array;
    readonly indices: Uint32Array;
    readonly collision: TriangleMesh;
    readonly stats: {
        readonly triangles: number;
        readonly rawTriangles: number;
        readonly collisionTriangles: number;
        readonly resolution: readonly number[];
        readonly seconds: number;
        /** The plane the object was cut off (null: none found, or no up given). */
        readonly support: SupportPlane | null;
        /** The surface level, as the opacity of one radiance-grid spacing (field extractions; see surfaceLevel.ts). */
        readonly surfaceOpacity?: number;
    };
}

/** The budgets an extraction ends with. */
export interface MeshBudgets {
    /** Most triangles of the render mesh (default 60 000). */
    readonly triangleBudget: number;
    /** Most triangles of the collision mesh (default 400). */
    readonly collisionBudget: number;
}

/** The grid and budget settings every extraction shares (a radiance field's objects, splats). */
export interface SurfaceGridOptions extends MeshBudgets {
    /** Grid points along the object's longest axis (default 128). */
    readonly resolution: number;
    /** Pieces with fewer triangles than this fraction of the largest piece's are dropped (default 0.25). */
    readonly minPieceFraction: number;
}

/** What the extraction found on its way, for the stats. */
export interface ExtractionFacts {
    /** Grid points per axis the surface was taken on. */
    readonly resolution: readonly number[];
    /** performance.now() when the extraction started. */
    readonly started: number;
    /** The support plane the object was cut off, or null. */
    readonly support: SupportPlane | null;
    /** The surface level, as the opacity of one radiance-grid spacing (field extractions). */
    readonly surfaceOpacity?: number;
}

/**
 * Colours an iso-surface and brings it within the budgets: each vertex gets the colour `colorAt`
 * gives `inset` inside the surface (against its normal), then the render mesh is simplified to
 * the triangle budget and a collision mesh to the collision budget.
 * @param raw the iso-surface (outward-facing triangles), not empty
 * @param colorAt the object's colour (RGB 0..1) at a point
 * @param inset how far inside the surface colours are read (the surface itself is where the object fades out)
 * @param budgets the triangle budgets
 * @param facts resolution, start time and support for the stats
 * @returns the extracted mesh
 */
export function FinishExtractedMesh(raw: TriangleMesh, colorAt: (inner: readonly number[]) => readonly number[], inset: number, budgets: MeshBudgets, facts: ExtractionFacts): ExtractedMesh {
    const normals = VertexNormals(raw);
    const colors = new Float32Array(raw.positions.length);
    const inner = [0, 0, 0];
    for (let v = 0; v < raw.positions.length; v += 3) {
        for (let a = 0; a < 3; a++) {
            inner[a] = raw.positions[v + a] - normals[v + a] * inset;
        }
        colors.set(colorAt(inner), v);
    }
    const full: AttributedMesh = { positions: raw.positions, indices: raw.indices, colors };
    const mesh = WeldCoincidentVertices(DecimateToBudget(full, budgets.triangleBudget));
    const collision = DecimateToBudget({ positions: mesh.positions, indices: mesh.indices, colors: new Float32Array(0) }, budgets.collisionBudget);
    return {
        positions: mesh.positions,
        normals: UnitVertexNormals(mesh),
        colors: mesh.colors,
        indices: mesh.indices,
        collision: { positions: collision.positions, indices: collision.indices },
        stats: {
            triangles: mesh.indices.length / 3,
            rawTriangles: raw.indices.length / 3,
            collisionTriangles: collision.indices.length / 3,
            resolution: facts.resolution,
            seconds: (performance.now() - facts.started) / 1000,
            support: facts.support,
            ...(facts.surfaceOpacity === undefined ? {} : { surfaceOpacity: facts.surfaceOpacity }),
        },
    };
}

/** A triangle's (unnormalised) normal: the cross product of two edges. */
function FaceNormal(p: Float32Array, a: number, b: number, c: number): [number, number, number] {
    const e1 = [p[b * 3] - p[a * 3], p[b * 3 + 1] - p[a * 3 + 1], p[b * 3 + 2] - p[a * 3 + 2]];
    const e2 = [p[c * 3] - p[a * 3], p[c * 3 + 1] - p[a * 3 + 1], p[c * 3 + 2] - p[a * 3 + 2]];
    return [e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]];
}

/**
 * The mesh with vertices at the very same position merged and the triangles that then repeat a
 * vertex dropped (surface nets put neighbouring cell vertices on one point where the filled
 * hollows' huge values meet the surface): a zero-length edge collapsed, so a closed surface stays
 * closed, and no vertex is left whose every triangle has no area (no normal; glTF validators reject
 * zero normals). Colours of merged vertices: the first's (they are read at the same point).
 */
function WeldCoincidentVertices(mesh: AttributedMesh): AttributedMesh {
    const first = new Map<string, number>();
    const target = new Uint32Array(mesh.positions.length / 3);
    const p = mesh.positions;
    for (let v = 0; v < target.length; v++) {
        const key = `${p[v * 3]},${p[v * 3 + 1]},${p[v * 3 + 2]}`;
        const existing = first.get(key);
        target[v] = existing ?? v;
        if (existing === undefined) {
            first.set(key, v);
        }
    }
    if (first.size === target.length) {
        return mesh;
    }
    const kept: number[] = [];
    for (let t = 0; t < mesh.indices.length; t += 3) {
        const [a, b, c] = [target[mesh.indices[t]], target[mesh.indices[t + 1]], target[mesh.indices[t + 2]]];
        if (a !== b && b !== c && a !== c) {
            kept.push(a, b, c);
        }
    }
    return Compact({ ...mesh, indices: Uint32Array.from(kept) });
}

/**
 * Unit vertex normals: the area-weighted mean of the faces around each vertex, or, where those
 * cancel (two sheets touching at a vertex) or have no area, the normal of its first face with one,
 * else of its neighbours (every normal unit length).
 */
function UnitVertexNormals(mesh: AttributedMesh): Float32Array {
    const normals = VertexNormals(mesh);
    for (let t = 0; t < mesh.indices.length; t += 3) {
        const corners = [mesh.indices[t], mesh.indices[t + 1], mesh.indices[t + 2]];
        const zero = corners.filter((v) => Math.hypot(normals[v * 3], normals[v * 3 + 1], normals[v * 3 + 2]) < 0.5);
        const n = FaceNormal(mesh.positions, corners[0], corners[1], corners[2]);
        const length = Math.hypot(n[0], n[1], n[2]);
        if (zero.length > 0 && length > 0) {
            zero.forEach((v) => normals.set([n[0] / length, n[1] / length, n[2] / length], v * 3));
        }
    }
    // a vertex all of whose triangles have no area (its neighbours in a line): its neighbours' normal
    const isZero = (v: number): boolean => Math.hypot(normals[v * 3], normals[v * 3 + 1], normals[v * 3 + 2]) < 0.5;
    for (let t = 0; t < mesh.indices.length; t += 3) {
        const corners = [mesh.indices[t], mesh.indices[t + 1], mesh.indices[t + 2]];
        for (const v of corners.filter(isZero)) {
            const sum = [0, 1, 2].map((a) => corners.reduce((total, u) => total + (isZero(u) ? 0 : normals[u * 3 + a]), 0));
            const length = Math.hypot(sum[0], sum[1], sum[2]);
            normals.set(length > 0 ? [sum[0] / length, sum[1] / length, sum[2] / length] : [0, 1, 0], v * 3);
        }
    }
    return normals;
}

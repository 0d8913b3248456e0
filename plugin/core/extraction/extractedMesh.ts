/**
 * What an extraction yields (a render mesh with normals and vertex colours, and a coarse collision
 * mesh) and the steps every extraction ends with once it has an iso-surface: vertex colours read
 * just inside the surface, the triangle budgets, the collision mesh. Shared by the radiance-field
 * extraction (objectExtraction.ts) and the splat extraction (splatMeshExtraction.ts). Babylon-free.
 */
import { DecimateToBudget, VertexNormals, type AttributedMesh } from "../geometry/meshDecimation";
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
    };
}

/** The budgets an extraction ends with. */
export interface MeshBudgets {
    /** Most triangles of the render mesh. */
    readonly triangleBudget: number;
    /** Most triangles of the collision mesh. */
    readonly collisionBudget: number;
}

/** What the extraction found on its way, for the stats. */
export interface ExtractionFacts {
    /** Grid points per axis the surface was taken on. */
    readonly resolution: readonly number[];
    /** performance.now() when the extraction started. */
    readonly started: number;
    /** The support plane the object was cut off, or null. */
    readonly support: SupportPlane | null;
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
    const mesh = DecimateToBudget(full, budgets.triangleBudget);
    const collision = DecimateToBudget({ positions: mesh.positions, indices: mesh.indices, colors: new Float32Array(0) }, budgets.collisionBudget);
    return {
        positions: mesh.positions,
        normals: VertexNormals(mesh),
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
        },
    };
}

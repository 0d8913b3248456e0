import type { Scene } from "@babylonjs/core/scene";
import { Mesh } from "@babylonjs/core/Meshes/mesh";
import { VertexData } from "@babylonjs/core/Meshes/mesh.vertexData";
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial";
import { Color3 } from "@babylonjs/core/Maths/math.color";
import type { ExtractedMesh } from "../core/extraction/objectExtraction";
import type { TriangleMesh } from "../core/geometry/surfaceNets";

/** Name suffix of an object mesh's collision child. */
export const CollisionMeshSuffix = " collider";

/**
 * Vertex data of a capture-space mesh in a Babylon scene's local space: z mirrored in left-handed
 * scenes (as NerfNode maps the capture), winding reversed with it so faces keep facing outward.
 * @param mesh positions and indices, capture coordinates
 * @param mirrorZ the scene is left-handed
 * @param normals optional normals (mirrored too)
 * @returns the vertex data
 */
export function CaptureVertexData(mesh: TriangleMesh, mirrorZ: boolean, normals?: Float32Array): VertexData {
    const data = new VertexData();
    const positions = Float32Array.from(mesh.positions);
    const outNormals = normals ? Float32Array.from(normals) : undefined;
    const indices = Uint32Array.from(mesh.indices);
    if (mirrorZ) {
        for (let i = 2; i < positions.length; i += 3) {
            positions[i] = -positions[i];
            if (outNormals) {
                outNormals[i] = -outNormals[i];
            }
        }
        for (let t = 0; t < indices.length; t += 3) {
            const swap = indices[t + 1];
            indices[t + 1] = indices[t + 2];
            indices[t + 2] = swap;
        }
    }
    data.positions = positions;
    data.indices = indices;
    if (outNormals) {
        data.normals = outNormals;
    }
    return data;
}

/**
 * A regular Babylon Mesh from an extracted object: positions, normals and vertex colours, plus an
 * invisible collision child (checkCollisions on, not pickable). The colours are the field's, which
 * hold the capture's own light, so the material is unlit (in Babylon: lighting off, white emissive;
 * exported as glTF's KHR_materials_unlit without emissive, it looks the same in any viewer). The mesh's local space is the capture's,
 * like a NerfNode's; give it the same world transform to see it where the object was.
 * @param name mesh name
 * @param scene the scene
 * @param extracted the extraction worker's result
 * @returns the mesh
 */
export function CreateObjectMesh(name: string, scene: Scene, extracted: ExtractedMesh): Mesh {
    const mirrorZ = !scene.useRightHandedSystem;
    const mesh = new Mesh(name, scene);
    const data = CaptureVertexData(extracted, mirrorZ, extracted.normals);
    const colors = new Float32Array((extracted.colors.length / 3) * 4);
    for (let v = 0; v < extracted.colors.length / 3; v++) {
        colors.set([extracted.colors[v * 3], extracted.colors[v * 3 + 1], extracted.colors[v * 3 + 2], 1], v * 4);
    }
    data.colors = colors;
    data.applyToMesh(mesh, false);
    const material = new StandardMaterial(`${name} material`, scene);
    material.diffuseColor = Color3.White();
    // a StandardMaterial without lighting shows emissive (+ ambient) times the vertex colours:
    // white shows them as they are (ExportMeshGlbAsync writes glTF's unlit form, without emissive)
    material.emissiveColor = Color3.White();
    material.specularColor = Color3.Black();
    material.disableLighting = true;
    material.backFaceCulling = false;
    mesh.material = material;
    mesh.isPickable = true;
    const collider = new Mesh(`${name}${CollisionMeshSuffix}`, scene);
    CaptureVertexData(extracted.collision, mirrorZ).applyToMesh(collider, false);
    collider.parent = mesh;
    collider.isVisible = false;
    collider.isPickable = false;
    collider.checkCollisions = true;
    mesh.metadata = { sanerfMesh: { triangles: extracted.stats.triangles, collisionTriangles: extracted.stats.collisionTriangles } };
    return mesh;
}

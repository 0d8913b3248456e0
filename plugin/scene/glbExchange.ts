import type { Scene } from "@babylonjs/core/scene";
import type { Node } from "@babylonjs/core/node";
import type { AbstractMesh } from "@babylonjs/core/Meshes/abstractMesh";
import type { Mesh } from "@babylonjs/core/Meshes/mesh";
import { ImportMeshAsync, SceneLoader } from "@babylonjs/core/Loading/sceneLoader";
import type { GLTFFileLoader } from "@babylonjs/loaders/glTF/glTFFileLoader";
import { GLTF2Export } from "@babylonjs/serializers/glTF/2.0/glTFSerializer";
import "@babylonjs/loaders/glTF/2.0/glTFLoader";
import { NullEngine } from "@babylonjs/core/Engines/nullEngine";
import { Scene as BabylonScene } from "@babylonjs/core/scene";
import { Quaternion, Vector3 } from "@babylonjs/core/Maths/math.vector";
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial";
import "@babylonjs/serializers/glTF/2.0/Extensions/KHR_materials_unlit";
import type { ExtractedMesh } from "../core/extraction/objectExtraction";
import { CollisionMeshSuffix, CreateObjectMesh } from "./objectMeshBuilder";

/**
 * Exports one mesh (its vertex colours and material; not its collision child) as a GLB with
 * @babylonjs/serializers; an unlit StandardMaterial is written as glTF's unlit material without
 * its (display) emissive colour.
 * @param mesh the mesh
 * @returns the .glb file
 */
export async function ExportMeshGlbAsync(mesh: Mesh): Promise<Blob> {
    const name = mesh.name.replace(/[^\w.-]+/g, "_") || "object";
    // Babylon's unlit StandardMaterial shows its emissive colour; glTF's unlit shows the base colour:
    // the emissive is left out while exporting (no emissive wash in other viewers)
    const unlit = mesh.material instanceof StandardMaterial && mesh.material.disableLighting ? mesh.material : null;
    const emissive = unlit?.emissiveColor.clone();
    unlit?.emissiveColor.set(0, 0, 0);
    let data;
    try {
        data = await GLTF2Export.GLBAsync(mesh.getScene(), name, { shouldExportNode: (node: Node) => node === mesh, exportWithoutWaitingForScene: true });
    } finally {
        if (unlit && emissive) {
            unlit.emissiveColor.copyFrom(emissive);
        }
    }
    const file = data.files[`${name}.glb`];
    if (!(file instanceof Blob)) {
        throw new Error(`the glTF exporter gave no ${name}.glb (files: ${Object.keys(data.files).join(", ")})`);
    }
    return file;
}

/**
 * Exports an extracted object as a GLB that looks the same in any glTF viewer and stands upright
 * there: vertex colours under an unlit material (KHR_materials_unlit), and a node rotation that
 * turns the capture's up to glTF's +Y (positions stay in capture units, about the capture's origin).
 * The editor's Export GLB and the CLI's --export both write it.
 * @param name the object's name (the GLB's node and file name)
 * @param extracted the extraction worker's result, capture coordinates
 * @param up the capture's up direction (unit), or null to keep the capture's axes
 * @returns the .glb file
 */
export async function ExportObjectGlbAsync(name: string, extracted: ExtractedMesh, up: readonly [number, number, number] | null): Promise<Blob> {
    const engine = new NullEngine();
    const scene = new BabylonScene(engine);
    // glTF is right-handed, as the capture's coordinates are: no mirroring on the way
    scene.useRightHandedSystem = true;
    try {
        const mesh = CreateObjectMesh(name, scene, extracted);
        if (up) {
            mesh.rotationQuaternion = Quaternion.FromUnitVectorsToRef(new Vector3(up[0], up[1], up[2]).normalize(), Vector3.Up(), new Quaternion());
        }
        return await ExportMeshGlbAsync(mesh);
    } finally {
        scene.dispose();
        engine.dispose();
    }
}

/**
 * Imports a GLB into a scene (@babylonjs/loaders), without glTF validation: the validator is
 * fetched from Babylon's CDN, and the Inspector turns validation on for every glTF load (its
 * observer runs first; this one, added after it, turns it off again for this import).
 * @param scene the scene
 * @param source the file's bytes or a File
 * @param name its name, for messages
 * @returns the root node of what was imported and its meshes with geometry
 * @throws Error naming the file when it cannot be read
 */
export async function ImportGlbAsync(scene: Scene, source: File | Uint8Array, name: string): Promise<{ root: AbstractMesh; meshes: AbstractMesh[] }> {
    const offline = SceneLoader.OnPluginActivatedObservable.add((plugin) => {
        if (plugin.name === "gltf") {
            (plugin as GLTFFileLoader).validate = false;
        }
    });
    try {
        const result = await ImportMeshAsync(source, scene, { pluginExtension: ".glb", name });
        const root = result.meshes[0];
        root.name = name.replace(/\.glb$/i, "");
        return { root, meshes: result.meshes.filter((mesh) => mesh.getTotalVertices() > 0 && !mesh.name.endsWith(CollisionMeshSuffix)) };
    } catch (error) {
        throw new Error(`${name}: not a readable GLB (${(error as Error).message})`, { cause: error });
    } finally {
        offline.remove();
    }
}

/**
 * Triangles of meshes (indexed or not).
 * @param meshes the meshes
 * @returns the total triangle count
 */
export function TriangleCount(meshes: readonly AbstractMesh[]): number {
    return meshes.reduce((sum, mesh) => sum + (mesh.getTotalIndices() > 0 ? mesh.getTotalIndices() : mesh.getTotalVertices()) / 3, 0);
}

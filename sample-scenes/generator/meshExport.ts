// Ground-truth meshes: each object exported alone as a GLB from a scratch right-handed scene (glTF
// is right-handed with +y up: the capture's axes), vertices already in world coordinates; and the
// check that loads a GLB back with Babylon's glTF loader and measures its world bounding box.
import type { AbstractEngine } from "@babylonjs/core/Engines/abstractEngine";
import { Scene } from "@babylonjs/core/scene";
import { Mesh } from "@babylonjs/core/Meshes/mesh";
import { VertexData } from "@babylonjs/core/Meshes/mesh.vertexData";
import { VertexBuffer } from "@babylonjs/core/Buffers/buffer";
import { Color3 } from "@babylonjs/core/Maths/math.color";
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial";
import { LoadAssetContainerAsync } from "@babylonjs/core/Loading/sceneLoader";
import { GLTF2Export } from "@babylonjs/serializers/glTF/2.0/glTFSerializer";
import "@babylonjs/loaders/glTF/2.0/glTFLoader";
import type { PlacedObject } from "./sceneBuilder";
import type { Point3 } from "./hemisphereCameras";

/** An axis-aligned box, world coordinates. */
export interface WorldBox {
    /** Minimum corner. */
    readonly min: Point3;
    /** Maximum corner. */
    readonly max: Point3;
}

/**
 * The world bounding box of a mesh's vertices.
 * @param mesh the mesh
 * @returns its box
 */
export function MeshWorldBox(mesh: Mesh): WorldBox {
    mesh.computeWorldMatrix(true);
    const box = mesh.refreshBoundingInfo().getBoundingInfo().boundingBox;
    return { min: box.minimumWorld.asArray() as Point3, max: box.maximumWorld.asArray() as Point3 };
}

/**
 * World positions of a mesh's vertices (the objects' meshes have their transforms baked in).
 * @param mesh the mesh
 * @returns x, y, z per vertex
 */
export function MeshWorldPositions(mesh: Mesh): Float32Array {
    const positions = mesh.getVerticesData(VertexBuffer.PositionKind);
    if (!positions) {
        throw new Error(`mesh "${mesh.name}" has no positions`);
    }
    const world = mesh.computeWorldMatrix(true);
    if (!world.isIdentity()) {
        throw new Error(`mesh "${mesh.name}" still has a transform: bake it into its vertices first`);
    }
    return Float32Array.from(positions);
}

/**
 * Points inside the mesh's triangles (their centroids, away from every edge), leaving out those
 * within `minHeight` of y = 0 where the objects touch the table: sample points for the pose checks.
 * @param mesh the mesh (transform baked into its vertices)
 * @param minHeight lowest y kept
 * @returns x, y, z per point
 */
export function MeshSurfaceSamples(mesh: Mesh, minHeight: number): Float32Array {
    const positions = MeshWorldPositions(mesh);
    const indices = mesh.getIndices() ?? [];
    const samples: number[] = [];
    for (let t = 0; t + 2 < indices.length; t += 3) {
        const centroid = [0, 1, 2].map((axis) => (positions[indices[t] * 3 + axis] + positions[indices[t + 1] * 3 + axis] + positions[indices[t + 2] * 3 + axis]) / 3);
        if (centroid[1] >= minHeight) {
            samples.push(...centroid);
        }
    }
    return Float32Array.from(samples);
}

/** A right-handed scratch scene on the same engine. */
function ScratchScene(engine: AbstractEngine): Scene {
    const scene = new Scene(engine, { virtual: true });
    scene.useRightHandedSystem = true;
    return scene;
}

/**
 * Exports one object's mesh (world-space vertices, its colour as the material) as a GLB.
 * @param engine the engine (a scratch scene is made on it and disposed)
 * @param object the object
 * @param fileName file name without extension, e.g. "object_01"
 * @returns the GLB file's bytes
 */
export async function ExportObjectGlbAsync(engine: AbstractEngine, object: PlacedObject, fileName: string): Promise<Uint8Array> {
    const scene = ScratchScene(engine);
    try {
        const vertexData = VertexData.ExtractFromMesh(object.mesh, true, true);
        vertexData.uvs = null;
        vertexData.colors = null;
        const mesh = new Mesh(object.name, scene);
        vertexData.applyToMesh(mesh);
        const material = new StandardMaterial(`${object.name} material`, scene);
        material.diffuseColor = new Color3(...object.color);
        material.specularColor = Color3.Black();
        mesh.material = material;
        const data = await GLTF2Export.GLBAsync(scene, fileName, { exportWithoutWaitingForScene: true });
        const blob = data.files[`${fileName}.glb`];
        if (!(blob instanceof Blob)) {
            throw new Error(`the glTF exporter gave no ${fileName}.glb (files: ${Object.keys(data.files).join(", ")})`);
        }
        return new Uint8Array(await blob.arrayBuffer());
    } finally {
        scene.dispose();
    }
}

/**
 * Loads a GLB with Babylon's glTF loader into a scratch right-handed scene and measures it.
 * @param engine the engine
 * @param bytes the GLB file
 * @returns the world box of all its meshes and their vertex count
 */
export async function MeasureGlbAsync(engine: AbstractEngine, bytes: Uint8Array): Promise<WorldBox & { vertexCount: number }> {
    const scene = ScratchScene(engine);
    try {
        const container = await LoadAssetContainerAsync(bytes, scene, { pluginExtension: ".glb" });
        container.addAllToScene();
        const min: Point3 = [Infinity, Infinity, Infinity];
        const max: Point3 = [-Infinity, -Infinity, -Infinity];
        let vertexCount = 0;
        // Parents (the loader's __root__) come first in the list: compute their matrices first.
        [...container.transformNodes, ...container.meshes].forEach((node) => node.computeWorldMatrix(true));
        for (const mesh of container.meshes) {
            if (mesh.getTotalVertices() === 0) {
                continue;
            }
            vertexCount += mesh.getTotalVertices();
            const box = mesh.refreshBoundingInfo({}).getBoundingInfo().boundingBox;
            for (let axis = 0; axis < 3; axis++) {
                min[axis] = Math.min(min[axis], box.minimumWorld.asArray()[axis]);
                max[axis] = Math.max(max[axis], box.maximumWorld.asArray()[axis]);
            }
        }
        return { min, max, vertexCount };
    } finally {
        scene.dispose();
    }
}

import type { Scene } from "@babylonjs/core/scene";
import type { ExtractedMesh } from "@plugin/core/extraction/objectExtraction";
import type { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial";
import { ExportMeshGlbAsync, ExportObjectGlbAsync, ImportGlbAsync } from "@plugin/scene/glbExchange";
import { CreateObjectMesh } from "@plugin/scene/objectMeshBuilder";
import { UseNullScene } from "@test/helpers/nullScene";

/** A box of the given size (capture coordinates, min corner at the origin) as an extraction result. */
function BoxObject(size: [number, number, number]): ExtractedMesh {
    const positions = new Float32Array(8 * 3);
    for (let c = 0; c < 8; c++) {
        positions.set([c & 1 ? size[0] : 0, c & 2 ? size[1] : 0, c & 4 ? size[2] : 0], c * 3);
    }
    // outward-facing triangles of the 6 faces (corner bits: x = 1, y = 2, z = 4)
    const faces = [
        [0, 2, 3, 1], [4, 5, 7, 6], [0, 1, 5, 4], [2, 6, 7, 3], [0, 4, 6, 2], [1, 3, 7, 5],
    ];
    const indices = new Uint32Array(faces.flatMap(([a, b, c, d]) => [a, b, c, a, c, d]));
    const normals = new Float32Array(8 * 3).map((_, i) => (positions[i] > 0 ? 1 : -1) / Math.sqrt(3));
    const colors = new Float32Array(8 * 3).fill(0.5);
    return { positions, normals, colors, indices, collision: { positions, indices }, stats: { triangles: 12, rawTriangles: 12, collisionTriangles: 12, resolution: [2, 2, 2], seconds: 0, support: null } };
}

describe("ExportObjectGlbAsync: objects that stand upright in Y-up viewers", () => {
    let scene: Scene;
    UseNullScene((created) => (scene = created));

    async function ExtentsAsync(glb: Blob): Promise<number[]> {
        const { root } = await ImportGlbAsync(scene, new Uint8Array(await glb.arrayBuffer()), "object.glb");
        root.computeWorldMatrix(true);
        const { min, max } = root.getHierarchyBoundingVectors(true);
        return [max.x - min.x, max.y - min.y, max.z - min.z];
    }

    it("turns a capture whose up is +Z (Blender, COLMAP) so the object's height is glTF's +Y", async () => {
        const tall = BoxObject([0.2, 0.3, 1]);
        const upright = await ExtentsAsync(await ExportObjectGlbAsync("tall", tall, [0, 0, 1]));
        expect(upright[1]).withContext("height along +Y").toBeCloseTo(1, 4);
        expect(upright[0] * upright[2]).toBeCloseTo(0.06, 4);
        const asCaptured = await ExtentsAsync(await ExportObjectGlbAsync("tall", tall, null));
        expect(asCaptured[2]).withContext("without an up, the capture's axes").toBeCloseTo(1, 4);
        const yUp = await ExtentsAsync(await ExportObjectGlbAsync("tall", BoxObject([0.2, 1, 0.3]), [0, 1, 0]));
        expect(yUp[1]).withContext("a y-up capture is left as it is").toBeCloseTo(1, 4);
    });

    it("writes an unlit material with the vertex colours and no emissive", async () => {
        const glb = new Uint8Array(await (await ExportObjectGlbAsync("box", BoxObject([1, 1, 1]), [0, 1, 0])).arrayBuffer());
        const length = new DataView(glb.buffer).getUint32(12, true);
        const json = JSON.parse(new TextDecoder().decode(glb.subarray(20, 20 + length)));
        expect(json.extensionsUsed).toEqual(["KHR_materials_unlit"]);
        expect(json.materials[0].emissiveFactor ?? [0, 0, 0]).toEqual([0, 0, 0]);
        expect(Object.keys(json.meshes[0].primitives[0].attributes).sort()).toEqual(["COLOR_0", "NORMAL", "POSITION"]);
    });

    it("shows an object mesh's vertex colours in the scene (unlit: white emissive) and exports it without emissive, keeping the scene's material", async () => {
        const mesh = CreateObjectMesh("box", scene, BoxObject([1, 1, 1]));
        const material = mesh.material as StandardMaterial;
        // Babylon's StandardMaterial without lighting draws emissive (+ ambient) times the vertex colours
        expect(material.disableLighting).toBeTrue();
        expect(material.emissiveColor.asArray()).toEqual([1, 1, 1]);
        const glb = new Uint8Array(await (await ExportMeshGlbAsync(mesh)).arrayBuffer());
        const json = JSON.parse(new TextDecoder().decode(glb.subarray(20, 20 + new DataView(glb.buffer).getUint32(12, true))));
        expect(json.materials[0].emissiveFactor ?? [0, 0, 0]).toEqual([0, 0, 0]);
        expect(material.emissiveColor.asArray()).withContext("restored after the export").toEqual([1, 1, 1]);
    });
});

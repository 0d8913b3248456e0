import { Engine } from "@babylonjs/core/Engines/engine";
import { Scene } from "@babylonjs/core/scene";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { Ray } from "@babylonjs/core/Culling/ray.core";
import "@babylonjs/core/Culling/ray";
import { NerfNode } from "@plugin/scene/nerfNode";
import { NerfObjectNode } from "@plugin/scene/nerfObjectNode";
import { ObjectAssets } from "@plugin/workspace/objectAssets";
import { ImportGlbAsync, TriangleCount } from "@plugin/scene/glbExchange";
import { CollisionMeshSuffix } from "@plugin/scene/objectMeshBuilder";
import { CaptureToBabylonPoint } from "@plugin/core/math/poseConversion";
import { SphereObjectField, Spheres, TwoSphereField } from "@test/helpers/fusionFixture";
import { WriteGltfSplats } from "@test/helpers/splatContainers";
import { RandomSplatCloud } from "@test/helpers/splatFixtures";
import { SplatRasterizer } from "@plugin/core/splats/splatRasterizer";

describe("ObjectAssets: fused objects as scene objects", () => {
    let engine: Engine;
    let scene: Scene;
    let node: NerfNode;
    let assets: ObjectAssets;

    /** A world ray straight down onto a capture point. */
    function RayDownOnto(capturePoint: readonly number[]): Ray {
        const target = Vector3.TransformCoordinates(Vector3.FromArray(CaptureToBabylonPoint(capturePoint, "left")), node.computeWorldMatrix(true));
        return new Ray(target.add(new Vector3(0, 3, 0)), new Vector3(0, -1, 0), 10);
    }

    beforeEach(() => {
        engine = new Engine(document.createElement("canvas"));
        scene = new Scene(engine);
        node = new NerfNode("capture", scene, TwoSphereField(40));
        node.position.set(1, 0.5, -2);
        assets = new ObjectAssets(scene);
    });

    afterEach(() => {
        assets.dispose();
        scene.dispose();
        engine.dispose();
    });

    it("cuts a fused object out of the capture as a NerfObjectNode in place; picks return the object, view modes switch", async () => {
        const asset = await assets.createFromFusionAsync(node, SphereObjectField(), 1, "red sphere");
        const objectNode = asset.objectNode!;
        expect(objectNode).toBeInstanceOf(NerfObjectNode);
        expect(objectNode.getClassName()).toBe("NerfObjectNode");
        expect(objectNode.field!.metadata.objectName).toBe("red sphere");
        expect(objectNode.field!.params.gridSize[0]).toBeLessThan(40);
        const onRed = scene.pickWithRay(RayDownOnto(Spheres[0].centre))!;
        expect(onRed.pickedMesh).withContext("the object, not the capture").toBe(objectNode);
        expect(onRed.pickedPoint!.y).toBeGreaterThan(0.5 + Spheres[0].centre[1] + Spheres[0].radius * 0.8);
        expect(scene.pickWithRay(RayDownOnto(Spheres[1].centre))!.pickedMesh).toBe(node);
        // moving the object leaves no ghost: the capture is cut where the object was
        objectNode.position.x += 3;
        objectNode.computeWorldMatrix(true);
        const ghost = scene.pickWithRay(RayDownOnto(Spheres[0].centre));
        expect(ghost?.hit ?? false).withContext(`picked ${ghost?.pickedMesh?.name} at ${ghost?.pickedPoint}`).toBeFalse();
        assets.setViewMode(asset, "object");
        expect([objectNode.isVisible, node.isVisible]).toEqual([true, false]);
        assets.setViewMode(asset, "without");
        expect([objectNode.isVisible, node.isVisible]).toEqual([false, true]);
        objectNode.position.x -= 3;
        objectNode.computeWorldMatrix(true);
        assets.setViewMode(asset, "both");
        expect(scene.pickWithRay(RayDownOnto(Spheres[0].centre))!.pickedMesh).toBe(objectNode);
    });

    it("extracts a mesh with a collider, exports it as GLB that loads back with the same triangles, and places copies on a surface", async () => {
        const asset = await assets.createFromFusionAsync(node, SphereObjectField(), 1, "red sphere");
        const mesh = await assets.extractMeshAsync(asset, { resolution: 48, triangleBudget: 3000, collisionBudget: 150 });
        const triangles = mesh.getTotalIndices() / 3;
        expect(triangles).toBeGreaterThan(500);
        expect(triangles).toBeLessThanOrEqual(3000);
        const collider = mesh.getChildMeshes().find((child) => child.name.endsWith(CollisionMeshSuffix))!;
        expect(collider.checkCollisions).toBeTrue();
        expect(collider.getTotalIndices() / 3).toBeLessThanOrEqual(150);
        // the mesh sits where the object is
        mesh.setEnabled(true);
        mesh.computeWorldMatrix(true);
        const centre = mesh.getBoundingInfo().boundingBox.centerWorld;
        const expected = Vector3.TransformCoordinates(Vector3.FromArray(CaptureToBabylonPoint(Spheres[0].centre, "left")), node.computeWorldMatrix(true));
        expect(Vector3.Distance(centre, expected)).toBeLessThan(0.05);
        mesh.setEnabled(false);
        const glb = await assets.exportGlbAsync(asset);
        expect(new TextDecoder().decode(new Uint8Array(await glb.slice(0, 4).arrayBuffer()))).toBe("glTF");
        const imported = await ImportGlbAsync(scene, new Uint8Array(await glb.arrayBuffer()), "red sphere.glb");
        expect(TriangleCount(imported.meshes)).toBe(triangles);
        const copy = assets.placeAt(asset, new Vector3(5, 1, 5));
        const box = copy.getHierarchyBoundingVectors(true);
        expect(box.min.y).toBeCloseTo(1, 3);
        expect((box.min.x + box.max.x) / 2).toBeCloseTo(5, 3);
        expect(asset.placed).toEqual([copy]);
    });

    it("saves an object's field file that re-imports as a NerfObjectNode, and reports bad files without losing the others", async () => {
        const asset = await assets.createFromFusionAsync(node, SphereObjectField(), 1, "red sphere");
        const bytes = await assets.saveFieldAsync(asset);
        const splatGlb = WriteGltfSplats(RandomSplatCloud(30, 3));
        const files = [new File([bytes as BlobPart], "red.snrf"), new File([new Uint8Array([1, 2, 3])], "broken.glb"), new File([new Uint8Array(10)], "junk.snrf"), new File([splatGlb as BlobPart], "splats.glb")];
        assets.splatRasterizer = async () => new SplatRasterizer(null);
        const { assets: imported, errors } = await assets.importFilesAsync(files);
        expect(imported.length).toBe(2);
        // a .glb of Gaussian splats is a splat object, not a mesh
        expect(imported[1].name).toBe("splats");
        expect(imported[1].splat!.mesh.splatsData!.byteLength).toBe(30 * 32);
        expect(imported[1].mesh).toBeNull();
        expect(imported[1].thumbnail).toMatch(/^data:image\/png;base64,/);
        expect(imported[0].objectNode).toBeInstanceOf(NerfObjectNode);
        expect(imported[0].name).toBe("red sphere");
        const original = asset.objectNode!.field!;
        const back = imported[0].objectNode!.field!;
        expect(back.params.gridSize).toEqual(original.params.gridSize);
        back.density.forEach((v, i) => expect(Math.abs(v - original.density[i])).toBeLessThan(1e-3 * Math.max(1, Math.abs(original.density[i]))));
        expect(errors.length).toBe(2);
        expect(errors[0]).toMatch(/^broken\.glb: not a readable GLB/);
        expect(errors[1]).toMatch(/^junk\.snrf: /);
    });
});

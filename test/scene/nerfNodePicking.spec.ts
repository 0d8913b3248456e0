import { Engine } from "@babylonjs/core/Engines/engine";
import { Scene } from "@babylonjs/core/scene";
import { TransformNode } from "@babylonjs/core/Meshes/transformNode";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { Ray } from "@babylonjs/core/Culling/ray.core";
import "@babylonjs/core/Culling/ray";
import { CreateBox } from "@babylonjs/core/Meshes/Builders/boxBuilder";
import { NerfNode } from "@plugin/scene/nerfNode";
import { CaptureToBabylonPoint, type Handedness } from "@plugin/core/math/poseConversion";
import { SphereField } from "@test/helpers/sphereField";

const centre: [number, number, number] = [0.1, -0.05, 0.05];
const radius = 0.45;

/** The world position of a capture-space point of the node. */
function WorldOf(node: NerfNode, capturePoint: number[], handedness: Handedness): Vector3 {
    return Vector3.TransformCoordinates(Vector3.FromArray(CaptureToBabylonPoint(capturePoint, handedness)), node.computeWorldMatrix(true));
}

for (const handedness of ["left", "right"] as Handedness[]) {
    describe(`NerfNode picking (${handedness}-handed scene, under a rotated, scaled parent)`, () => {
        let engine: Engine;
        let scene: Scene;
        let node: NerfNode;

        beforeEach(() => {
            engine = new Engine(document.createElement("canvas"));
            scene = new Scene(engine);
            scene.useRightHandedSystem = handedness === "right";
            const parent = new TransformNode("parent", scene);
            parent.position.set(2, -1, 0.5);
            parent.rotation.set(0.3, 1.1, -0.2);
            parent.scaling.setAll(1.5);
            node = new NerfNode("nerf", scene, SphereField({ centre, radius }));
            node.parent = parent;
            node.position.set(0.2, 0.1, -0.3);
            node.rotation.y = 0.7;
        });

        afterEach(() => {
            scene.dispose();
            engine.dispose();
        });

        it("pickWithRay returns the node and the sphere's first surface in world space", () => {
            const worldCentre = WorldOf(node, centre, handedness);
            const worldRadius = radius * 1.5; // the parent's uniform scale
            for (const offset of [new Vector3(0, 0, 4), new Vector3(3, 1, -2), new Vector3(-2, 3, 1)]) {
                const origin = worldCentre.add(offset);
                const direction = worldCentre.subtract(origin).normalize();
                const info = scene.pickWithRay(new Ray(origin, direction, 100));
                expect(info?.hit).withContext(`from ${offset}`).toBeTrue();
                expect(info!.pickedMesh).toBe(node);
                const expectedDistance = offset.length() - worldRadius;
                // the surface is where the accumulated opacity reaches 0.5: within a voxel of the sphere
                expect(Math.abs(info!.distance - expectedDistance)).withContext(`distance from ${offset}`).toBeLessThan(0.06);
                expect(Vector3.Distance(info!.pickedPoint!, worldCentre)).toBeCloseTo(worldRadius, 1);
            }
        });

        it("misses rays that pass beside the sphere, respects isPickable and predicates, and lets nearer meshes win", () => {
            const worldCentre = WorldOf(node, centre, handedness);
            const beside = scene.pickWithRay(new Ray(worldCentre.add(new Vector3(1.2, 0, 5)), new Vector3(0, 0, -1), 100));
            expect(beside?.hit ?? false).toBeFalse();
            const ray = new Ray(worldCentre.add(new Vector3(0, 0, 4)), new Vector3(0, 0, -1), 100);
            expect(scene.pickWithRay(ray, (mesh) => mesh !== node)?.hit ?? false).toBeFalse();
            node.isPickable = false;
            expect(scene.pickWithRay(ray)?.hit ?? false).toBeFalse();
            node.isPickable = true;
            const blocker = CreateBox("blocker", { size: 0.2 }, scene);
            blocker.position = worldCentre.add(new Vector3(0, 0, 2));
            expect(scene.pickWithRay(ray)?.pickedMesh).toBe(blocker);
            blocker.position = worldCentre.add(new Vector3(0, 0, -2));
            expect(scene.pickWithRay(ray)?.pickedMesh).toBe(node);
        });

        it("lifts a world ray to the surface point (the prompt tool's 3D point)", () => {
            const worldCentre = WorldOf(node, centre, handedness);
            const origin = worldCentre.add(new Vector3(0.1, 0.05, 3));
            const point = node.surfacePointFromWorldRay(origin, worldCentre.subtract(origin).normalize());
            expect(point).not.toBeNull();
            expect(Vector3.Distance(point!, worldCentre)).toBeCloseTo(radius * 1.5, 1);
        });
    });
}

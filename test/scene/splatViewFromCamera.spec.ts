import type { Scene } from "@babylonjs/core/scene";
import { ArcRotateCamera } from "@babylonjs/core/Cameras/arcRotateCamera";
import { Matrix, Vector3 } from "@babylonjs/core/Maths/math.vector";
import { Viewport } from "@babylonjs/core/Maths/math.viewport";
import { ReadSplat } from "@plugin/core/splats/splatCloud";
import { ProjectSplats } from "@plugin/core/splats/splatProjection";
import { ApplySplatFileAxes, LoadSplatSceneAsync } from "@plugin/scene/splatSceneLoader";
import { SplatViewFromCamera } from "@plugin/scene/fieldViews";
import { RandomSplatCloud } from "@test/helpers/splatFixtures";
import { UseNullScene } from "@test/helpers/nullScene";

describe("SplatViewFromCamera (a viewport camera as a view of a splat file)", () => {
    let scene: Scene;
    UseNullScene((created) => (scene = created));

    it("puts every splat where Babylon projects it, for the loader's placement, y-up, a moved mesh and both handednesses", async () => {
        const cloud = RandomSplatCloud(60, 5, 0.5);
        for (const rightHanded of [false, true]) {
            scene.useRightHandedSystem = rightHanded;
            const { mesh } = await LoadSplatSceneAsync(scene, new Uint8Array(cloud.rows), "room.splat");
            const camera = new ArcRotateCamera("viewer", 0.7, 1.1, 4, new Vector3(0.2, 0.1, -0.1), scene);
            for (const placement of ["loader", "y-up", "moved"] as const) {
                if (placement !== "loader") {
                    ApplySplatFileAxes(mesh, "y-up");
                }
                if (placement === "moved") {
                    mesh.position.set(0.3, -0.2, 0.5);
                    mesh.rotation.y = 0.6;
                    mesh.scaling.scaleInPlace(1.5);
                }
                const width = 96;
                const height = 64;
                const view = SplatViewFromCamera(mesh, camera, width, height);
                const projected = ProjectSplats(cloud, view);
                const bits = new Uint32Array(projected.entries.buffer);
                const world = mesh.computeWorldMatrix(true);
                const transform = camera.getViewMatrix(true).multiply(camera.getProjectionMatrix(true));
                let compared = 0;
                for (let e = 0; e < projected.count; e++) {
                    const index = bits[e * 12 + 7];
                    const position = Vector3.FromArray(ReadSplat(cloud, index).position);
                    const expected = Vector3.Project(Vector3.TransformCoordinates(position, world), Matrix.IdentityReadOnly, transform, new Viewport(0, 0, width, height));
                    const context = `${rightHanded ? "right" : "left"}-handed, ${placement}, splat ${index}`;
                    expect(Math.abs(projected.entries[e * 12] - expected.x)).withContext(context).toBeLessThan(1e-3);
                    expect(Math.abs(projected.entries[e * 12 + 1] - expected.y)).withContext(context).toBeLessThan(1e-3);
                    compared++;
                }
                expect(compared).toBeGreaterThan(30);
            }
            mesh.dispose();
            camera.dispose();
        }
    });
});

import type { Scene } from "@babylonjs/core/scene";
import { TransformNode } from "@babylonjs/core/Meshes/transformNode";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { DefaultPipelineConfig } from "@plugin/core/pipeline/pipelineConfig";
import { ReadPlyVertexProperty } from "@plugin/core/splats/plyGaussians";
import { ReadSplat } from "@plugin/core/splats/splatCloud";
import { LoadSplatSceneAsync, type SplatFileAxes } from "@plugin/scene/splatSceneLoader";
import { LocalUpOf, SplatObjectMeshes } from "@plugin/workspace/splatObjectMeshes";
import { WorkspaceTasks } from "@plugin/workspace/workspaceTasks";
import { UseNullScene } from "@test/helpers/nullScene";

describe("SplatObjectMeshes (a mesh of a splat object, over its splats)", () => {
    let scene: Scene;
    UseNullScene((created) => (scene = created));

    it("meshes the sample sphere's splats where the splats show, for either axes and a moved parent, with the scene's up; exports a GLB", async () => {
        const bytes = new Uint8Array(await (await fetch("/base/sample-scenes/captures/tabletop/splats.ply")).arrayBuffer());
        for (const axes of ["loader", "y-up"] as SplatFileAxes[]) {
            const { mesh: source, file } = await LoadSplatSceneAsync(scene, bytes, "tabletop.ply", axes);
            const labels = Uint8Array.from(ReadPlyVertexProperty(file.ply!.bytes, file.ply!.header, "label")!);
            const holder = new TransformNode("holder", scene);
            holder.position.set(3, 0, -2);
            source.parent = holder;
            // the sample scenes are y-up: Babylon's loader shows them upside down, y-up upright
            expect(LocalUpOf(source)[1]).withContext(axes).toBeCloseTo(axes === "y-up" ? 1 : -1, 5);
            const tasks = new WorkspaceTasks(() => undefined);
            const meshes = new SplatObjectMeshes({ scene, config: DefaultPipelineConfig, tasks, changed: () => undefined });
            try {
                const mesh = await meshes.extractAsync({ id: 1, name: "sphere", cloud: file.cloud, labels, label: 1, placement: source });
                expect(tasks.error).toBeNull();
                expect(mesh).not.toBeNull();
                // the sphere's splat centres, in the world, as the splat mesh shows them
                const world = source.computeWorldMatrix(true);
                const centre = new Vector3();
                let n = 0;
                labels.forEach((label, i) => {
                    if (label === 1) {
                        centre.addInPlace(Vector3.TransformCoordinates(Vector3.FromArray(ReadSplat(file.cloud, i).position), world));
                        n++;
                    }
                });
                centre.scaleInPlace(1 / n);
                const box = mesh!.getHierarchyBoundingVectors(false);
                const meshCentre = box.min.add(box.max).scale(0.5);
                const size = box.max.subtract(box.min).length();
                expect(Vector3.Distance(meshCentre, centre)).withContext(`${axes}: mesh centre ${meshCentre.toString()} vs splats ${centre.toString()}`).toBeLessThan(0.1 * size);
                expect(meshes.meshOf(1)).toBe(mesh);
                const glb = new Uint8Array(await (await meshes.exportGlbAsync(1)).arrayBuffer());
                expect(new TextDecoder().decode(glb.subarray(0, 4))).toBe("glTF");
                await expectAsync(meshes.exportGlbAsync(2)).toBeRejectedWithError(/object 2 has no mesh/);
            } finally {
                meshes.dispose();
            }
        }
    });
});

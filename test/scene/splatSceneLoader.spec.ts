import type { Scene } from "@babylonjs/core/scene";
import { ReadSplat } from "@plugin/core/splats/splatCloud";
import { WriteCloudAsPly } from "@plugin/core/splats/splatPlyWriter";
import { EncodeSpzAsync } from "@plugin/core/splats/spzCodec";
import { LoadSplatSceneAsync } from "@plugin/scene/splatSceneLoader";
import { RandomSplatCloud } from "@test/helpers/splatFixtures";
import { UseNullScene } from "@test/helpers/nullScene";

describe("Splat scenes through Babylon's loader", () => {
    let scene: Scene;
    UseNullScene((created) => (scene = created));

    it("loads PLY, SPZ and .splat files as Gaussian-splatting meshes whose splats are the ones read for segmentation", async () => {
        const cloud = RandomSplatCloud(100, 21);
        const files: [Uint8Array, string][] = [
            [WriteCloudAsPly(cloud), "room.ply"],
            [await EncodeSpzAsync(cloud), "room.spz"],
            [new Uint8Array(cloud.rows), "room.splat"],
        ];
        for (const [bytes, name] of files) {
            const { mesh, file } = await LoadSplatSceneAsync(scene, bytes, name);
            expect(mesh.getClassName()).withContext(name).toBe("GaussianSplattingMesh");
            expect(mesh.name).toBe("room");
            expect(mesh.splatsData!.byteLength / 32).withContext(name).toBe(100);
            expect(scene.meshes).toContain(mesh);
            const rows = mesh.splatsData!;
            for (let i = 0; i < 100; i += 9) {
                const a = ReadSplat(file.cloud, i);
                const b = ReadSplat({ ...file.cloud, rows }, i);
                expect(Math.abs(a.position[0] - b.position[0]) + Math.abs(a.position[1] - b.position[1])).withContext(`${name} splat ${i}`).toBeLessThan(1e-5);
                expect(Math.abs(a.color[0] - b.color[0])).toBeLessThanOrEqual(1 / 255 + 1e-9);
            }
            mesh.dispose();
        }
    });

    it("names the file when it cannot be read, and leaves the scene as it was", async () => {
        const before = scene.meshes.length;
        await expectAsync(LoadSplatSceneAsync(scene, new TextEncoder().encode("not splats"), "notes.ply")).toBeRejectedWithError(/notes\.ply: not a splat file/);
        expect(scene.meshes.length).toBe(before);
    });
});

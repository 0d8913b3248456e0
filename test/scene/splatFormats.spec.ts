import type { Scene } from "@babylonjs/core/scene";
import { ReadSplatFileAsync } from "@plugin/core/splats/splatFile";
import { IsGltfSplatFile } from "@plugin/core/splats/gltfSplats";
import { LoadSplatSceneAsync, ReadSplatFileWithBabylonAsync } from "@plugin/scene/splatSceneLoader";
import { RandomSplatCloud, SplatDifferences } from "@test/helpers/splatFixtures";
import { WriteGltfSplats, WriteSogAsync } from "@test/helpers/splatContainers";
import { UseNullScene } from "@test/helpers/nullScene";
import { SplatObjectSplit } from "@plugin/scene/splatObjectSplitter";
import type { GaussianSplattingMesh } from "@babylonjs/core/Meshes/GaussianSplatting/gaussianSplattingMesh";

/** Separates every third splat of a loaded mesh and checks the object got exactly those rows. */
function ExpectSeparable(mesh: GaussianSplattingMesh): void {
    const rows = new Uint8Array(mesh.splatsData!.slice(0));
    const count = rows.length / 32;
    const split = SplatObjectSplit.Separate(mesh, new Uint8Array(count).map((_, i) => (i % 3 === 0 ? 1 : 0)));
    const part = new Uint8Array(split.parts[0].mesh.splatsData!);
    expect(part.length).toBe(Math.ceil(count / 3) * 32);
    expect(part.subarray(32, 64)).toEqual(rows.subarray(3 * 32, 4 * 32));
    split.undo();
    expect(new Uint8Array(mesh.splatsData!)).toEqual(rows);
}

describe("Splat files from glTF (KHR_gaussian_splatting) and SOG", () => {
    let scene: Scene;
    UseNullScene((created) => (scene = created));

    it("reads a splat GLB and .gltf as Babylon's glTF extension converts them, and loads it as a mesh that keeps its splats", async () => {
        const cloud = RandomSplatCloud(120, 31);
        const glb = WriteGltfSplats(cloud, { translation: [1, 2, 3] });
        expect(IsGltfSplatFile(glb, "room.glb")).toBeTrue();
        expect(IsGltfSplatFile(WriteGltfSplats(cloud, { plain: true }), "points.glb")).toBeFalse();
        const file = await ReadSplatFileAsync(glb, "room.glb");
        expect(file.format).toBe("gltf");
        expect(file.cloud.count).toBe(120);
        const read = SplatDifferences(cloud, file.cloud);
        expect(read.position).toBe(0);
        expect(read.scaleRatio).toBeLessThan(1e-6);
        expect(read.color).toBeLessThanOrEqual(1 / 255 + 1e-9);
        expect(read.opacity).toBeLessThanOrEqual(1 / 255 + 1e-9);
        expect(read.rotationDot).toBeGreaterThan(0.999);
        const embedded = await ReadSplatFileAsync(WriteGltfSplats(cloud, { json: true }), "room.gltf");
        expect(new Uint8Array(embedded.cloud.rows)).toEqual(new Uint8Array(file.cloud.rows));

        const { mesh, file: loadedFile } = await LoadSplatSceneAsync(scene, glb, "room.glb");
        expect(mesh.name).toBe("room");
        expect(mesh.parent).toBeNull();
        // Babylon's own extension made these rows: byte for byte ours
        expect(new Uint8Array(mesh.splatsData!)).toEqual(new Uint8Array(loadedFile.cloud.rows));
        // the node's translation is kept as the mesh's placement (through Babylon's glTF root, which turns x and z for its left-handed scene)
        const placed = mesh.getAbsolutePosition();
        expect([Math.abs(placed.x), placed.y, Math.abs(placed.z)].map((v) => +v.toFixed(5))).toEqual([1, 2, 3]);
        expect(scene.transformNodes.length).toBe(0);
        ExpectSeparable(mesh);
    });

    it("names what is wrong with a glTF that holds no usable splats", async () => {
        const cloud = RandomSplatCloud(10, 32);
        const glb = WriteGltfSplats(cloud);
        const cases: [Uint8Array, string, RegExp][] = [
            [glb.slice(0, glb.length - 40), "cut.glb", /cut\.glb: GLB is truncated/],
            [WriteGltfSplats(cloud, { plain: true }), "points.glb", /points\.glb: glTF holds no KHR_gaussian_splatting primitive/],
            [WriteGltfSplats(cloud, { primitives: 2 }), "two.glb", /two\.glb: glTF holds 2 Gaussian-splat primitives/],
            [WriteGltfSplats(cloud, { externalBuffer: "splats.bin" }), "scene.gltf", /scene\.gltf: glTF buffer 0 is the external file "splats\.bin"/],
            [new TextEncoder().encode("{ not json"), "broken.gltf", /broken\.gltf: its glTF JSON cannot be parsed/],
            [WriteGltfSplats(cloud, { required: ["EXT_meshopt_compression"] }), "packed.glb", /packed\.glb: glTF requires EXT_meshopt_compression, which the splat reader does not decode/],
        ];
        const nan = WriteGltfSplats(cloud);
        const binStart = nan.length - cloud.count * 14 * 4; // five float attributes, 14 floats a splat, POSITION first
        new DataView(nan.buffer).setFloat32(binStart + 4, NaN, true);
        cases.push([nan, "nan.glb", /nan\.glb: splat 0 has a non-finite position/]);
        for (const [bytes, name, message] of cases) {
            await expectAsync(ReadSplatFileAsync(bytes, name)).withContext(name).toBeRejectedWithError(message);
        }
        const before = scene.meshes.length;
        await expectAsync(LoadSplatSceneAsync(scene, cases[1][0], "points.glb")).toBeRejectedWithError(/no KHR_gaussian_splatting primitive/);
        expect(scene.meshes.length).toBe(before);
    });

    it("reads a SOG bundle with Babylon's SOG parser, and loads it as the same splats without fetching anything", async () => {
        const cloud = RandomSplatCloud(150, 33);
        const sog = await WriteSogAsync(cloud);
        const file = await ReadSplatFileWithBabylonAsync(sog, "room.sog");
        expect(file.format).toBe("sog");
        expect(file.cloud.count).toBe(150);
        const read = SplatDifferences(cloud, file.cloud, 0.9);
        // quantised: 16-bit log positions, 8-bit log scales, colour and logit opacity
        expect(read.position).toBeLessThan(1e-4);
        expect(read.scaleRatio).toBeLessThan(0.01);
        expect(read.color).toBeLessThan(4 / 255);
        expect(read.opacity).toBeLessThan(0.03);
        expect(read.rotationDot).toBeGreaterThan(0.99);
        await expectAsync(ReadSplatFileAsync(sog, "room.sog")).toBeRejectedWithError(/room\.sog: a SOG bundle \(zip\) needs Babylon's SOG parser/);

        const { mesh, file: loadedFile } = await LoadSplatSceneAsync(scene, sog, "room.sog");
        expect(mesh.name).toBe("room");
        expect(new Uint8Array(mesh.splatsData!)).toEqual(new Uint8Array(loadedFile.cloud.rows));
        ExpectSeparable(mesh);
    });

    it("names what is missing from a broken SOG bundle", async () => {
        const cloud = RandomSplatCloud(20, 34);
        const sog = await WriteSogAsync(cloud);
        const cases: [Uint8Array, string, RegExp][] = [
            [sog.slice(0, sog.length - 30), "cut.sog", /cut\.sog: a SOG bundle is a zip, and this one cannot be unzipped/],
            [await WriteSogAsync(cloud, ["meta.json"]), "nometa.sog", /nometa\.sog: the SOG bundle has no meta\.json/],
            [await WriteSogAsync(cloud, ["quats.webp"]), "noquats.sog", /noquats\.sog: the SOG bundle lacks quats\.webp \(listed for "quats"/],
        ];
        for (const [bytes, name, message] of cases) {
            await expectAsync(ReadSplatFileWithBabylonAsync(bytes, name)).withContext(name).toBeRejectedWithError(message);
        }
    });
});

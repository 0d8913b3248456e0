import { NullEngine } from "@babylonjs/core/Engines/nullEngine";
import { Scene } from "@babylonjs/core/scene";
import { TransformNode } from "@babylonjs/core/Meshes/transformNode";
import { Quaternion, Vector3 } from "@babylonjs/core/Maths/math.vector";
import { GaussianSplattingMesh } from "@babylonjs/core/Meshes/GaussianSplatting/gaussianSplattingMesh";
import { SplatRowBytes } from "@plugin/core/splats/splatCloud";
import { LoadSplatSceneAsync } from "@plugin/scene/splatSceneLoader";
import { SplatObjectSourceIndices, SplatObjectSplit } from "@plugin/scene/splatObjectSplitter";
import { AppendSceneAsync } from "@babylonjs/core/Loading/sceneLoader";
import "@babylonjs/core/Loading/Plugins/babylonFileLoader";
import "@babylonjs/core/Loading/loadingScreen";
import { SerializeSceneWithNerfNodesAsync } from "@plugin/scene/nerfSceneSerializer";
import { RandomSplatCloud } from "@test/helpers/splatFixtures";
import { UseNullScene } from "@test/helpers/nullScene";

/** Row i of a row buffer. */
function Row(rows: ArrayBuffer, i: number): number[] {
    return [...new Uint8Array(rows, i * SplatRowBytes, SplatRowBytes)];
}

describe("SplatObjectSplit (objects of a Gaussian-splatting mesh as their own meshes)", () => {
    let scene: Scene;
    UseNullScene((created) => (scene = created));

    it("gives each object exactly its labelled rows in order, in place, and the source the rest; undo restores the source byte for byte", async () => {
        const cloud = RandomSplatCloud(300, 5);
        const { mesh: source } = await LoadSplatSceneAsync(scene, new Uint8Array(cloud.rows), "room.splat");
        const parent = new TransformNode("holder", scene);
        source.parent = parent;
        source.position.set(1, 2, 3);
        source.rotationQuaternion = Quaternion.RotationAxis(new Vector3(0, 1, 0), 0.7);
        source.scaling.set(2, 2, 2);
        const original = source.splatsData!.slice(0);
        const labels = new Uint8Array(300).map((_, i) => (i % 7 === 0 ? 1 : i % 5 === 0 ? 3 : 0));
        const split = SplatObjectSplit.Separate(source, labels);

        expect(split.parts.map((part) => part.label)).toEqual([1, 3]);
        let total = split.remainingIndices.length;
        for (const part of split.parts) {
            const expected = [...labels.keys()].filter((i) => labels[i] === part.label);
            expect([...part.sourceIndices]).toEqual(expected);
            const rows = part.mesh.splatsData!;
            expect(rows.byteLength).toBe(expected.length * SplatRowBytes);
            expected.forEach((source, row) => expect(Row(rows, row)).withContext(`object ${part.label} row ${row}`).toEqual(Row(original, source)));
            expect(part.mesh.name).toBe(`room object ${part.label}`);
            expect(part.mesh.parent).toBe(parent);
            expect(part.mesh.position.asArray()).toEqual([1, 2, 3]);
            expect(part.mesh.rotationQuaternion!.equalsWithEpsilon(source.rotationQuaternion, 1e-7)).toBeTrue();
            expect(part.mesh.scaling.asArray()).toEqual([2, 2, 2]);
            expect(part.mesh.isPickable).toBeTrue();
            expect(scene.meshes).toContain(part.mesh);
            expect([...SplatObjectSourceIndices(part.mesh)!]).toEqual(expected);
            total += part.sourceIndices.length;
        }
        expect(total).toBe(300);
        const kept = [...labels.keys()].filter((i) => labels[i] === 0);
        expect([...split.remainingIndices]).toEqual(kept);
        expect(source.splatsData!.byteLength).toBe(kept.length * SplatRowBytes);
        kept.forEach((i, row) => expect(Row(source.splatsData!, row)).toEqual(Row(original, i)));

        split.undo();
        expect(split.undone).toBeTrue();
        expect(new Uint8Array(source.splatsData!)).toEqual(new Uint8Array(original));
        for (const part of split.parts) {
            expect(part.mesh.isDisposed()).toBeTrue();
            expect(scene.meshes).not.toContain(part.mesh);
        }
        expect(source.isEnabled()).toBeTrue();
    });

    it("splits the SH texels with their rows, hides a source left with no splats, and names what is wrong", () => {
        const cloud = RandomSplatCloud(40, 9);
        const source = new GaussianSplattingMesh("statue", null, scene, true);
        const sh = [new Uint8Array(40 * 16).map((_, b) => b % 251), new Uint8Array(40 * 16).map((_, b) => (b * 7) % 253)];
        source.updateData(cloud.rows.slice(0), sh, { flipY: false }, undefined, 2);
        const labels = new Uint8Array(40).map((_, i) => (i < 25 ? 1 : 2));
        const split = SplatObjectSplit.Separate(source, labels);
        const object2 = split.part(2)!;
        expect(object2.mesh.shData!.length).toBe(2);
        expect([...object2.mesh.shData![1].subarray(0, 16)]).toEqual([...sh[1].subarray(25 * 16, 26 * 16)]);
        expect(object2.mesh.maxShDegree).toBe(2);
        expect(split.remainingIndices.length).toBe(0);
        expect(source.isEnabled()).toBeFalse();
        split.undo();
        expect(source.isEnabled()).toBeTrue();
        expect(new Uint8Array(source.splatsData!)).toEqual(new Uint8Array(cloud.rows));
        expect([...source.shData![0]]).toEqual([...sh[0]]);

        expect(() => SplatObjectSplit.Separate(source, new Uint8Array(39), {})).toThrowError(/statue: 39 labels for 40 splats/);
        expect(() => SplatObjectSplit.Separate(source, new Uint8Array(40), {})).toThrowError(/statue: no splat carries an object's label/);
        const notInRam = new GaussianSplattingMesh("light", null, scene, false);
        notInRam.updateData(cloud.rows.slice(0), undefined, { flipY: false });
        expect(() => SplatObjectSplit.Separate(notInRam, labels)).toThrowError(/light: its splats are not kept in memory/);
    });

    it("saves the separated objects with the scene (their rows and source indices) and loads them back", async () => {
        const cloud = RandomSplatCloud(120, 11);
        const { mesh: source } = await LoadSplatSceneAsync(scene, new Uint8Array(cloud.rows), "room.splat");
        const labels = new Uint8Array(120).map((_, i) => (i % 4 === 1 ? 2 : 0));
        const split = SplatObjectSplit.Separate(source, labels);
        const part = split.part(2)!;
        part.mesh.position.set(0.5, 0, 0);
        const saved = await SerializeSceneWithNerfNodesAsync(scene);
        const loadedEngine = new NullEngine();
        const loaded = new Scene(loadedEngine);
        try {
            await AppendSceneAsync(`data:${JSON.stringify(saved.scene)}`, loaded, { pluginExtension: ".babylon" });
            const object = loaded.getMeshByName("room object 2") as GaussianSplattingMesh;
            expect(object.getClassName()).toBe("GaussianSplattingMesh");
            expect(new Uint8Array(object.splatsData!)).toEqual(new Uint8Array(part.mesh.splatsData!));
            expect([...SplatObjectSourceIndices(object)!]).toEqual([...part.sourceIndices]);
            expect(object.position.x).toBe(0.5);
            const rest = loaded.getMeshByName("room") as GaussianSplattingMesh;
            expect(rest.splatsData!.byteLength).toBe(90 * SplatRowBytes);
        } finally {
            loaded.dispose();
            loadedEngine.dispose();
        }
    });
});

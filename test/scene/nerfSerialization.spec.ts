import { Engine } from "@babylonjs/core/Engines/engine";
import { Scene } from "@babylonjs/core/scene";
import { CreateBox } from "@babylonjs/core/Meshes/Builders/boxBuilder";
import { AppendSceneAsync } from "@babylonjs/core/Loading/sceneLoader";
import "@babylonjs/core/Loading/Plugins/babylonFileLoader";
import "@babylonjs/core/Loading/loadingScreen";
import { NerfNode } from "@plugin/scene/nerfNode";
import { NerfObjectNode } from "@plugin/scene/nerfObjectNode";
import { NerfNodeLoadErrorObservable, NerfNodesSceneKey, SerializeSceneWithNerfNodesAsync } from "@plugin/scene/nerfSceneSerializer";
import { RegisterNerfObjectNodeParser } from "@plugin/scene/nerfObjectNodeParser";
import { SphereField } from "@test/helpers/sphereField";

function MakeScene(): { engine: Engine; scene: Scene; node: NerfNode } {
    const engine = new Engine(document.createElement("canvas"));
    const scene = new Scene(engine);
    const node = new NerfNode("scan", scene, SphereField({ grid: 16 }));
    node.position.set(1, 2, 3);
    node.rotation.set(0.1, 0.2, 0.3);
    node.scaling.set(2, 2, 2);
    node.showBounds = true;
    const box = CreateBox("table", { size: 1 }, scene);
    box.position.x = -4;
    return { engine, scene, node };
}

async function LoadInto(json: unknown): Promise<{ engine: Engine; scene: Scene }> {
    const engine = new Engine(document.createElement("canvas"));
    const scene = new Scene(engine);
    await AppendSceneAsync(`data:${JSON.stringify(json)}`, scene, { pluginExtension: ".babylon" });
    return { engine, scene };
}

/** Waits until the node has a field or a load error (fields load asynchronously). */
async function SettledAsync(node: NerfNode): Promise<void> {
    for (let i = 0; i < 200 && !node.field && !node.loadError; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
    }
}

describe("NerfNode in saved scenes", () => {
    beforeAll(() => RegisterNerfObjectNodeParser());

    it("round-trips through a .babylon scene with the field embedded", async () => {
        const original = MakeScene();
        const { scene: json } = await SerializeSceneWithNerfNodesAsync(original.scene);
        expect((json[NerfNodesSceneKey] as unknown[]).length).toBe(1);
        const loaded = await LoadInto(json);
        const node = loaded.scene.meshes.find((mesh) => mesh instanceof NerfNode) as NerfNode;
        expect(node).toBeDefined();
        await SettledAsync(node);
        expect(node.loadError).toBeNull();
        expect(node.position.asArray()).toEqual([1, 2, 3]);
        expect(node.scaling.asArray()).toEqual([2, 2, 2]);
        expect(node.rotation.z).toBeCloseTo(0.3, 6);
        expect(node.showBounds).toBeTrue();
        const before = original.node.field!;
        const after = node.field!;
        expect(after.params.gridSize).toEqual(before.params.gridSize);
        for (let i = 0; i < before.density.length; i += 97) {
            expect(Math.abs(after.density[i] - before.density[i])).toBeLessThanOrEqual(Math.abs(before.density[i]) * 1e-3 + 1e-3);
        }
        expect(loaded.scene.getMeshByName("table")).not.toBeNull();
        expect(loaded.scene.meshes.filter((mesh) => mesh.name === "scan").length).withContext("the node is not also loaded as a plain mesh").toBe(1);
        loaded.scene.dispose();
        original.scene.dispose();
    });

    it("brings a NerfObjectNode back as a NerfObjectNode (each node class registers its own kind)", async () => {
        const original = MakeScene();
        const object = new NerfObjectNode("mug", original.scene, { ...SphereField({ grid: 16, radius: 0.2 }), metadata: { iterations: 1, objectName: "mug" } }, original.node);
        object.position.x += 0.5;
        const { scene: json } = await SerializeSceneWithNerfNodesAsync(original.scene);
        expect((json[NerfNodesSceneKey] as { kind: string }[]).map((entry) => entry.kind)).toEqual(["NerfNode", "NerfObjectNode"]);
        const loaded = await LoadInto(json);
        const back = loaded.scene.meshes.find((mesh) => mesh.name === "mug");
        expect(back).toBeInstanceOf(NerfObjectNode);
        await SettledAsync(back as NerfObjectNode);
        expect((back as NerfObjectNode).field?.metadata.objectName).toBe("mug");
        expect(back!.position.x).toBeCloseTo(object.position.x, 6);
        loaded.scene.dispose();
        original.scene.dispose();
    });

    it("writes fields as sidecar files when asked", async () => {
        const original = MakeScene();
        const { scene: json, sidecars } = await SerializeSceneWithNerfNodesAsync(original.scene, { embedFields: false });
        expect([...sidecars.keys()]).toEqual(["scan.field.bin"]);
        const entry = (json[NerfNodesSceneKey] as { field: { url: string } }[])[0];
        expect(entry.field.url).toBe("scan.field.bin");
        original.scene.dispose();
    });

    it("loads the rest of the scene when a field is corrupt or missing, with a clear error", async () => {
        const original = MakeScene();
        const { scene: json } = await SerializeSceneWithNerfNodesAsync(original.scene);
        const corrupt = structuredClone(json) as Record<string, { field: { data?: string; url?: string } }[]>;
        corrupt[NerfNodesSceneKey][0].field.data = btoa("SNRF this is not a field");
        const errors: string[] = [];
        const observer = NerfNodeLoadErrorObservable.add(({ message }) => errors.push(message));
        const loaded = await LoadInto(corrupt);
        const node = loaded.scene.meshes.find((mesh) => mesh instanceof NerfNode) as NerfNode;
        await SettledAsync(node);
        expect(node.field).toBeNull();
        expect(node.loadError).toMatch(/^NerfNode "scan": its field could not be loaded \(scan \(embedded field\): .*\); the rest of the scene is loaded$/);
        expect(loaded.scene.getMeshByName("table")).not.toBeNull();
        const missing = structuredClone(json) as Record<string, { field: { data?: string; url?: string } }[]>;
        missing[NerfNodesSceneKey][0].field = { url: "nowhere/scan.field.bin" };
        const loadedMissing = await LoadInto(missing);
        const orphan = loadedMissing.scene.meshes.find((mesh) => mesh instanceof NerfNode) as NerfNode;
        await SettledAsync(orphan);
        expect(orphan.loadError).toMatch(/nowhere\/scan\.field\.bin: file not found/);
        expect(errors.length).toBe(2);
        NerfNodeLoadErrorObservable.remove(observer);
        loaded.scene.dispose();
        loadedMissing.scene.dispose();
        original.scene.dispose();
    });
});

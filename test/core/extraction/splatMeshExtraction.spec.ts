import { ChamferDistance } from "@plugin/core/evaluation/chamferDistance";
import { ReadGlbTriangles } from "@plugin/core/evaluation/glbReader";
import { ExtractSplatMesh } from "@plugin/core/extraction/splatMeshExtraction";
import { SelectSplats, WriteSplat } from "@plugin/core/splats/splatCloud";
import { Spheres } from "@test/helpers/fusionFixture";
import { OpenEdgeCount, SphereMesh } from "@test/helpers/meshFixtures";
import { SampleSceneSplatsAsync, TwoSphereSplats } from "@test/helpers/splatFixtures";

/** Chamfer distance as a percentage of the true mesh's bounding-box diagonal. */
function ChamferPercent(mesh: Parameters<typeof ChamferDistance>[0], truth: Parameters<typeof ChamferDistance>[1]): number {
    const { distance, truthDiagonal } = ChamferDistance(mesh, truth, 20000);
    return (distance / truthDiagonal) * 100;
}

describe("objects: meshes from Gaussian splats", () => {
    const scene = TwoSphereSplats();

    it("turns a sphere's surface splats into one closed outer surface, coloured like them, within the budgets", () => {
        const sphere = SelectSplats(scene.cloud, scene.labels.map((label) => (label === 1 ? 1 : 0)), "sphere 1");
        const mesh = ExtractSplatMesh(sphere, { resolution: 64, triangleBudget: 20000, collisionBudget: 150 });
        expect(mesh.stats.triangles).toBeLessThanOrEqual(20000);
        // the splats (sigma 7% of the radius) hold no detail finer than themselves: the grid is coarser than asked
        expect(Math.max(...mesh.stats.resolution)).toBeLessThan(50);
        expect(mesh.stats.collisionTriangles).toBeLessThanOrEqual(150);
        expect(mesh.stats.support).toBeNull();
        expect(ChamferPercent(mesh, SphereMesh(Spheres[0].centre, Spheres[0].radius))).withContext("Chamfer, % of the bbox diagonal").toBeLessThan(2.5);
        // no inner sheet (the hollow inside the shell is filled): every vertex near the radius, normals outward
        let inner = 0;
        let outward = 0;
        let coloured = 0;
        for (let v = 0; v < mesh.positions.length; v += 3) {
            const d = [0, 1, 2].map((a) => mesh.positions[v + a] - Spheres[0].centre[a]);
            inner += Math.hypot(d[0], d[1], d[2]) < Spheres[0].radius * 0.85 ? 1 : 0;
            outward += d[0] * mesh.normals[v] + d[1] * mesh.normals[v + 1] + d[2] * mesh.normals[v + 2] > 0 ? 1 : 0;
            coloured += [0, 1, 2].every((c) => Math.abs(mesh.colors[v + c] - Spheres[0].colour[c]) < 0.05) ? 1 : 0;
        }
        const vertices = mesh.positions.length / 3;
        expect(inner).withContext("vertices inside the shell").toBe(0);
        expect(outward / vertices).toBeGreaterThan(0.98);
        expect(coloured / vertices).toBeGreaterThan(0.95);
        expect(OpenEdgeCount(mesh.indices)).withContext("open edges").toBe(0);
    });

    it("keeps splats thinner than the grid spacing (flat discs) and leaves a far stray splat out of the grid", () => {
        const sphere = SelectSplats(scene.cloud, scene.labels.map((label) => (label === 1 ? 1 : 0)), "sphere 1");
        // one stray splat twenty radii away, as a wrong label leaves it
        const rows = new ArrayBuffer(sphere.rows.byteLength + 32);
        new Uint8Array(rows).set(new Uint8Array(sphere.rows));
        WriteSplat(rows, sphere.count, { position: [Spheres[0].centre[0] + 20 * Spheres[0].radius, 0, 0], scale: [0.01, 0.01, 0.01], rotation: [1, 0, 0, 0], color: [1, 1, 1], opacity: 1 });
        const withStray = { ...sphere, count: sphere.count + 1, rows };
        const coarse = ExtractSplatMesh(withStray, { resolution: 32 });
        // the grid spans the sphere, not the stray splat: about 32 points across the sphere
        expect(Math.max(...coarse.stats.resolution)).toBeLessThan(60);
        expect(ChamferPercent(coarse, SphereMesh(Spheres[0].centre, Spheres[0].radius))).toBeLessThan(3);
    });

    it("names the splats when there is nothing to extract", () => {
        const empty = SelectSplats(scene.cloud, new Uint8Array(scene.cloud.count), "nothing");
        expect(() => ExtractSplatMesh(empty)).toThrowError(/nothing: no splats/);
        // a few small half-transparent splats, apart: none stops half the light, and none is wide
        // enough to have a core no line of clear space reaches (which would count as solid)
        const rows = new ArrayBuffer(3 * 32);
        [0, 1, 2].forEach((i) => WriteSplat(rows, i, { position: [i * 0.5, 0, 0], scale: [0.01, 0.01, 0.01], rotation: [1, 0, 0, 0], color: [1, 1, 1], opacity: 0.3 }));
        expect(() => ExtractSplatMesh({ name: "faint.splat", count: 3, rows, shDegree: 0 }, { resolution: 32 })).toThrowError(/faint.splat: .*no surface/);
    });

    it("extracts the sample scenes' objects from their true splats as closed meshes close to the true ones", async () => {
        // the sample scenes are y-up; their splats cover only what the cameras saw (open under each object)
        for (const [name, objects] of [["tabletop", [1, 3, 4]], ["hard", [1, 2]]] as const) {
            const { scene: labelled } = await SampleSceneSplatsAsync(name);
            for (const id of objects) {
                const object = SelectSplats(labelled.cloud, labelled.labels.map((label) => (label === id ? 1 : 0)), `${name} ${id}`);
                const mesh = ExtractSplatMesh(object, { up: [0, 1, 0] });
                const truth = ReadGlbTriangles(await (await fetch(`/base/sample-scenes/captures/${name}/meshes/object_0${id}.glb`)).arrayBuffer(), `object_0${id}.glb`);
                expect(ChamferPercent(mesh, truth)).withContext(`${name} object ${id}: Chamfer, % of the true mesh's diagonal`).toBeLessThan(2.5);
                expect(OpenEdgeCount(mesh.indices)).withContext(`${name} object ${id}: open edges`).toBe(0);
                let notUnit = 0;
                for (let v = 0; v < mesh.normals.length; v += 3) {
                    notUnit += Math.abs(Math.hypot(mesh.normals[v], mesh.normals[v + 1], mesh.normals[v + 2]) - 1) > 1e-3 ? 1 : 0;
                }
                expect(notUnit).withContext(`${name} object ${id}: normals not of unit length`).toBe(0);
                expect(mesh.stats.triangles).toBeLessThanOrEqual(60000);
            }
        }
    });
});

import { ExtractObjectMesh } from "@plugin/core/extraction/objectExtraction";
import { ChamferDistance } from "@plugin/core/evaluation/chamferDistance";
import { ReadGlbTriangles } from "@plugin/core/evaluation/glbReader";
import { ClusterVertices, DecimateToBudget } from "@plugin/core/geometry/meshDecimation";
import { SurfaceNets } from "@plugin/core/geometry/surfaceNets";
import { MaskRadianceField, ObjectProbabilityAt } from "@plugin/core/extraction/maskedRadianceField";
import { MarchToSurface } from "@plugin/core/nerf/fieldSurface";
import { SphereObjectField, Spheres, TwoSphereField } from "@test/helpers/fusionFixture";
import { SphereMesh } from "@test/helpers/meshFixtures";

describe("objects: masked fields and mesh extraction", () => {
    const field = TwoSphereField(48);
    const objectField = SphereObjectField();

    it("masks the radiance field to the object (cropped) or cuts the object out", () => {
        expect(ObjectProbabilityAt(objectField, 1, Spheres[0].centre)).toBeGreaterThan(0.99);
        expect(ObjectProbabilityAt(objectField, 1, Spheres[1].centre)).toBeLessThan(0.01);
        const only = MaskRadianceField(field, objectField, 1, "object");
        const without = MaskRadianceField(field, objectField, 1, "without");
        // the object's field is cropped around sphere 1
        expect(only.params.boundsMin[0]).toBeGreaterThan(-0.8);
        expect(only.params.boundsMax[0]).toBeLessThan(Spheres[1].centre[0]);
        const down: [number, number, number] = [0, -1, 0];
        const above = (centre: readonly number[]): [number, number, number] => [centre[0], 1.5, centre[2]];
        expect(MarchToSurface(only, above(Spheres[0].centre), down)).not.toBeNull();
        expect(MarchToSurface(without, above(Spheres[0].centre), down)).toBeNull();
        expect(MarchToSurface(without, above(Spheres[1].centre), down)).not.toBeNull();
        expect(MarchToSurface(field, above(Spheres[0].centre), down)).withContext("the input is untouched").not.toBeNull();
    });

    it("extracts the object as a closed, coloured mesh within a budget, close to the true surface (Chamfer)", () => {
        const extracted = ExtractObjectMesh(field, objectField, 1, { resolution: 64, triangleBudget: 4000, collisionBudget: 200 });
        expect(extracted.stats.triangles).toBeLessThanOrEqual(4000);
        expect(extracted.stats.rawTriangles).toBeGreaterThan(extracted.stats.triangles);
        expect(extracted.stats.collisionTriangles).toBeLessThanOrEqual(200);
        expect(extracted.stats.collisionTriangles).toBeGreaterThan(20);
        const { distance, truthDiagonal } = ChamferDistance(extracted, SphereMesh(Spheres[0].centre, Spheres[0].radius), 20000);
        expect((distance / truthDiagonal) * 100).withContext("Chamfer, % of the bbox diagonal").toBeLessThan(1.5);
        // normals point outward, colours are the sphere's red
        let outward = 0;
        let red = 0;
        for (let v = 0; v < extracted.positions.length; v += 3) {
            const d = [0, 1, 2].map((a) => extracted.positions[v + a] - Spheres[0].centre[a]);
            outward += d[0] * extracted.normals[v] + d[1] * extracted.normals[v + 1] + d[2] * extracted.normals[v + 2] > 0 ? 1 : 0;
            red += extracted.colors[v] > 0.6 && extracted.colors[v + 2] < 0.4 ? 1 : 0;
        }
        const vertices = extracted.positions.length / 3;
        expect(outward / vertices).toBeGreaterThan(0.98);
        expect(red / vertices).toBeGreaterThan(0.9);
    });

    it("keeps every large piece of an object and drops blobs far smaller than the largest", () => {
        // the whole field as one object (both spheres), plus a small dense blob between them
        const n = 48;
        const spacing = 1.6 / (n - 1);
        const density = Float32Array.from(field.density);
        const blob = [0, 0.55, 0];
        for (let v = 0; v < density.length; v++) {
            const p = [-0.8 + (v % n) * spacing, -0.8 + (Math.floor(v / n) % n) * spacing, -0.8 + Math.floor(v / (n * n)) * spacing];
            const inside = 0.08 - Math.hypot(p[0] - blob[0], p[1] - blob[1], p[2] - blob[2]);
            density[v] = Math.max(density[v], Math.max(-30, Math.min(200, (inside / spacing) * 60)));
        }
        const everything = { ...objectField, logits: new Float32Array(objectField.logits.length).fill(8) };
        const withBlob = { ...field, density };
        const highest = (mesh: { positions: Float32Array; indices: Uint32Array }): number => {
            let top = -Infinity;
            mesh.indices.forEach((i) => (top = Math.max(top, mesh.positions[i * 3 + 1])));
            return top;
        };
        const kept = ExtractObjectMesh(withBlob, everything, 1, { resolution: 64, triangleBudget: 1e6, minPieceFraction: 0 });
        const filtered = ExtractObjectMesh(withBlob, everything, 1, { resolution: 64, triangleBudget: 1e6 });
        expect(highest(kept)).withContext("the blob is there without the filter").toBeGreaterThan(0.6);
        expect(new Set(filtered.indices).size).withContext("the dropped pieces' vertices go too").toBe(filtered.positions.length / 3);
        expect(highest(filtered)).withContext("the blob (about 9% of a sphere's triangles) is dropped").toBeLessThan(Spheres[1].centre[1] + Spheres[1].radius + 0.05);
        // both spheres (similar sizes) stay
        let left = 0;
        let right = 0;
        filtered.indices.forEach((i) => (filtered.positions[i * 3] < 0 ? left++ : right++));
        expect(Math.min(left, right) / Math.max(left, right)).withContext("both spheres kept").toBeGreaterThan(0.5);
    });

    it("surface nets give a watertight sphere; clustering and budgets reduce it", () => {
        const n = 24;
        const values = new Float32Array(n * n * n).map((_, v) => 0.5 - Math.hypot((v % n) - 11.5, (Math.floor(v / n) % n) - 11.5, Math.floor(v / (n * n)) - 11.5) / 8);
        const mesh = SurfaceNets({ size: [n, n, n], boundsMin: [0, 0, 0], spacing: [1, 1, 1], values }, 0);
        const edges = new Map<string, number>();
        for (let t = 0; t < mesh.indices.length; t += 3) {
            for (let e = 0; e < 3; e++) {
                const a = mesh.indices[t + e];
                const b = mesh.indices[t + ((e + 1) % 3)];
                const key = a < b ? `${a},${b}` : `${b},${a}`;
                edges.set(key, (edges.get(key) ?? 0) + 1);
            }
        }
        expect([...edges.values()].every((count) => count === 2)).withContext("every edge shared by two triangles").toBeTrue();
        const coloured = { ...mesh, colors: new Float32Array(mesh.positions.length).fill(0.5) };
        expect(ClusterVertices(coloured, 3).indices.length).toBeLessThan(mesh.indices.length);
        expect(DecimateToBudget(coloured, 100).indices.length / 3).toBeLessThanOrEqual(100);
    });

    it("reads the sample scenes' ground-truth GLB meshes", async () => {
        const response = await fetch("/base/sample-scenes/captures/tabletop/meshes/object_01.glb");
        const mesh = ReadGlbTriangles(await response.arrayBuffer(), "object_01.glb");
        expect(mesh.indices.length).toBe(8112);
        expect(mesh.positions.length).toBe(1431 * 3);
        expect(() => ReadGlbTriangles(new ArrayBuffer(40), "x.glb")).toThrowError(/x\.glb: not a GLB file/);
    });
});

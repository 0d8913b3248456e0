import { OccupancyCellCount, ShC0 } from "@shaders/nerf/fieldMath";
import { RenderViewCpu } from "@plugin/core/nerf/cpuFieldRenderer";
import type { FieldView } from "@plugin/core/nerf/gpuFieldRenderer";
import type { RadianceFieldData } from "@plugin/core/nerf/radianceFieldData";
import type { ObjectFieldData } from "@plugin/core/fusion/objectFieldTypes";
import { PsnrBetween } from "@plugin/core/evaluation/imageMetrics";
import { EmptyFieldSplatsError, FieldToSplats } from "@plugin/core/splats/fieldSplats";
import { ReadSplat } from "@plugin/core/splats/splatCloud";
import type { SplatCloud } from "@plugin/core/splats/splatCloud";
import { ReadSplatFileAsync } from "@plugin/core/splats/splatFile";
import { WriteCloudAsPly } from "@plugin/core/splats/splatPlyWriter";
import { SplatRasterizer } from "@plugin/core/splats/splatRasterizer";
import { EncodeSpzAsync } from "@plugin/core/splats/spzCodec";
import { ContractedField } from "@test/helpers/contractedField";
import { LookAtRows } from "@test/helpers/imageFixtures";
import { SphereField } from "@test/helpers/sphereField";

/** A sphere field whose colour varies over the sphere (so colours, not only the silhouette, are compared). */
function ColouredSphereField(options: { centre?: [number, number, number]; radius?: number } = {}): RadianceFieldData {
    const field = SphereField({ grid: 40, ...options });
    const n = field.params.gridSize[0];
    const sh = new Float32Array(field.sh.length);
    for (let v = 0; v < n * n * n; v++) {
        const u = [v % n, Math.floor(v / n) % n, Math.floor(v / (n * n))].map((g) => g / (n - 1));
        const colour = [0.15 + 0.7 * u[0], 0.25 + 0.6 * u[1], 0.8 - 0.6 * u[2]];
        for (let c = 0; c < 3; c++) {
            sh[v * 12 + c * 4] = Math.log(colour[c] / (1 - colour[c])) / ShC0;
        }
    }
    return { ...field, sh };
}

/** Two spheres side by side along x (the left one is object 1 of {@link LeftObjectField}). */
function TwoSphereField(): RadianceFieldData {
    const left = ColouredSphereField({ centre: [-0.38, 0, 0], radius: 0.28 });
    const right = ColouredSphereField({ centre: [0.38, 0, 0], radius: 0.28 });
    const density = left.density.map((d, v) => Math.max(d, right.density[v]));
    const occupancy = new Uint32Array(Math.ceil(OccupancyCellCount(left.params) / 32)).map((_, w) => left.occupancy[w] | right.occupancy[w]);
    return { ...left, density, occupancy };
}

/** A one-object (sigmoid) object field on the field's box: the object is everything at x < 0. */
function LeftObjectField(field: RadianceFieldData): ObjectFieldData {
    const n = 20;
    const logits = new Float32Array(n * n * n);
    for (let v = 0; v < logits.length; v++) {
        const x = field.params.boundsMin[0] + ((v % n) / (n - 1)) * (field.params.boundsMax[0] - field.params.boundsMin[0]);
        logits[v] = x < 0 ? 8 : -8;
    }
    return {
        grid: { boundsMin: field.params.boundsMin, boundsMax: field.params.boundsMax, gridSize: [n, n, n], channels: 1, mode: "sigmoid" },
        logits,
        objects: [{ id: 1, name: "left" }],
        metadata: { iterations: 0, rayPair: false },
    };
}

const intrinsics = { fx: 90, fy: 90, cx: 32, cy: 32, width: 64, height: 64 };
const views: FieldView[] = [
    [2.2, 0.4, 0.3],
    [-0.6, 0.9, 2.0],
    [0.3, -2.1, -0.8],
].map((eye) => ({ cameraToWorld: LookAtRows(eye as [number, number, number], [0, 0, 0]).flat(), intrinsics }));

/** The splats' render composited on white, as an RGBA image, and its coverage. */
async function RenderSplatsOnWhiteAsync(cloud: SplatCloud, view: FieldView): Promise<{ image: { width: number; height: number; data: Uint8ClampedArray }; opacity: Float32Array }> {
    const render = await new SplatRasterizer(null).renderAsync(cloud, view);
    const data = new Uint8ClampedArray(render.width * render.height * 4);
    for (let p = 0; p < render.width * render.height; p++) {
        for (let c = 0; c < 3; c++) {
            data[p * 4 + c] = Math.round((render.color[p * 3 + c] + 1 - render.opacity[p]) * 255);
        }
        data[p * 4 + 3] = 255;
    }
    return { image: { width: render.width, height: render.height, data }, opacity: render.opacity };
}

/** Mean PSNR and mean silhouette IoU (opacity >= 0.5) of the splats against the field's own render over the views. */
async function CompareWithFieldAsync(field: RadianceFieldData, cloud: SplatCloud, cameras = views): Promise<{ psnr: number; iou: number }> {
    let psnr = 0;
    let iou = 0;
    for (const view of cameras) {
        const reference = RenderViewCpu(field, view);
        const splats = await RenderSplatsOnWhiteAsync(cloud, view);
        psnr += PsnrBetween(splats.image, { width: reference.width, height: reference.height, data: reference.color });
        let both = 0;
        let either = 0;
        for (let p = 0; p < reference.opacity.length; p++) {
            const a = reference.opacity[p] >= 0.5;
            const b = splats.opacity[p] >= 0.5;
            both += a && b ? 1 : 0;
            either += a || b ? 1 : 0;
        }
        iou += both / Math.max(1, either);
    }
    return { psnr: psnr / cameras.length, iou: iou / cameras.length };
}

/** A soft blob: density falling off smoothly over several cells (a translucent halo around a dense core). */
function SoftBlobField(): RadianceFieldData {
    const field = ColouredSphereField();
    const n = field.params.gridSize[0];
    const density = new Float32Array(field.density.length);
    for (let v = 0; v < density.length; v++) {
        const p = [v % n, Math.floor(v / n) % n, Math.floor(v / (n * n))].map((g) => -0.8 + (g / (n - 1)) * 1.6);
        const sigma = 40 * Math.exp(-((Math.hypot(p[0] - 0.05, p[1], p[2] + 0.05) / 0.3) ** 2));
        density[v] = (sigma > 15 ? sigma : Math.log(Math.max(1e-12, Math.expm1(sigma)))) - field.params.densityShift;
    }
    const cells = OccupancyCellCount(field.params);
    return { ...field, density, occupancy: new Uint32Array(Math.ceil(cells / 32)).fill(0xffffffff) };
}

describe("FieldToSplats", () => {
    const field = ColouredSphereField();

    it("exports a field as splats that render like the field (CPU rasterizer vs the field's CPU render, 3 views)", async () => {
        const cloud = FieldToSplats(field);
        expect(cloud.count).toBeGreaterThan(1000);
        expect(cloud.shDegree).toBe(0);
        const { psnr, iou } = await CompareWithFieldAsync(field, cloud);
        console.info(`fieldSplats: sphere field ${field.params.gridSize.join("x")}: ${cloud.count} splats, PSNR ${psnr.toFixed(2)} dB vs the field's render, silhouette IoU ${iou.toFixed(3)}`);
        expect(psnr).toBeGreaterThan(23.5);
        expect(iou).toBeGreaterThan(0.9);
    });

    it("sizes splats so neighbours overlap: on a soft field, where the opacity model is exact, the default renders closer than splats half or twice as large", async () => {
        const blob = SoftBlobField();
        const figures: Record<string, number> = {};
        for (const size of [0.25, 0.5, 1]) {
            figures[size] = (await CompareWithFieldAsync(blob, FieldToSplats(blob, { sizeInSpacings: size }))).psnr;
        }
        console.info(`fieldSplats: soft blob, PSNR by splat size (grid spacings): ${JSON.stringify(figures)}`);
        expect(figures[0.5]).toBeGreaterThan(30);
        expect(figures[0.5]).toBeGreaterThan(figures[0.25] + 2);
        expect(figures[0.5]).toBeGreaterThan(figures[1] + 2);
    });

    it("puts each splat in its grid point's cell, in capture coordinates; inside a solid, at the point, round, with the field's colour", () => {
        const cloud = FieldToSplats(field);
        const { boundsMin, boundsMax, gridSize } = field.params;
        const h = (boundsMax[0] - boundsMin[0]) / (gridSize[0] - 1);
        let interior = 0;
        for (let i = 0; i < cloud.count; i++) {
            const splat = ReadSplat(cloud, i);
            const g = splat.position.map((p, a) => (p - boundsMin[a]) / h);
            g.forEach((value) => expect(Math.abs(value - Math.round(value))).toBeLessThanOrEqual(3 / 8 + 1e-3));
            const distance = Math.hypot(splat.position[0] - 0.1, splat.position[1] + 0.05, splat.position[2] - 0.05);
            expect(distance).toBeLessThan(0.45 + h);
            splat.scale.forEach((s) => expect(s).toBeLessThanOrEqual(0.5 * h * (1 + 1e-5)));
            // where the density is uniform (it saturates 3.3 spacings inside the surface)
            if (distance > 0.45 - 4.5 * h) {
                continue;
            }
            interior++;
            g.forEach((value) => expect(Math.abs(value - Math.round(value))).toBeLessThan(1e-3));
            splat.scale.forEach((s) => expect(s).toBeCloseTo(0.5 * h, 4));
            expect(splat.opacity).toBeGreaterThan(0.99);
            const v = Math.round(g[0]) + gridSize[0] * (Math.round(g[1]) + gridSize[1] * Math.round(g[2]));
            const expected = [0, 1, 2].map((c) => 1 / (1 + Math.exp(-ShC0 * field.sh[v * 12 + c * 4])));
            splat.color.forEach((c, k) => expect(Math.abs(c - expected[k])).toBeLessThanOrEqual(1 / 255));
        }
        expect(interior).toBeGreaterThan(cloud.count / 10);
    });

    it("exports one fused object: only splats inside the object", () => {
        const scene = TwoSphereField();
        const objectField = LeftObjectField(scene);
        const whole = FieldToSplats(scene);
        const object = FieldToSplats(scene, { object: { objectField, objectId: 1 } });
        const h = 1.6 / 39;
        let leftOfWhole = 0;
        for (let i = 0; i < whole.count; i++) {
            leftOfWhole += ReadSplat(whole, i).position[0] < 0 ? 1 : 0;
        }
        for (let i = 0; i < object.count; i++) {
            const p = ReadSplat(object, i).position;
            expect(Math.hypot(p[0] + 0.38, p[1], p[2])).toBeLessThan(0.28 + h);
        }
        expect(object.count).toBeGreaterThan(0.9 * leftOfWhole);
        expect(object.count).toBeLessThanOrEqual(leftOfWhole);
    });

    it("round-trips through a 3DGS PLY and SPZ (ReadSplatFileAsync): same count and positions", async () => {
        const cloud = FieldToSplats(field);
        const ply = await ReadSplatFileAsync(WriteCloudAsPly(cloud), "field.ply");
        const spz = await ReadSplatFileAsync(await EncodeSpzAsync(cloud), "field.spz");
        expect(ply.format).toBe("ply");
        expect(spz.format).toBe("spz");
        expect(ply.cloud.count).toBe(cloud.count);
        expect(spz.cloud.count).toBe(cloud.count);
        let plyError = 0;
        let spzError = 0;
        let opacityError = 0;
        for (let i = 0; i < cloud.count; i++) {
            const original = ReadSplat(cloud, i);
            const fromPly = ReadSplat(ply.cloud, i);
            const fromSpz = ReadSplat(spz.cloud, i);
            for (let a = 0; a < 3; a++) {
                plyError = Math.max(plyError, Math.abs(fromPly.position[a] - original.position[a]));
                spzError = Math.max(spzError, Math.abs(fromSpz.position[a] - original.position[a]));
            }
            opacityError = Math.max(opacityError, Math.abs(fromPly.opacity - original.opacity));
        }
        expect(plyError).toBe(0);
        expect(spzError).toBeLessThan(1e-3);
        expect(opacityError).toBeLessThanOrEqual(1.5 / 255);
    });

    it("exports only the inner box of a contracted field by default, and the background shell on request", () => {
        const contracted = ContractedField();
        const inner = FieldToSplats(contracted);
        const { boundsMin, boundsMax } = contracted.params;
        for (let i = 0; i < inner.count; i++) {
            ReadSplat(inner, i).position.forEach((p, a) => {
                expect(p).toBeGreaterThanOrEqual(boundsMin[a] - 1e-5);
                expect(p).toBeLessThanOrEqual(boundsMax[a] + 1e-5);
            });
        }
        const all = FieldToSplats(contracted, { background: true });
        expect(all.count).toBeGreaterThan(inner.count);
        let farthest = 0;
        for (let i = 0; i < all.count; i++) {
            const splat = ReadSplat(all, i);
            farthest = Math.max(farthest, Math.max(...splat.position.map(Math.abs)));
            splat.scale.forEach((s) => expect(Number.isFinite(s) && s > 0).toBeTrue());
        }
        // the wall lies beyond 5 half extents of the box
        expect(farthest).toBeGreaterThan(2.5);
    });

    it("fails with a clear error on an empty field, and keeps the field as it was", () => {
        const empty: RadianceFieldData = { ...field, density: new Float32Array(field.density.length).fill(-30) };
        expect(() => FieldToSplats(empty, { name: "empty capture" })).toThrowMatching((error: unknown) => error instanceof EmptyFieldSplatsError && /"empty capture" has no occupied grid point/.test((error as Error).message));
        const unoccupied: RadianceFieldData = { ...field, occupancy: new Uint32Array(field.occupancy.length) };
        expect(() => FieldToSplats(unoccupied)).toThrowError(EmptyFieldSplatsError);
        expect(() => FieldToSplats(field, { sizeInSpacings: 0 })).toThrowError(/splat size 0 must be > 0/);
    });
});

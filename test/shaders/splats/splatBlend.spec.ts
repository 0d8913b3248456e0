import { ComputeKernel } from "@plugin/core/gpu/computeKernel";
import { SplatRasterizer } from "@plugin/core/splats/splatRasterizer";
import { ProjectSplats } from "@plugin/core/splats/splatProjection";
import { SplatRowBytes, WriteSplat } from "@plugin/core/splats/splatCloud";
import { SplatBlendKernel } from "@shaders/splats/splatKernels";
import { RingViews, TrueLabels } from "@test/helpers/fusionFixture";
import { RandomSplatCloud, TwoSphereSplats } from "@test/helpers/splatFixtures";
import { RequireGpuAsync } from "@test/helpers/webGpu";
import { MaxAbsDiff } from "../parity";

describe("splatBlend kernel", () => {
    it("compiles", async () => {
        const context = await RequireGpuAsync();
        await expectAsync(ComputeKernel.CreateAsync(context, SplatBlendKernel)).toBeResolved();
    });

    it("renders like its CPU twin (colour, opacity, depth) on random splats", async () => {
        const context = await RequireGpuAsync();
        const cloud = RandomSplatCloud(300, 11);
        for (const view of RingViews(2, 40)) {
            const gpu = await new SplatRasterizer(context).renderAsync(cloud, view);
            const cpu = await new SplatRasterizer(null).renderAsync(cloud, view);
            expect(MaxAbsDiff(gpu.color, cpu.color)).toBeLessThan(2e-3);
            expect(MaxAbsDiff(gpu.opacity, cpu.opacity)).toBeLessThan(2e-3);
            expect(MaxAbsDiff(gpu.depth, cpu.depth)).toBeLessThan(1e-2);
            expect(Math.max(...cpu.opacity)).toBeGreaterThan(0.9);
        }
    });

    it("sums label weights like its CPU twin over several views", async () => {
        const context = await RequireGpuAsync();
        const { cloud } = TwoSphereSplats(200, 100);
        const views = RingViews(3, 32).map((view) => ({ view, labels: TrueLabels(view) }));
        for (const vote of ["footprint", "footprintSquared", "centre"] as const) {
            const gpu = await new SplatRasterizer(context).sumLabelWeightsAsync(cloud, views, 3, { vote });
            const cpu = await new SplatRasterizer(null).sumLabelWeightsAsync(cloud, views, 3, { vote });
            expect(gpu.length).toBe(cloud.count * 3);
            const largest = Math.max(...cpu);
            expect(largest).withContext(vote).toBeGreaterThan(vote === "centre" ? 0.5 : 1);
            expect(MaxAbsDiff(gpu, cpu) / largest).withContext(vote).toBeLessThan(1e-3);
        }
    });

    it("reads a centre vote's labels at the splat's centre: shared between the pixels around it by bilinear weights", async () => {
        // one splat projecting to u = 16.3, v = 16: between the centres of columns 15 and 16 (0.2 / 0.8),
        // of rows 15 and 16 (0.5 / 0.5); columns up to 15 are object 1, the rest object 2
        const rows = new ArrayBuffer(SplatRowBytes);
        WriteSplat(rows, 0, { position: [0.015, 0, 0], scale: [0.05, 0.05, 0.05], rotation: [1, 0, 0, 0], color: [1, 1, 1], opacity: 0.8 });
        const cloud = { name: "one.splat", count: 1, rows, shDegree: 0 };
        const view = { cameraToWorld: Float64Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 2, 0, 0, 0, 1]), intrinsics: { fx: 40, fy: 40, cx: 16, cy: 16, width: 32, height: 32 } };
        const labels = Uint8Array.from({ length: 32 * 32 }, (_, p) => (p % 32 <= 15 ? 1 : 2));
        for (const context of [await RequireGpuAsync(), null]) {
            const votes = await new SplatRasterizer(context).sumLabelWeightsAsync(cloud, [{ view, labels }], 3, { vote: "centre" });
            expect(votes[0]).toBe(0);
            expect(votes[2] / votes[1]).withContext(context ? "GPU" : "CPU").toBeCloseTo(4, 3);
        }
    });

    it("draws one splat where EWA projection puts it: opacity at its centre, the right depth, the right spread", async () => {
        const rows = new ArrayBuffer(SplatRowBytes);
        // an isotropic splat of sigma 0.05 at the origin, seen from 2 units with f = 40 px: sigma about 1 px on screen
        WriteSplat(rows, 0, { position: [0, 0, 0], scale: [0.05, 0.05, 0.05], rotation: [1, 0, 0, 0], color: [1, 0.5, 0], opacity: 0.8 });
        const cloud = { name: "one.splat", count: 1, rows, shDegree: 0 };
        const view = { cameraToWorld: Float64Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 2, 0, 0, 0, 1]), intrinsics: { fx: 40, fy: 40, cx: 16, cy: 16, width: 32, height: 32 } };
        const projected = ProjectSplats(cloud, view);
        expect(projected.count).toBe(1);
        // sigma^2 = (f * s / d)^2 + 0.3 = 1 + 0.3
        expect(1 / projected.entries[4]).toBeCloseTo(1.3, 3);
        const render = await new SplatRasterizer(await RequireGpuAsync()).renderAsync(cloud, view);
        const centre = 15 * 32 + 15;
        const expectedAlpha = 0.8 * Math.exp(-0.5 * (0.25 / 1.3) * 2);
        expect(render.opacity[centre]).toBeCloseTo(expectedAlpha, 3);
        expect(render.color[centre * 3 + 1]).toBeCloseTo(expectedAlpha * 0.5, 2);
        expect(render.depth[centre]).toBeCloseTo(2, 4);
        expect(render.opacity[0]).toBe(0);
    });
});

import { ObjectFieldFusion } from "@plugin/core/fusion/objectFieldFusion";
import { FusionInputError } from "@plugin/core/fusion/fusionInputError";
import type { FusionMaskView, FusionOptions, ObjectFieldObject } from "@plugin/core/fusion/objectFieldTypes";
import { RequireGpuAsync } from "@test/helpers/webGpu";
import { LabelIou, RingMasks, RingViews, TrueLabels, TwoSphereField } from "@test/helpers/fusionFixture";

const field = TwoSphereField(40);
const views = RingViews(12, 48);
const holdout = [0, 6];
const train = views.map((_, i) => i).filter((i) => !holdout.includes(i));
const one: ObjectFieldObject[] = [{ id: 1, name: "red sphere" }];
const two: ObjectFieldObject[] = [
    { id: 1, name: "red sphere" },
    { id: 2, name: "blue sphere" },
];
const quick: Partial<FusionOptions> = { iterations: 150, raysPerBatch: 1024, progressInterval: 25, maxSamplesPerRay: 64, learningRate: 0.2 };

function Trained(masks: FusionMaskView[]): FusionMaskView[] {
    return masks.filter((mask) => train.includes(mask.frameIndex));
}

describe("ObjectFieldFusion (the mask aggregator)", () => {
    it("WebGPU and CPU engines follow the same steps (losses, logits, rendered masks), with and without the Ray-Pair loss", async () => {
        const gpu = await RequireGpuAsync();
        for (const objects of [one, two]) {
            const masks = Trained(RingMasks(views, objects.length === 1 ? 1 : 0, 9));
            const options: Partial<FusionOptions> = { iterations: 12, raysPerBatch: 256, progressInterval: 1, maxSamplesPerRay: 64, rayPairStart: 0.5 };
            const onGpu = await ObjectFieldFusion.CreateAsync({ field, views: masks, objects, options, context: gpu });
            const onCpu = await ObjectFieldFusion.CreateAsync({ field, views: masks, objects, options, context: null });
            expect([onGpu.backend, onCpu.backend]).toEqual(["webgpu", "cpu"]);
            const a = await onGpu.fuseAsync();
            const b = await onCpu.fuseAsync();
            a.history.forEach((step, i) => {
                expect(step.rayPairOn).toBe(i >= 6);
                expect(Math.abs(step.loss - b.history[i].loss)).withContext(`${objects.length} object(s), step ${i + 1}`).toBeLessThan(1e-3 * Math.max(1, b.history[i].loss));
            });
            let close = 0;
            a.field.logits.forEach((v, i) => (close += Math.abs(v - b.field.logits[i]) < 2e-3 ? 1 : 0));
            expect(close / a.field.logits.length).withContext("logits within 2e-3").toBeGreaterThan(0.995);
            const [ma, mb] = [await onGpu.renderMaskAsync(views[0]), await onCpu.renderMaskAsync(views[0])];
            expect(LabelIou(ma.labels, mb.labels, 1)).toBeGreaterThan(0.98);
            onGpu.dispose();
            onCpu.dispose();
        }
    });

    it("fuses noisy single-object masks into a field whose renders of held-out views beat the masks and match a fusion of clean masks (sigmoid)", async () => {
        const gpu = await RequireGpuAsync();
        const noisy = RingMasks(views, 1, 6);
        const fusion = await ObjectFieldFusion.CreateAsync({ field, views: Trained(noisy), objects: one, options: quick, context: gpu });
        const progress: number[] = [];
        const result = await fusion.fuseAsync((p) => progress.push(p.iteration));
        expect(progress).toEqual([25, 50, 75, 100, 125, 150]);
        expect(result.field.grid.mode).toBe("sigmoid");
        expect(result.field.grid.gridSize).toEqual([20, 20, 20]);
        const clean = await ObjectFieldFusion.CreateAsync({ field, views: Trained(RingMasks(views, 1)), objects: one, options: quick, context: gpu });
        await clean.fuseAsync();
        for (const index of holdout) {
            const truth = TrueLabels(views[index]).map((label) => (label === 1 ? 1 : 0));
            const fused = LabelIou((await fusion.renderMaskAsync(views[index])).labels, truth, 1);
            const reference = LabelIou((await clean.renderMaskAsync(views[index])).labels, truth, 1);
            const input = LabelIou(noisy[index].labels, truth, 1);
            // (the red sphere is about 7 px across at 48 px: its silhouette pixels bound the IoU)
            expect(reference).withContext(`view ${index}: fused from clean masks`).toBeGreaterThan(0.88);
            expect(fused).withContext(`view ${index}: fused from noisy masks vs clean`).toBeGreaterThan(reference - 0.03);
            expect(fused).withContext(`view ${index}: fused vs its noisy input mask`).toBeGreaterThan(input + 0.1);
        }
        fusion.dispose();
        clean.dispose();
    });

    it("fuses several objects at once (softmax with background)", async () => {
        const gpu = await RequireGpuAsync();
        const fusion = await ObjectFieldFusion.CreateAsync({ field, views: Trained(RingMasks(views, 0, 6)), objects: two, options: quick, context: gpu });
        const result = await fusion.fuseAsync();
        expect(result.field.grid.channels).toBe(3);
        expect(result.field.grid.mode).toBe("softmax");
        for (const index of holdout) {
            const rendered = await fusion.renderMaskAsync(views[index]);
            const truth = TrueLabels(views[index]);
            expect(LabelIou(rendered.labels, truth, 1)).withContext(`view ${index}, object 1`).toBeGreaterThan(0.88);
            expect(LabelIou(rendered.labels, truth, 2)).withContext(`view ${index}, object 2`).toBeGreaterThan(0.88);
        }
        fusion.dispose();
    });

    it("refines an existing field from new masks (warm start) instead of starting from zero", async () => {
        const gpu = await RequireGpuAsync();
        const first = await ObjectFieldFusion.CreateAsync({ field, views: Trained(RingMasks(views, 1, 6)), objects: one, options: quick, context: gpu });
        const coarse = (await first.fuseAsync()).field;
        first.dispose();
        const better = Trained(RingMasks(views, 1));
        const truth = TrueLabels(views[0]).map((label) => (label === 1 ? 1 : 0));
        const iouAfter = async (iterations: number, warmStart?: typeof coarse): Promise<{ iou: number; iterations: number }> => {
            const fusion = await ObjectFieldFusion.CreateAsync({ field, views: better, objects: one, options: { ...quick, iterations, progressInterval: iterations }, warmStart, context: gpu });
            const result = await fusion.fuseAsync();
            const iou = LabelIou((await fusion.renderMaskAsync(views[0])).labels, truth, 1);
            fusion.dispose();
            return { iou, iterations: result.field.metadata.iterations };
        };
        const warmOne = await iouAfter(1, coarse);
        const coldOne = await iouAfter(1);
        expect(warmOne.iterations).toBe(151);
        expect(warmOne.iou).withContext("one warm iteration keeps the fused object").toBeGreaterThan(0.85);
        expect(coldOne.iou).withContext("one cold iteration is far from it").toBeLessThan(warmOne.iou - 0.1);
        const warm = await iouAfter(30, coarse);
        const cold = await iouAfter(30);
        expect(warm.iou).withContext(`30 warm iterations (cold: ${cold.iou.toFixed(3)})`).toBeGreaterThan(Math.max(0.88, cold.iou - 0.01));
    });

    it("stops when cancelled", async () => {
        const gpu = await RequireGpuAsync();
        const fusion = await ObjectFieldFusion.CreateAsync({ field, views: Trained(RingMasks(views, 1)), objects: one, options: { ...quick, iterations: 1000, progressInterval: 10 }, context: gpu });
        const controller = new AbortController();
        const run = fusion.fuseAsync((p) => p.iteration >= 20 && controller.abort(), controller.signal);
        await expectAsync(run).toBeRejectedWith(jasmine.objectContaining({ name: "AbortError" }));
        fusion.dispose();
    });

    it("refuses inputs it cannot fuse, naming the problem", async () => {
        const masks = Trained(RingMasks(views, 1));
        const create = (setup: Partial<Parameters<typeof ObjectFieldFusion.CreateAsync>[0]>) => ObjectFieldFusion.CreateAsync({ field, views: masks, objects: one, context: null, ...setup });
        await expectAsync(create({ views: masks.map((mask) => ({ ...mask, weight: 0 })) })).toBeRejectedWithError(FusionInputError, /no view has a valid mask/);
        await expectAsync(create({ views: [{ ...masks[0], labels: new Uint8Array(10) }] })).toBeRejectedWithError(FusionInputError, /frame 1: the mask has 10 pixels, the view 48x48/);
        await expectAsync(create({ views: Trained(RingMasks(views, 0)) })).toBeRejectedWithError(FusionInputError, /mask label 2 but only 1 object/);
        await expectAsync(create({ views: [{ ...masks[0], cameraToWorld: new Float64Array(16).fill(NaN) }] })).toBeRejectedWithError(FusionInputError, /non-finite pose/);
        await expectAsync(create({ objects: [] })).toBeRejectedWithError(FusionInputError, /at least one object/);
        await expectAsync(create({ options: { raysPerBatch: 100 } })).toBeRejectedWithError(FusionInputError, /multiple of 64/);
        const coarse = await (await create({ options: { ...quick, iterations: 2 } })).exportFieldAsync();
        await expectAsync(create({ objects: two, views: Trained(RingMasks(views, 0)), warmStart: coarse })).toBeRejectedWithError(FusionInputError, /has 1 channel\(s\); these masks need 3/);
    });
});

import { FusionService } from "@plugin/services/fusionService";
import type { FusionProgress } from "@plugin/core/fusion/objectFieldTypes";
import { LabelIou, RingMasks, RingViews, TrueLabels, TwoSphereField } from "@test/helpers/fusionFixture";

const field = TwoSphereField(40);
const views = RingViews(10, 48);
const masks = RingMasks(views, 0).filter((mask) => mask.frameIndex !== 0);
const objects = [
    { id: 1, name: "red sphere" },
    { id: 2, name: "blue sphere" },
];

describe("FusionService: fusion in a comlink worker", () => {
    let service: FusionService;
    beforeEach(() => (service = new FusionService()));
    afterEach(() => service.dispose());

    for (const preferGpu of [true, false]) {
        it(`fuses in the worker on ${preferGpu ? "WebGPU" : "the CPU twins"}, reports progress and renders any view`, async () => {
            const progress: FusionProgress[] = [];
            const result = await service.runAsync({ field, views: masks, objects, options: { iterations: preferGpu ? 120 : 40, raysPerBatch: preferGpu ? 1024 : 512, progressInterval: 20, maxSamplesPerRay: 64, learningRate: 0.2 }, preferGpu }, (p) => progress.push(p));
            expect(result.backend).toBe(preferGpu ? "webgpu" : "cpu");
            expect(result.backendReason).toMatch(preferGpu ? /WebGPU in the fusion worker/ : /CPU path was asked for/);
            expect(progress.map((p) => p.iteration)).toEqual(preferGpu ? [20, 40, 60, 80, 100, 120] : [20, 40]);
            expect(result.field.logits.length).toBe(result.field.grid.gridSize.reduce((a, b) => a * b, 1) * 3);
            const [mask] = await service.renderMasksAsync([views[0]]);
            const truth = TrueLabels(views[0]);
            expect(LabelIou(mask.labels, truth, 2)).withContext("held-out view, blue sphere").toBeGreaterThan(preferGpu ? 0.85 : 0.6);
            // the caller's inputs are untouched (copied, not transferred)
            expect(field.density.length).toBe(40 * 40 * 40);
            expect(masks[0].labels.length).toBe(48 * 48);
        });
    }

    it("cancels a running fusion and can run again", async () => {
        const controller = new AbortController();
        const run = service.runAsync({ field, views: masks, objects, options: { iterations: 5000, raysPerBatch: 512, progressInterval: 10, maxSamplesPerRay: 64 } }, (p) => p.iteration >= 20 && controller.abort(), controller.signal);
        await expectAsync(run).toBeRejectedWith(jasmine.objectContaining({ name: "AbortError" }));
        const again = await service.runAsync({ field, views: masks, objects, options: { iterations: 10, raysPerBatch: 512, progressInterval: 10, maxSamplesPerRay: 64 } });
        expect(again.iterations).toBe(10);
    });

    it("reports bad inputs from the worker", async () => {
        await expectAsync(service.prepareAsync({ field, views: masks.map((m) => ({ ...m, weight: 0 })), objects })).toBeRejectedWithError(/no view has a valid mask/);
    });
});

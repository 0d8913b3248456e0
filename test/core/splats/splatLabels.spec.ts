import { AssignSplatLabels, AssignSplatObjects, DefaultSplatLabelOptions } from "@plugin/core/splats/splatLabelAssignment";
import { SplatRasterizer } from "@plugin/core/splats/splatRasterizer";
import { RingViews, Spheres, TrueLabels } from "@test/helpers/fusionFixture";
import { RenderedTruthLabels, TwoSphereSplats } from "@test/helpers/splatFixtures";
import { RequireGpuAsync } from "@test/helpers/webGpu";
import { LoadCaptureAsync } from "@plugin/core/capture/captureLoader";
import { UrlCaptureSource } from "@plugin/core/capture/urlCaptureSource";
import { SplitHoldout } from "@plugin/core/capture/holdout";
import { SampleSceneSplatsAsync } from "@test/helpers/splatFixtures";

/** Accuracy per label: of the splats truly labelled k, the share assigned k; and IoU of each object's splat set. */
function Scores(truth: Uint8Array, labels: Uint8Array, label: number): { iou: number } {
    let both = 0;
    let either = 0;
    for (let i = 0; i < truth.length; i++) {
        const a = truth[i] === label;
        const b = labels[i] === label;
        both += a && b ? 1 : 0;
        either += a || b ? 1 : 0;
    }
    return { iou: both / either };
}

describe("Splat label assignment (FlashSplat)", () => {
    it("labels both spheres' splats from true masks of 12 views, the floor stays background", async () => {
        const scene = TwoSphereSplats();
        const { cloud, labels: truth } = scene;
        const views = await Promise.all(RingViews(12, 64).map(async (view) => ({ view, labels: await RenderedTruthLabels(scene, view) })));
        const weights = await new SplatRasterizer(await RequireGpuAsync()).sumLabelWeightsAsync(cloud, views, 3);
        const result = AssignSplatLabels(weights, cloud.count, 3);
        // the ring's views look down on the spheres: their undersides lie on no surface a view
        // shows (seen, if at all, faintly past the spheres' rims), so they stay background, and
        // every sphere splat left out lies there
        const positions = new Float32Array(cloud.rows);
        const height = (i: number): number => (positions[i * 8 + 1] - Spheres[truth[i] - 1].centre[1]) / Spheres[truth[i] - 1].radius;
        const missed = Array.from(truth.keys()).filter((i) => truth[i] > 0 && result.labels[i] !== truth[i]);
        expect(missed.every((i) => result.labels[i] === 0 && height(i) < -0.6)).withContext(missed.map(height).join(", ")).toBeTrue();
        expect(Scores(truth, result.labels, 1).iou).toBeGreaterThan(0.9);
        expect(Scores(truth, result.labels, 2).iou).toBeGreaterThan(0.9);
        expect(Scores(truth, result.labels, 0).iou).toBeGreaterThan(0.75);
        expect(result.counts.reduce((a, b) => a + b, 0)).toBe(cloud.count);
    });

    it("keeps splats no view sees as background, and one object's masks label only that object", async () => {
        const scene = TwoSphereSplats(300, 100);
        const { cloud, labels: truth } = scene;
        // masks of sphere 1 only
        const views = await Promise.all(RingViews(6, 40).map(async (view) => ({ view, labels: (await RenderedTruthLabels(scene, view)).map((l) => (l === 1 ? 1 : 0)) })));
        const weights = await new SplatRasterizer(null).sumLabelWeightsAsync(cloud, views, 2);
        const result = AssignSplatLabels(weights, cloud.count, 2);
        const positions = new Float32Array(cloud.rows);
        const missed = Array.from(truth.keys()).filter((i) => truth[i] === 1 && result.labels[i] !== 1);
        expect(missed.every((i) => positions[i * 8 + 1] - Spheres[0].centre[1] < -0.6 * Spheres[0].radius)).withContext("a sphere splat left out above its underside").toBeTrue();
        expect(Scores(truth.map((l) => (l === 1 ? 1 : 0)), result.labels, 1).iou).toBeGreaterThan(0.85);
        const none = AssignSplatLabels(new Float32Array(cloud.count * 2), cloud.count, 2);
        // centre votes (the default) and FlashSplat's footprint ones agree on well-separated spheres
        const linear = AssignSplatLabels(await new SplatRasterizer(null).sumLabelWeightsAsync(cloud, views, 2, { vote: "footprint" }), cloud.count, 2, { ...DefaultSplatLabelOptions, vote: "footprint", backgroundPrior: 1 / 255 });
        expect(Scores(truth.map((l) => (l === 1 ? 1 : 0)), linear.labels, 1).iou).toBeGreaterThan(0.85);
        expect(none.unseen).toBe(cloud.count);
        expect(none.counts[1]).toBe(0);
    });

    it("gives a splat to the object with the largest inside share, and leaves weakly seen splats to the background prior", () => {
        // splat 0: object 1 inside 3 / outside 1, object 2 inside 2 / outside 0.1 (2 has the larger share)
        // splat 1: both objects see it outside; splat 2: barely seen inside object 1 (below the prior)
        const one = Float32Array.from([1, 3, 5, 0.1, 0, 0.0005]);
        const two = Float32Array.from([0.1, 2, 4, 0.2, 0, 0]);
        const result = AssignSplatObjects([one, two], 3);
        expect([...result.labels]).toEqual([2, 0, 0]);
        expect(result.counts).toEqual([2, 0, 1]);
        expect(result.unseen).toBe(1);
        expect(() => AssignSplatObjects([new Float32Array(3)], 2)).toThrowError(/object 1's weights hold 3 values, expected 2 splats x 2/);
    });

    it("labels thin parts from their capture's true masks with centre votes, where footprint votes lose them", async () => {
        // the hard scene's wire ring: one to two pixels wide in its 128 px views; its splats' tails lie over the table's pixels
        const capture = await LoadCaptureAsync(new UrlCaptureSource("/base/sample-scenes/captures/hard/", "hard"));
        const { scene } = await SampleSceneSplatsAsync("hard");
        const ring = capture.objects.find((object) => object.name.includes("ring"))!.id;
        const views = SplitHoldout(capture.frames.length).train.map((index) => ({
            view: capture.frames[index],
            labels: capture.frames[index].labels!.map((label) => (label === ring ? 1 : 0)),
        }));
        const truth = scene.labels.map((label) => (label === ring ? 1 : 0));
        const rasterizer = new SplatRasterizer(await RequireGpuAsync());
        const iou = async (vote: "footprint" | "centre"): Promise<number> =>
            Scores(truth, AssignSplatLabels(await rasterizer.sumLabelWeightsAsync(scene.cloud, views, 2, { vote }), scene.cloud.count, 2, { ...DefaultSplatLabelOptions, vote }).labels, 1).iou;
        const centre = await iou("centre");
        const footprint = await iou("footprint");
        expect(centre).toBeGreaterThan(0.9);
        expect(footprint).toBeLessThan(centre - 0.2);
    }, 120000);

    it("names wrong weight sizes and slot counts", () => {
        expect(() => AssignSplatLabels(new Float32Array(5), 2, 3)).toThrowError(/5 values, expected 2 splats x 3 slots/);
        expect(() => AssignSplatLabels(new Float32Array(2), 2, 1)).toThrowError(/slots must be 2-256/);
    });

    it("stops between views when cancelled", async () => {
        const { cloud } = TwoSphereSplats(100, 50);
        const views = RingViews(4, 24).map((view) => ({ view, labels: TrueLabels(view) }));
        const controller = new AbortController();
        const run = new SplatRasterizer(null).sumLabelWeightsAsync(cloud, views, 3, { signal: controller.signal, onView: (done) => done === 1 && controller.abort() });
        await expectAsync(run).toBeRejected();
    });
});

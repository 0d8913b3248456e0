import { FeatureFieldDistillation } from "@plugin/core/features/featureFieldDistillation";
import { FitFeatureBasis, PaddingEmbedding, ProjectCells, UnprojectCells, type EmbeddingCells } from "@plugin/core/features/featureBasis";
import { CellGridIntrinsics, EmbeddingCellLayoutFor } from "@plugin/core/features/embeddingCells";
import { CpuFeatureEngine } from "@plugin/core/features/cpuFeatureEngine";
import { GpuFeatureEngine } from "@plugin/core/features/gpuFeatureEngine";
import { FeatureGridFor } from "@plugin/core/features/featureEngine";
import { DefaultFeatureFieldOptions, type FeatureFieldOptions, type FeatureView } from "@plugin/core/features/featureFieldTypes";
import { BinaryMaskIou } from "@plugin/core/evaluation/maskMetrics";
import { RenderViewCpu } from "@plugin/core/nerf/cpuFieldRenderer";
import { EmbeddingCache } from "@plugin/core/sam/embeddingCache";
import type { SamImageEmbedding } from "@plugin/core/sam/samTypes";
import { SamService } from "@plugin/services/samService";
import { RingViews, Spheres, TrueLabels, TwoSphereField, type RingView } from "@test/helpers/fusionFixture";
import { RequireGpuAsync } from "@test/helpers/webGpu";
import { SeededRandom } from "@test/helpers/random";

const Cells = 64 * 64;

/** An embedding of rank `rank` (plus a little noise) for a w x h view of a SAM-family model. */
function LowRankEmbedding(random: () => number, factors: Float32Array[], width: number, height: number): Float32Array {
    const data = new Float32Array(256 * Cells);
    for (let cell = 0; cell < Cells; cell++) {
        const weights = factors.map(() => random() * 2 - 1);
        for (let c = 0; c < 256; c++) {
            data[c * Cells + cell] = 0.3 + factors.reduce((sum, f, k) => sum + weights[k] * f[c], 0) + 1e-3 * (random() - 0.5);
        }
    }
    expect(width * height).toBeGreaterThan(0);
    return data;
}

describe("the distilled feature field's basis and cell layouts", () => {
    it("lays the cells out as each family's encoder does", () => {
        expect(EmbeddingCellLayoutFor("sam", 640, 480)).toEqual({ columns: 64, rows: 48, cellWidth: 10, cellHeight: 10 });
        expect(EmbeddingCellLayoutFor("builtin", 64, 64)).toEqual({ columns: 64, rows: 64, cellWidth: 1, cellHeight: 1 });
        expect(EmbeddingCellLayoutFor("efficientsam", 640, 480)).toEqual({ columns: 64, rows: 64, cellWidth: 10, cellHeight: 7.5 });
        expect(() => EmbeddingCellLayoutFor("sam2", 640, 480)).toThrowError(/SAM2's decoder also needs its high-resolution features/);
        const grid = CellGridIntrinsics({ fx: 500, fy: 500, cx: 320, cy: 240, width: 640, height: 480 }, EmbeddingCellLayoutFor("sam", 640, 480));
        expect(grid).toEqual({ fx: 50, fy: 50, cx: 32, cy: 24, width: 64, height: 48 });
    });

    it("stays orthonormal with more channels than the embeddings' rank, and rebuilds them exactly", () => {
        // rank 3 in channels 0..99 and exactly zero elsewhere (the built-in model's embedding has 106 live channels)
        const random = SeededRandom(8);
        const factors = Array.from({ length: 3 }, () => Float32Array.from({ length: 100 }, () => random() - 0.5));
        const layout = EmbeddingCellLayoutFor("builtin", 64, 64);
        const data = new Float32Array(256 * Cells);
        for (let cell = 0; cell < Cells; cell++) {
            const weights = factors.map(() => random() * 2 - 1);
            factors[0].forEach((_, c) => (data[c * Cells + cell] = factors.reduce((sum, f, k) => sum + weights[k] * f[c], 0)));
        }
        const basis = FitFeatureBasis([{ data, layout }], 12);
        let worstDot = 0;
        for (let a = 0; a < 12; a++) {
            for (let b = 0; b <= a; b++) {
                let dot = 0;
                for (let c = 0; c < 256; c++) {
                    dot += basis.components[a * 256 + c] * basis.components[b * 256 + c];
                }
                worstDot = Math.max(worstDot, Math.abs(dot - (a === b ? 1 : 0)));
            }
        }
        expect(worstDot).withContext("largest departure of the components' Gram matrix from the identity").toBeLessThan(1e-6);
        const rebuilt = UnprojectCells(basis, ProjectCells(basis, { data, layout }), layout, new Float32Array(256));
        expect(rebuilt.reduce((worst, v, i) => Math.max(worst, Math.abs(v - data[i])), 0)).withContext("largest rebuilt error").toBeLessThan(1e-4);
    });

    it("keeps a low-rank embedding's variance and rebuilds its cells; padding cells get the views' padding", () => {
        const random = SeededRandom(5);
        const factors = Array.from({ length: 4 }, () => Float32Array.from({ length: 256 }, () => random() - 0.5));
        const layout = EmbeddingCellLayoutFor("sam", 640, 400);
        const views: EmbeddingCells[] = [0, 1].map(() => ({ data: LowRankEmbedding(random, factors, 640, 400), layout }));
        views.forEach((view) => view.data.fill(-2, 255 * Cells, 256 * Cells));
        const basis = FitFeatureBasis(views, 6);
        expect(basis.keptVariance).toBeGreaterThan(0.99);
        const padding = PaddingEmbedding(views);
        const projected = ProjectCells(basis, views[1]);
        expect(projected.length).toBe(layout.columns * layout.rows * 6);
        const rebuilt = UnprojectCells(basis, projected, layout, padding);
        let worst = 0;
        for (let c = 0; c < 255; c++) {
            for (let i = 0; i < layout.rows; i++) {
                for (let j = 0; j < layout.columns; j++) {
                    const cell = c * Cells + i * 64 + j;
                    worst = Math.max(worst, Math.abs(rebuilt[cell] - views[1].data[cell]));
                }
            }
        }
        expect(worst).withContext("largest error over the image cells").toBeLessThan(0.01);
        const paddingCell = 63 * 64 + 10;
        expect(layout.rows).toBe(40);
        expect(rebuilt[3 * Cells + paddingCell]).toBeCloseTo(padding[3], 5);
        let [sum, count] = [0, 0];
        views.forEach((view) => view.data.subarray(3 * Cells + 40 * 64, 4 * Cells).forEach((v) => ((sum += v), count++)));
        expect(padding[3]).withContext("the mean of channel 3 over both views' padding rows").toBeCloseTo(sum / count, 5);
        expect(padding[255]).toBeCloseTo(-2, 5);
    });
});

// 5 channels: one partly filled channel group of the kernel; 37: two full groups and a partial one
describe("the distilled feature field on WebGPU and on the CPU", () => {
    const field = TwoSphereField(32);
    const ring = RingViews(6, 32);
    for (const channels of [5, 37]) {
        ParityCase(field, ring, channels);
    }
});

function ParityCase(field: ReturnType<typeof TwoSphereField>, ring: RingView[], channels: number): void {
    const options: FeatureFieldOptions = { ...DefaultFeatureFieldOptions, channels, gridResolution: 12, raysPerBatch: 512, maxSamplesPerRay: 64, learningRate: 0.05 };
    const grid = FeatureGridFor(field.params, options.gridResolution, options.channels);
    const cellViews = ring.map((view) => ({ cameraToWorld: view.cameraToWorld, intrinsics: view.intrinsics }));
    const random = SeededRandom(11);
    const targets = Float32Array.from({ length: ring.length * 32 * 32 * options.channels }, () => random() * 2 - 1);
    const points = grid.gridSize[0] * grid.gridSize[1] * grid.gridSize[2];
    const start = Float32Array.from({ length: (points + 1) * options.channels }, () => 0.1 * (random() - 0.5));

    it(`takes the same steps and renders the same features (${channels} channels)`, async () => {
        const context = await RequireGpuAsync();
        const gpu = await GpuFeatureEngine.CreateAsync(context, field, grid, options, cellViews, targets, start);
        const cpu = new CpuFeatureEngine(field, grid, options, cellViews, targets, start);
        try {
            for (let step = 1; step <= 4; step++) {
                gpu.step({ seed: 100 + step, learningRate: 0.02, adamStep: step });
                cpu.step({ seed: 100 + step, learningRate: 0.02, adamStep: step });
                expect(await gpu.readLossAsync()).withContext(`loss after step ${step}`).toBeCloseTo(await cpu.readLossAsync(), 3);
            }
            const [a, b] = [await gpu.downloadFeaturesAsync(), await cpu.downloadFeaturesAsync()];
            const moved = b.reduce((count, v, i) => count + (Math.abs(v - start[i]) > 1e-3 ? 1 : 0), 0);
            expect(moved).withContext("the steps moved features").toBeGreaterThan(50);
            let worst = 0;
            a.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - b[i]))));
            expect(worst).withContext("largest feature difference after 4 Adam steps").toBeLessThan(2e-3);
            const view = { cameraToWorld: ring[2].cameraToWorld, intrinsics: { ...ring[2].intrinsics, width: 30, height: 23 } };
            const [ga, cb] = [await gpu.renderFeaturesAsync(view), await cpu.renderFeaturesAsync(view)];
            expect(ga.length).toBe(30 * 23 * options.channels);
            let renderWorst = 0;
            ga.forEach((v, i) => (renderWorst = Math.max(renderWorst, Math.abs(v - cb[i]))));
            expect(renderWorst).toBeLessThan(2e-3);
        } finally {
            gpu.dispose();
            cpu.dispose();
        }
    });
}

describe("a click in a free viewpoint decodes from rendered features", () => {
    const field = TwoSphereField(40);
    const ring = RingViews(12, 64);
    const holdout = (index: number): boolean => index % 4 === 2;
    let sam: SamService;
    const embeddings: SamImageEmbedding[] = [];
    const images: Uint8ClampedArray[] = [];

    beforeAll(async () => {
        sam = new SamService({ backend: "wasm", cache: new EmbeddingCache({ persistentBytes: 0 }) });
        await sam.loadBuiltinAsync();
        for (const view of ring) {
            const rendered = RenderViewCpu(field, view);
            images.push(rendered.color);
            embeddings.push(await sam.embedAsync({ width: 64, height: 64, data: rendered.color }));
        }
    });

    afterAll(() => sam.dispose());

    function Views(indices: number[]): FeatureView[] {
        return indices.map((frameIndex) => ({ frameIndex, cameraToWorld: ring[frameIndex].cameraToWorld, intrinsics: ring[frameIndex].intrinsics, embedding: embeddings[frameIndex] }));
    }

    /** The projected centre of sphere `s` in a view, as a click. */
    function ClickOn(view: RingView, s: number): { x: number; y: number; label: 1 } {
        const labels = TrueLabels(view);
        let [sx, sy, n] = [0, 0, 0];
        labels.forEach((label, i) => label === s + 1 && ((sx += (i % 64) + 0.5), (sy += Math.floor(i / 64) + 0.5), n++));
        return { x: sx / n, y: sy / n, label: 1 };
    }

    it("distils the training views and decodes holdout clicks close to the encoder's masks, without running the encoder", async () => {
        const context = await RequireGpuAsync();
        const training = ring.map((_, i) => i).filter((i) => !holdout(i));
        const distillation = await FeatureFieldDistillation.CreateAsync({ field, views: Views(training), family: "builtin", context, options: { iterations: 400, raysPerBatch: 2048, gridResolution: 40 } });
        const losses: number[] = [];
        try {
            const data = await distillation.distillAsync((progress) => losses.push(progress.loss));
            expect(losses[losses.length - 1]).withContext("loss fell").toBeLessThan(0.5 * losses[0]);
            expect(data.metadata).toEqual({ views: training.length, iterations: 400, finalLoss: losses[losses.length - 1] });
            const encoderRuns = sam.encoderRuns;
            for (const index of ring.map((_, i) => i).filter(holdout)) {
                const rendered = await distillation.renderEmbeddingAsync(ring[index]);
                expect(rendered.modelId).toBe(embeddings[index].modelId);
                for (const s of [0, 1]) {
                    const click = ClickOn(ring[index], s);
                    const fromField = await sam.decodeAsync(rendered, { points: [click] });
                    const fromEncoder = await sam.decodeAsync(embeddings[index], { points: [click] });
                    const truth = TrueLabels(ring[index]).map((label) => (label === s + 1 ? 1 : 0));
                    const iou = BinaryMaskIou(fromField.mask, fromEncoder.mask, 127);
                    expect(iou).withContext(`view ${index}, ${s === 0 ? "red" : "blue"} sphere: IoU against the encoder-fed mask`).toBeGreaterThan(0.8);
                    expect(BinaryMaskIou(fromField.mask, truth, 0)).withContext(`view ${index}, sphere ${s}: IoU against the truth`).toBeGreaterThan(0.75);
                }
            }
            expect(sam.encoderRuns).withContext("rendered embeddings need no encoder").toBe(encoderRuns);
            const reopened = await FeatureFieldDistillation.OpenAsync(field, data, null);
            const [a, b] = [await reopened.renderEmbeddingAsync(ring[2]), await distillation.renderEmbeddingAsync(ring[2])];
            const [ta, tb] = [a.tensors.image_embeddings.data, b.tensors.image_embeddings.data];
            expect(ta.reduce((worst, v, i) => Math.max(worst, Math.abs(v - tb[i])), 0)).withContext("a reopened field renders the same embedding on the CPU").toBeLessThan(1e-3);
            reopened.dispose();
        } finally {
            distillation.dispose();
        }
        expect(Spheres.length).toBe(2);
    });

    it("names what is wrong with its inputs", async () => {
        const views = Views([0, 1]);
        const create = (changes: Partial<Parameters<typeof FeatureFieldDistillation.CreateAsync>[0]>): Promise<FeatureFieldDistillation> => FeatureFieldDistillation.CreateAsync({ field, views, family: "builtin", context: null, ...changes });
        await expectAsync(create({ views: [] })).toBeRejectedWithError(/at least one view/);
        await expectAsync(create({ family: "sam2" })).toBeRejectedWithError(/SAM2/);
        await expectAsync(create({ options: { channels: 300 } })).toBeRejectedWithError(/channels must be an integer in 1..256 \(got 300\)/);
        const other = { ...views[1], embedding: { ...views[1].embedding, modelId: "file:other" } };
        await expectAsync(create({ views: [views[0], other] })).toBeRejectedWithError(/frame 1: its embedding comes from model file:other/);
        const small = { ...views[1], embedding: { ...views[1].embedding, tensors: { image_embeddings: { data: new Float32Array(256 * 32 * 32), dims: [1, 256, 32, 32] } } } };
        await expectAsync(create({ views: [small] })).toBeRejectedWithError(/frame 1: image_embeddings is \[1, 256, 32, 32\].*needs \[1, 256, 64, 64\]/);
        const sam2Like = { ...views[1], embedding: { ...views[1].embedding, tensors: { image_embed: views[1].embedding.tensors.image_embeddings } } };
        await expectAsync(create({ views: [sam2Like] })).toBeRejectedWithError(/frame 1: the embedding has no image_embeddings \(it has image_embed\)/);
        const nanPose = { ...views[1], cameraToWorld: Float64Array.from(views[1].cameraToWorld, (v, i) => (i === 3 ? Number.NaN : v)) };
        await expectAsync(create({ views: [nanPose] })).toBeRejectedWithError(/frame 1: the pose is not a finite 4x4 matrix/);
        const distillation = await create({ options: { iterations: 1, channels: 4, gridResolution: 8, raysPerBatch: 64 } });
        const data = await distillation.distillAsync();
        distillation.dispose();
        await expectAsync(FeatureFieldDistillation.OpenAsync(field, { ...data, features: data.features.subarray(4) }, null)).toBeRejectedWithError(/the feature field is corrupt/);
        const cancel = new AbortController();
        cancel.abort();
        const again = await create({ options: { iterations: 5, channels: 4, gridResolution: 8, raysPerBatch: 64 } });
        await expectAsync(again.distillAsync(undefined, cancel.signal)).toBeRejected();
        await expectAsync(again.renderEmbeddingAsync({ cameraToWorld: new Float64Array(16).fill(Number.NaN), intrinsics: ring[0].intrinsics })).toBeRejectedWithError(/non-finite pose/);
        again.dispose();
    });
});

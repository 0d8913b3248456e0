import { LoadCaptureAsync } from "@plugin/core/capture/captureLoader";
import { SplitHoldout } from "@plugin/core/capture/holdout";
import type { Capture, CaptureFrame } from "@plugin/core/capture/captureTypes";
import { UrlCaptureSource } from "@plugin/core/capture/urlCaptureSource";
import { EvaluateHoldoutAsync } from "@plugin/core/evaluation/holdoutEvaluation";
import { NerfTrainer } from "@plugin/core/nerf/nerfTrainer";
import { IdentityAppearances } from "@shaders/nerf/appearanceKernels";
import { SeededRandom } from "@test/helpers/random";
import { RequireGpuAsync } from "@test/helpers/webGpu";

/** The frame with its RGB scaled per channel (a shot's exposure times its white balance). */
function Reexposed(frame: CaptureFrame, gain: readonly number[]): CaptureFrame {
    const data = Uint8ClampedArray.from(frame.image.data, (value, i) => (i % 4 === 3 ? value : value * gain[i % 4]));
    return { ...frame, image: { ...frame.image, data } };
}

/** Pearson correlation. */
function Correlation(a: readonly number[], b: readonly number[]): number {
    const mean = (v: readonly number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
    const [ma, mb] = [mean(a), mean(b)];
    let ab = 0;
    let aa = 0;
    let bb = 0;
    a.forEach((x, i) => {
        ab += (x - ma) * (b[i] - mb);
        aa += (x - ma) ** 2;
        bb += (b[i] - mb) ** 2;
    });
    return ab / Math.sqrt(aa * bb);
}

describe("NerfTrainer with per-photo appearance", () => {
    let capture: Capture;
    beforeAll(async () => {
        capture = await LoadCaptureAsync(new UrlCaptureSource("/base/sample-scenes/captures/tabletop/", "tabletop"), { maxSide: 32 });
    });

    it("learns each photo's exposure and white balance: the transforms follow the photos' gains, centred on the identity; holdout views score higher than without", async () => {
        const gpu = await RequireGpuAsync();
        const { train } = SplitHoldout(capture.frames.length);
        const random = SeededRandom(5);
        // (on a black background a shot's gains scale the whole composited pixel, so an affine transform can match them)
        // each training photo: exposure 0.5 .. 0.9, white balance +-10 % per channel (no channel clips); holdout photos as captured
        const gains = train.map(() => {
            const exposure = 0.5 + 0.4 * random();
            return [0, 1, 2].map(() => exposure * (0.9 + 0.2 * random()));
        });
        const frames = train.map((index, k) => Reexposed(capture.frames[index], gains[k]));
        const budget = { iterations: 200, raysPerBatch: 1024, gridResolution: 40, initialGridResolution: 24, growAt: [100] };
        // a short run: the transforms start after the first growth and learn faster than the defaults (sized for thousands of iterations)
        const runAsync = async (appearance: "none" | "per-photo"): Promise<{ psnr: number; psnrMatched: number; transforms?: Float32Array; learns: boolean }> => {
            const trainer = await NerfTrainer.CreateAsync(gpu, frames, capture.bounds, "black", { budget, occupancyWarmup: 64, appearance, appearanceLearningRate: 0.03, appearanceWarmup: 100 });
            await trainer.trainAsync();
            const { psnr, psnrMatched } = await EvaluateHoldoutAsync(trainer, capture);
            const field = await trainer.exportFieldAsync();
            const learns = trainer.learnsAppearance;
            trainer.dispose();
            return { psnr, psnrMatched, transforms: field.appearance, learns };
        };
        const without = await runAsync("none");
        const withAppearance = await runAsync("per-photo");
        expect(without.learns).toBeFalse();
        expect(without.transforms).toBeUndefined();
        expect(withAppearance.learns).toBeTrue();
        const transforms = withAppearance.transforms!;
        expect(transforms.length).toBe(train.length * 12);
        const learned = train.map((_, k) => [0, 1, 2].map((c) => transforms[k * 12 + 5 * c]));
        const exposure = Correlation(learned.map((g) => g[0] + g[1] + g[2]), gains.map((g) => g[0] + g[1] + g[2]));
        const balance = Correlation(learned.flatMap((g) => g.map((v) => v / (g[0] + g[1] + g[2]))), gains.flatMap((g) => g.map((v) => v / (g[0] + g[1] + g[2]))));
        const mean = [0, 1, 2].map((c) => learned.reduce((s, g) => s + g[c], 0) / learned.length);
        console.info(
            `per-photo appearance on re-exposed tabletop photos: holdout PSNR ${without.psnr.toFixed(2)} / ${withAppearance.psnr.toFixed(2)} dB without / with, matched ${without.psnrMatched.toFixed(2)} / ${withAppearance.psnrMatched.toFixed(2)} dB; learned vs true exposure r = ${exposure.toFixed(3)}, white balance r = ${balance.toFixed(3)}, mean gain ${mean.map((g) => g.toFixed(3)).join(", ")}`
        );
        // (not 1: at this size the young field's errors that go with the viewpoint, e.g. the cameras'
        // rising elevation here, also reach the transforms)
        expect(exposure).withContext("learned exposures follow the photos'").toBeGreaterThan(0.7);
        expect(balance).withContext("learned white balance follows the photos'").toBeGreaterThan(0.7);
        for (const g of mean) {
            expect(g).withContext("centred: the transforms' mean gain is 1").toBeCloseTo(1, 4);
        }
        expect(withAppearance.psnrMatched).withContext("holdout views, appearance matched on their left half, scored on the right").toBeGreaterThan(without.psnrMatched + 0.3);
    }, 300000);

    it("keeps the transforms in checkpoints and continues them; a field without them starts at the identity", async () => {
        const gpu = await RequireGpuAsync();
        const frames = SplitHoldout(capture.frames.length).train.slice(0, 6).map((index, k) => Reexposed(capture.frames[index], [0.6 + 0.1 * k, 0.7, 0.8]));
        const options = { budget: { iterations: 40, raysPerBatch: 512, gridResolution: 24, initialGridResolution: 24, growAt: [] }, appearance: "per-photo" as const, appearanceWarmup: 0, appearanceLearningRate: 0.05 };
        const first = await NerfTrainer.CreateAsync(gpu, frames, capture.bounds, "black", options);
        await first.trainAsync();
        const checkpoint = await first.exportFieldAsync();
        first.dispose();
        expect(checkpoint.appearance).toBeDefined();
        expect(Array.from(checkpoint.appearance!).some((v, i) => Math.abs(v - (i % 4 === Math.floor((i % 12) / 4) ? 1 : 0)) > 0.01)).withContext("the transforms moved").toBeTrue();
        const continued = await NerfTrainer.CreateAsync(gpu, frames, capture.bounds, "black", { ...options, budget: { ...options.budget, iterations: 80 } }, checkpoint);
        expect(Array.from((await continued.exportFieldAsync()).appearance!)).toEqual(Array.from(checkpoint.appearance!));
        continued.dispose();
        const { appearance: _dropped, ...withoutTransforms } = checkpoint;
        const fresh = await NerfTrainer.CreateAsync(gpu, frames, capture.bounds, "black", { ...options, budget: { ...options.budget, iterations: 80 } }, withoutTransforms);
        expect(Array.from((await fresh.exportFieldAsync()).appearance!)).toEqual(Array.from(IdentityAppearances(frames.length)));
        fresh.dispose();
    }, 120000);
});

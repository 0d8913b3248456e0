import { ComputeKernel } from "@plugin/core/gpu/computeKernel";
import { AppearanceApplyCpu, AppearanceCentreCpu, AppearanceStepCpu, FrameOfPixelCpu } from "@shaders/nerf/appearanceCpu";
import { AppearanceApplyKernel, AppearanceCentreKernel, AppearanceStepKernel, IdentityAppearances, PackAppearanceParams, type AppearanceParams } from "@shaders/nerf/appearanceKernels";
import { FrameCameraBytes, RayBytes } from "@shaders/nerf/nerfKernelCommon";
import { RandomFloats, SeededRandom } from "@test/helpers/random";
import { RequireGpuAsync } from "@test/helpers/webGpu";
import { MaxAbsDiff } from "@test/shaders/parity";

/** A batch of random rays over `frameCount` photos of random sizes, with random rendered colours. */
function RandomBatch(frameCount: number, rayCount: number, seed: number): { cameras: ArrayBuffer; rays: ArrayBuffer; results: Float32Array; transforms: Float32Array; moments: Float32Array; firstPixel: number[] } {
    const random = SeededRandom(seed);
    const cameras = new ArrayBuffer(frameCount * FrameCameraBytes);
    const words = new Uint32Array(cameras);
    const firstPixel: number[] = [];
    let total = 0;
    for (let f = 0; f < frameCount; f++) {
        const width = 3 + Math.floor(random() * 5);
        const height = 2 + Math.floor(random() * 4);
        words.set([width, height, total, 0], f * (FrameCameraBytes / 4) + 16);
        firstPixel.push(total);
        total += width * height;
    }
    const rays = new ArrayBuffer(rayCount * RayBytes);
    const floats = new Float32Array(rays);
    const u = new Uint32Array(rays);
    floats.set(RandomFloats(rayCount * 16, seed + 1, 0, 1));
    for (let r = 0; r < rayCount; r++) {
        u[r * 16 + 15] = Math.floor(random() * total);
    }
    const results = RandomFloats(rayCount * 12, seed + 2, 0, 1);
    for (let r = 0; r < rayCount; r++) {
        results[r * 12 + 6] = random() < 0.05 ? 1e9 : random();
    }
    const transforms = IdentityAppearances(frameCount).map((v) => v + 0.2 * (random() - 0.5));
    const moments = RandomFloats(frameCount * 24, seed + 3, 0, 0.01);
    return { cameras, rays, results, transforms, moments, firstPixel };
}

describe("per-photo appearance kernels vs their CPU twins", () => {
    const frameCount = 9;
    const rayCount = 300;
    const adam = { learningRate: 0.01, regularization: 0.05, beta1: 0.9, beta2: 0.99, epsilon: 1e-8, biasCorrection1: 1 / (1 - 0.9 ** 4), biasCorrection2: 1 / (1 - 0.99 ** 4) };

    it("frameOfPixel finds each pixel's photo (first and last pixels of every photo)", () => {
        const batch = RandomBatch(frameCount, 1, 3);
        batch.firstPixel.forEach((first, f) => {
            expect(FrameOfPixelCpu(batch.cameras, frameCount, first)).toBe(f);
            if (f > 0) {
                expect(FrameOfPixelCpu(batch.cameras, frameCount, first - 1)).toBe(f - 1);
            }
        });
    });

    it("appearanceApply.wgsl + appearanceStep.wgsl: colours, loss, dL/dC, photos, gradients and the Adam step (gains and offsets) as the twins", async () => {
        const gpu = await RequireGpuAsync();
        const batch = RandomBatch(frameCount, rayCount, 11);
        // one photo gets no ray: it keeps its transform and moments
        const u = new Uint32Array(batch.rays);
        const skipped = 4;
        for (let r = 0; r < rayCount; r++) {
            if (FrameOfPixelCpu(batch.cameras, frameCount, u[r * 16 + 15]) === skipped) {
                u[r * 16 + 15] = batch.firstPixel[skipped + 1];
            }
        }
        const params: AppearanceParams = { rayCount, frameCount, ...adam };
        const buffers = {
            params: gpu.createUniformBuffer("params", new Uint8Array(PackAppearanceParams(params))),
            rays: gpu.createStorageBuffer("rays", new Uint8Array(batch.rays)),
            cameras: gpu.createStorageBuffer("cameras", new Uint8Array(batch.cameras)),
            transforms: gpu.createStorageBuffer("transforms", batch.transforms),
            results: gpu.createStorageBuffer("results", batch.results),
            rayLoss: gpu.createStorageBuffer("rayLoss", rayCount * 4),
            rayFrame: gpu.createStorageBuffer("rayFrame", rayCount * 4),
            moments: gpu.createStorageBuffer("moments", batch.moments),
            gradient: gpu.createStorageBuffer("gradient", frameCount * 48),
        };
        const apply = await ComputeKernel.CreateAsync(gpu, AppearanceApplyKernel);
        const step = await ComputeKernel.CreateAsync(gpu, AppearanceStepKernel);
        apply.dispatch({ params: buffers.params, rays: buffers.rays, cameras: buffers.cameras, transforms: buffers.transforms, results: buffers.results, rayLoss: buffers.rayLoss, rayFrame: buffers.rayFrame }, rayCount);
        step.dispatch({ params: buffers.params, rays: buffers.rays, results: buffers.results, rayFrame: buffers.rayFrame, transforms: buffers.transforms, moments: buffers.moments, gradient: buffers.gradient }, frameCount * 64);

        const results = Float32Array.from(batch.results);
        const transforms = Float32Array.from(batch.transforms);
        const moments = Float32Array.from(batch.moments);
        const { rayLoss, rayFrame } = AppearanceApplyCpu(params, batch.rays, batch.cameras, transforms, results);
        const gradient = AppearanceStepCpu(params, batch.rays, results, rayFrame, transforms, moments);
        expect(Array.from(await gpu.readUint32Async(buffers.rayFrame))).toEqual(Array.from(rayFrame));
        expect(MaxAbsDiff(await gpu.readFloat32Async(buffers.results), results)).toBeLessThan(1e-5);
        expect(MaxAbsDiff(await gpu.readFloat32Async(buffers.rayLoss), rayLoss)).toBeLessThan(1e-5);
        const gpuGradient = await gpu.readFloat32Async(buffers.gradient);
        const seen = Array.from(gradient.keys()).filter((i) => !Number.isNaN(gradient[i]));
        expect(seen.length).withContext("gains and offsets of the photos with rays").toBe((frameCount - 1) * 6);
        expect(MaxAbsDiff(seen.map((i) => gpuGradient[i]), seen.map((i) => gradient[i]))).toBeLessThan(1e-3);
        expect(MaxAbsDiff(await gpu.readFloat32Async(buffers.transforms), transforms)).toBeLessThan(1e-5);
        expect(MaxAbsDiff(await gpu.readFloat32Async(buffers.moments), moments)).toBeLessThan(1e-5);
        const kept = (await gpu.readFloat32Async(buffers.transforms)).slice(skipped * 12, skipped * 12 + 12);
        expect(Array.from(kept)).withContext("a photo without rays keeps its transform").toEqual(Array.from(batch.transforms.slice(skipped * 12, skipped * 12 + 12)));
        expect(Array.from(rayLoss).filter((loss) => loss === 1e9).length).withContext("non-finite rays keep their marker").toBe(Array.from(batch.results).filter((_, i) => i % 12 === 6 && batch.results[i] >= 1e9).length);
    });

    it("appearanceCentre.wgsl moves the transforms' mean to the identity like its twin, keeping their differences", async () => {
        const gpu = await RequireGpuAsync();
        const transforms = RandomFloats(frameCount * 12, 31, 0.5, 1.5);
        const params = gpu.createUniformBuffer("params", new Uint8Array(PackAppearanceParams({ rayCount: 0, frameCount, ...adam })));
        const buffer = gpu.createStorageBuffer("transforms", transforms);
        (await ComputeKernel.CreateAsync(gpu, AppearanceCentreKernel)).dispatch({ params, transforms: buffer }, 12);
        const cpu = Float32Array.from(transforms);
        AppearanceCentreCpu(frameCount, cpu);
        const gpuResult = await gpu.readFloat32Async(buffer);
        expect(MaxAbsDiff(gpuResult, cpu)).toBeLessThan(1e-6);
        for (let k = 0; k < 12; k++) {
            const mean = Array.from({ length: frameCount }, (_, f) => gpuResult[f * 12 + k]).reduce((a, b) => a + b, 0) / frameCount;
            expect(mean).withContext(`entry ${k}`).toBeCloseTo(k % 4 === Math.floor(k / 4) ? 1 : 0, 5);
            expect(gpuResult[12 + k] - gpuResult[k]).toBeCloseTo(transforms[12 + k] - transforms[k], 5);
        }
    });

    it("the twins' gradients match finite differences of the loss (in the colour and in every transform entry)", () => {
        const batch = RandomBatch(3, 40, 21);
        const params: AppearanceParams = { rayCount: 40, frameCount: 3, ...adam };
        const target = new Float32Array(batch.rays);
        for (let r = 0; r < 40; r++) {
            batch.results[r * 12 + 6] = 0;
        }
        const { rayFrame } = AppearanceApplyCpu(params, batch.rays, batch.cameras, batch.transforms, Float32Array.from(batch.results));
        const learned = (i: number): boolean => i % 4 === 3 || i % 4 === Math.floor((i % 12) / 4);
        // the batch loss (plus the pull towards the identity on the learned entries) in double precision, as a function of the transforms
        const total = (transforms: Float64Array): number => {
            let loss = 0;
            const counts = [0, 0, 0];
            for (let r = 0; r < 40; r++) {
                const f = rayFrame[r];
                counts[f]++;
                for (let c = 0; c < 3; c++) {
                    const seen = transforms[f * 12 + 4 * c] * batch.results[r * 12] + transforms[f * 12 + 4 * c + 1] * batch.results[r * 12 + 1] + transforms[f * 12 + 4 * c + 2] * batch.results[r * 12 + 2] + transforms[f * 12 + 4 * c + 3];
                    loss += (seen - target[r * 16 + 8 + c]) ** 2;
                }
            }
            for (let i = 0; i < transforms.length; i++) {
                if (!learned(i)) {
                    continue;
                }
                const f = Math.floor(i / 12);
                loss += params.regularization * counts[f] * (transforms[i] - (i % 4 === Math.floor((i % 12) / 4) ? 1 : 0)) ** 2;
            }
            return loss;
        };
        const gradient = AppearanceStepCpu(params, batch.rays, batch.results, rayFrame, Float32Array.from(batch.transforms), new Float32Array(3 * 24));
        const h = 1e-4;
        for (let i = 0; i < 36; i++) {
            if (!learned(i)) {
                expect(gradient[i]).withContext(`cross term ${i}`).toBeNaN();
                continue;
            }
            const plus = Float64Array.from(batch.transforms);
            const minus = Float64Array.from(batch.transforms);
            plus[i] += h;
            minus[i] -= h;
            expect(gradient[i]).withContext(`transform entry ${i}`).toBeCloseTo((total(plus) - total(minus)) / (2 * h), 3);
        }
        // dL/dC of one ray
        const results = Float32Array.from(batch.results);
        AppearanceApplyCpu(params, batch.rays, batch.cameras, batch.transforms, results);
        const rayLossAt = (colour: number[]): number => {
            const probe = Float32Array.from(batch.results);
            probe.set(colour, 0);
            return AppearanceApplyCpu({ rayCount: 1, frameCount: 3 }, batch.rays, batch.cameras, batch.transforms, probe).rayLoss[0];
        };
        const c0 = Array.from(batch.results.slice(0, 3));
        for (let k = 0; k < 3; k++) {
            const plus = [...c0];
            const minus = [...c0];
            plus[k] += 1e-2;
            minus[k] -= 1e-2;
            expect(results[8 + k]).withContext(`dL/dC channel ${k}`).toBeCloseTo((rayLossAt(plus) - rayLossAt(minus)) / 2e-2, 3);
        }
    });
});

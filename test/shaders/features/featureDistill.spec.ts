import { ComputeKernel } from "@plugin/core/gpu/computeKernel";
import type { GpuContext } from "@plugin/core/gpu/gpuContext";
import type { CameraIntrinsics } from "@plugin/core/capture/captureTypes";
import { PackFrames } from "@plugin/core/nerf/trainingFrames";
import { PackFieldParams } from "@shaders/nerf/fieldMath";
import { PackRayParams, RayGenerationKernel, type RayParams } from "@shaders/nerf/rayGenerationKernel";
import { PackSampleParams, SampleRaysKernel } from "@shaders/nerf/sampleRaysKernel";
import { PackRenderParams } from "@shaders/nerf/volumeRenderForwardKernel";
import { RayBytes } from "@shaders/nerf/nerfKernelCommon";
import { TouchedBitsOffset } from "@shaders/nerf/volumeRenderBackwardKernel";
import { FieldWeightsKernel } from "@shaders/fusion/fusionKernels";
import { FeatureDistillKernel, FeatureInvocations, PackFeatureParams, type FeatureParams } from "@shaders/features/featureKernels";
import { FeatureDistillCpu } from "@shaders/features/featureCpu";
import { LookAtRows } from "@test/helpers/imageFixtures";
import { RandomFloats } from "@test/helpers/random";
import { RequireGpuAsync } from "@test/helpers/webGpu";
import { MakeNerfFixture, type NerfFixture } from "@test/helpers/nerfFixture";
import { MaxAbsDiff } from "@test/shaders/parity";

const fixtures = [false, true].map((contracted) => MakeNerfFixture(37, { densityRange: 4, emptyCells: 0.1, contracted }));
const intrinsics: CameraIntrinsics = { fx: 14, fy: 14, cx: 6, cy: 5, width: 12, height: 10 };
const frames = PackFrames(
    [
        [2.4, 0.9, 1.8],
        [-1.5, 1.6, -2.2],
    ].map((eye) => ({ cameraToWorld: Float64Array.from(LookAtRows(eye as [number, number, number], [0, 0, 0]).flat()), intrinsics, image: { width: 12, height: 10, data: new Uint8ClampedArray(12 * 10 * 4) } }))
);
// not a multiple of 64: the last workgroup of each channel is partly empty
const rayCount = 150;
const maxSamples = 40;
const gridSize: [number, number, number] = [5, 4, 6];
const points = 5 * 4 * 6;

/** Training rays (random cells of both frames, jittered), their samples and frozen weights, on the GPU. */
async function TraceAsync(gpu: GpuContext, fixture: NerfFixture) {
    const rayParams: RayParams = { rayCount, frameCount: 2, totalPixels: frames.totalPixels, seed: 11, mode: 0, frame: 0, firstRay: 0, background: 0 };
    const field = gpu.createUniformBuffer("field", new Uint8Array(PackFieldParams(fixture.field)));
    const rays = gpu.createStorageBuffer("rays", rayCount * RayBytes);
    const sampleT = gpu.createStorageBuffer("sampleT", rayCount * maxSamples * 4);
    const sampleCount = gpu.createStorageBuffer("sampleCount", rayCount * 4);
    const samples = gpu.createStorageBuffer("samples", rayCount * maxSamples * 16);
    const rayColor = gpu.createStorageBuffer("rayColor", rayCount * 16);
    (await ComputeKernel.CreateAsync(gpu, RayGenerationKernel)).dispatch({ field, params: gpu.createUniformBuffer("rp", PackRayParams(rayParams)), cameras: gpu.createStorageBuffer("cameras", new Uint8Array(frames.cameras)), pixels: gpu.createStorageBuffer("pixels", frames.pixels), rays }, rayCount);
    (await ComputeKernel.CreateAsync(gpu, SampleRaysKernel)).dispatch({ field, params: gpu.createUniformBuffer("sp", PackSampleParams({ rayCount, maxSamples, seed: 3, jitter: true })), rays, occupancy: gpu.createStorageBuffer("occupancy", fixture.occupancy), sampleT, sampleCount }, rayCount);
    const density = gpu.createStorageBuffer("density", fixture.density);
    const sh = gpu.createStorageBuffer("sh", fixture.sh);
    (await ComputeKernel.CreateAsync(gpu, FieldWeightsKernel)).dispatch({ field, params: gpu.createUniformBuffer("wp", new Uint8Array(PackRenderParams({ rayCount, maxSamples, training: true, earlyStop: 1e-3 }))), rays, sampleT, sampleCount, density, sh, samples, rayColor }, rayCount);
    return { rays, samples, rayColor };
}

function Params(fixture: NerfFixture, channels: number, training: boolean): FeatureParams {
    return { boundsMin: fixture.field.boundsMin, boundsMax: fixture.field.boundsMax, gridSize, contracted: fixture.field.contracted, channels, rayCount, maxSamples, training, minWeight: 1e-6 };
}

for (const fixture of fixtures) {
    const kind = fixture.field.contracted ? " (contracted whole-scene field and feature grid)" : "";
    describe(`featureDistill.wgsl vs its CPU twin${kind}`, () => {
        for (const channels of [3, 16]) {
            it(`${channels} channels: rendered features, losses, gradients (grid and background) and touched points match`, async () => {
                const gpu = await RequireGpuAsync();
                const traced = await TraceAsync(gpu, fixture);
                const params = Params(fixture, channels, true);
                const features = RandomFloats((points + 1) * channels, 41, -1, 1);
                const targets = RandomFloats(frames.totalPixels * channels, 43, -1.5, 1.5);
                const buffers = {
                    params: gpu.createUniformBuffer("fp", new Uint8Array(PackFeatureParams(params))),
                    rays: traced.rays,
                    samples: traced.samples,
                    rayColor: traced.rayColor,
                    targets: gpu.createStorageBuffer("targets", targets),
                    features: gpu.createStorageBuffer("features", features),
                    grad: gpu.createStorageBuffer("grad", (points + 1) * channels * 4),
                    touchedList: gpu.createStorageBuffer("touchedList", (points + 1) * 4),
                    touchedState: gpu.createStorageBuffer("touchedState", (TouchedBitsOffset + Math.ceil((points + 1) / 32)) * 4),
                    rayFeature: gpu.createStorageBuffer("rayFeature", rayCount * channels * 4),
                    rayLoss: gpu.createStorageBuffer("rayLoss", rayCount * channels * 4),
                };
                (await ComputeKernel.CreateAsync(gpu, FeatureDistillKernel)).dispatch(buffers, FeatureInvocations(rayCount, channels));
                const rayColor = await gpu.readFloat32Async(traced.rayColor);
                const cpu = FeatureDistillCpu(params, await gpu.readAsync(traced.rays), await gpu.readFloat32Async(traced.samples), rayColor, targets, features);
                // the rays meet the field: features are not just the background
                expect(Math.max(...Array.from({ length: rayCount }, (_, r) => rayColor[r * 4 + 3]))).toBeGreaterThan(3);
                expect(MaxAbsDiff(await gpu.readFloat32Async(buffers.rayFeature), cpu.rayFeature)).toBeLessThan(1e-4);
                expect(MaxAbsDiff(await gpu.readFloat32Async(buffers.rayLoss), cpu.rayLoss)).toBeLessThan(1e-4);
                const gpuGrad = await gpu.readFloat32Async(buffers.grad);
                const scale = Math.max(...Array.from(cpu.grad, Math.abs));
                expect(scale).toBeGreaterThan(1e-2);
                expect(MaxAbsDiff(gpuGrad, cpu.grad)).toBeLessThan(1e-4 * Math.max(1, scale));
                // the background's gradient sums every ray's share
                expect(Math.abs(cpu.grad[points * channels])).toBeGreaterThan(0);
                const state = await gpu.readUint32Async(buffers.touchedState);
                expect(Array.from((await gpu.readUint32Async(buffers.touchedList)).subarray(0, state[0])).sort((a, b) => a - b)).toEqual([...cpu.touched].sort((a, b) => a - b));
                expect(cpu.touched.has(points)).toBeTrue();
            });
        }

        it("render mode writes the features and leaves gradients and touched points alone", async () => {
            const gpu = await RequireGpuAsync();
            const traced = await TraceAsync(gpu, fixture);
            const channels = 5;
            const params = Params(fixture, channels, false);
            const features = RandomFloats((points + 1) * channels, 47, -1, 1);
            const buffers = {
                params: gpu.createUniformBuffer("fp", new Uint8Array(PackFeatureParams(params))),
                rays: traced.rays,
                samples: traced.samples,
                rayColor: traced.rayColor,
                targets: gpu.createStorageBuffer("targets", 16),
                features: gpu.createStorageBuffer("features", features),
                grad: gpu.createStorageBuffer("grad", (points + 1) * channels * 4),
                touchedList: gpu.createStorageBuffer("touchedList", (points + 1) * 4),
                touchedState: gpu.createStorageBuffer("touchedState", (TouchedBitsOffset + Math.ceil((points + 1) / 32)) * 4),
                rayFeature: gpu.createStorageBuffer("rayFeature", rayCount * channels * 4),
                rayLoss: gpu.createStorageBuffer("rayLoss", rayCount * channels * 4),
            };
            (await ComputeKernel.CreateAsync(gpu, FeatureDistillKernel)).dispatch(buffers, FeatureInvocations(rayCount, channels));
            const cpu = FeatureDistillCpu(params, await gpu.readAsync(traced.rays), await gpu.readFloat32Async(traced.samples), await gpu.readFloat32Async(traced.rayColor), new Float32Array(0), features);
            expect(MaxAbsDiff(await gpu.readFloat32Async(buffers.rayFeature), cpu.rayFeature)).toBeLessThan(1e-4);
            expect((await gpu.readFloat32Async(buffers.grad)).every((g) => g === 0)).toBeTrue();
            expect((await gpu.readUint32Async(buffers.touchedState))[0]).toBe(0);
            expect(cpu.touched.size).toBe(0);
        });
    });

    describe(`feature distillation gradients vs finite differences (CPU twin${kind})`, () => {
        it("dL/d(feature) of the grid and the background matches central differences", async () => {
            const gpu = await RequireGpuAsync();
            const traced = await TraceAsync(gpu, fixture);
            const rays = await gpu.readAsync(traced.rays);
            const samples = await gpu.readFloat32Async(traced.samples);
            const rayColor = await gpu.readFloat32Async(traced.rayColor);
            const channels = 4;
            const params = Params(fixture, channels, true);
            const features = RandomFloats((points + 1) * channels, 53, -1, 1);
            const targets = RandomFloats(frames.totalPixels * channels, 59, -1, 1);
            const total = (f: Float32Array): number => FeatureDistillCpu(params, rays, samples, rayColor, targets, f).rayLoss.reduce((a, b) => a + b, 0);
            const { grad } = FeatureDistillCpu(params, rays, samples, rayColor, targets, features);
            const largest = Array.from(grad.keys()).sort((a, b) => Math.abs(grad[b]) - Math.abs(grad[a])).slice(0, 10);
            const background = [0, 1, 2, 3].map((c) => points * channels + c);
            const h = 1e-2;
            for (const word of [...new Set([...largest, ...background])]) {
                const plus = Float32Array.from(features);
                plus[word] += h;
                const minus = Float32Array.from(features);
                minus[word] -= h;
                const numeric = (total(plus) - total(minus)) / (2 * h);
                expect(Math.abs(grad[word] - numeric)).withContext(`feature ${word}: analytic ${grad[word]}, numeric ${numeric}`).toBeLessThan(1e-2 * Math.max(Math.abs(numeric), 1e-2));
            }
        });
    });
}

import { ComputeKernel } from "@plugin/core/gpu/computeKernel";
import type { GpuContext } from "@plugin/core/gpu/gpuContext";
import { PackFieldParams } from "@shaders/nerf/fieldMath";
import { PackFrames } from "@plugin/core/nerf/trainingFrames";
import type { CameraIntrinsics } from "@plugin/core/capture/captureTypes";
import { PackRayParams, RayGenerationKernel, type RayParams } from "@shaders/nerf/rayGenerationKernel";
import { RayGenerationCpu } from "@shaders/nerf/rayGenerationCpu";
import { PackSampleParams, SampleRaysKernel } from "@shaders/nerf/sampleRaysKernel";
import { PackRenderParams } from "@shaders/nerf/volumeRenderForwardKernel";
import { RayBytes } from "@shaders/nerf/nerfKernelCommon";
import { TouchedBitsOffset } from "@shaders/nerf/volumeRenderBackwardKernel";
import { DefaultFixedPointScale } from "@shaders/reduce/scatterAddKernel";
import { FieldWeightsKernel, ObjectAdamKernel, ObjectFusionKernel, ObjectMaskKernel, PackObjectAdamParams, PackObjectParams, type ObjectAdamParams, type ObjectParams } from "@shaders/fusion/fusionKernels";
import { FieldWeightsCpu, ObjectAdamCpu, ObjectFusionCpu, ObjectMaskCpu } from "@shaders/fusion/fusionCpu";
import { LookAtRows } from "@test/helpers/imageFixtures";
import { RandomFloats, SeededRandom } from "@test/helpers/random";
import { RequireGpuAsync } from "@test/helpers/webGpu";
import { MakeNerfFixture, type NerfFixture } from "@test/helpers/nerfFixture";
import { MaxAbsDiff } from "@test/shaders/parity";

const fixtures = [false, true].map((contracted) => MakeNerfFixture(31, { densityRange: 4, emptyCells: 0.1, contracted }));
const intrinsics: CameraIntrinsics = { fx: 20, fy: 20, cx: 8, cy: 8, width: 16, height: 16 };
const frames = PackFrames(
    [
        [2.4, 0.9, 1.8],
        [-1.5, 1.6, -2.2],
    ].map((eye) => ({ cameraToWorld: Float64Array.from(LookAtRows(eye as [number, number, number], [0, 0, 0]).flat()), intrinsics, image: { width: 16, height: 16, data: new Uint8ClampedArray(16 * 16 * 4) } }))
);
const rayCount = 4 * 64;
const maxSamples = 48;
const rayParams: RayParams = { rayCount, frameCount: 2, totalPixels: frames.totalPixels, seed: 5, mode: 2, frame: 8, firstRay: 0, background: 0 };

/** Rays, samples and the frozen weights on the GPU, plus random targets. */
async function PrepareAsync(gpu: GpuContext, fixture: NerfFixture) {
    const field = gpu.createUniformBuffer("field", new Uint8Array(PackFieldParams(fixture.field)));
    const rays = gpu.createStorageBuffer("rays", rayCount * RayBytes);
    const sampleT = gpu.createStorageBuffer("sampleT", rayCount * maxSamples * 4);
    const sampleCount = gpu.createStorageBuffer("sampleCount", rayCount * 4);
    const samples = gpu.createStorageBuffer("samples", rayCount * maxSamples * 16);
    const rayColor = gpu.createStorageBuffer("rayColor", rayCount * 16);
    const density = gpu.createStorageBuffer("density", fixture.density);
    const sh = gpu.createStorageBuffer("sh", fixture.sh);
    (await ComputeKernel.CreateAsync(gpu, RayGenerationKernel)).dispatch({ field, params: gpu.createUniformBuffer("rp", PackRayParams(rayParams)), cameras: gpu.createStorageBuffer("cameras", new Uint8Array(frames.cameras)), pixels: gpu.createStorageBuffer("pixels", frames.pixels), rays }, rayCount);
    (await ComputeKernel.CreateAsync(gpu, SampleRaysKernel)).dispatch({ field, params: gpu.createUniformBuffer("sp", PackSampleParams({ rayCount, maxSamples, seed: 9, jitter: true })), rays, occupancy: gpu.createStorageBuffer("occupancy", fixture.occupancy), sampleT, sampleCount }, rayCount);
    (await ComputeKernel.CreateAsync(gpu, FieldWeightsKernel)).dispatch({ field, params: gpu.createUniformBuffer("wp", new Uint8Array(PackRenderParams({ rayCount, maxSamples, training: false, earlyStop: 1e-3 }))), rays, sampleT, sampleCount, density, sh, samples, rayColor }, rayCount);
    const random = SeededRandom(17);
    const rayTarget = Float32Array.from({ length: rayCount * 2 }, (_, i) => (i % 2 === 0 ? Math.floor(random() * 3) : random() < 0.15 ? 0 : 0.5 + random() / 2));
    return { rays, sampleT, sampleCount, samples, rayColor, rayTarget };
}

function Params(fixture: NerfFixture, channels: number, softmax: boolean, rayPair: boolean): ObjectParams {
    return { boundsMin: fixture.field.boundsMin, boundsMax: fixture.field.boundsMax, gridSize: [5, 4, 6], contracted: fixture.field.contracted, channels, softmax, rayCount, maxSamples, rayPair, training: true, rayPairWeight: 1, rayPairSharpness: 10, rayPairThreshold: 0.25, epsilon: 1e-6, minWeight: 1e-6 };
}

for (const fixture of fixtures) {
describe(`fusion kernels vs their CPU twins${fixture.field.contracted ? " (contracted whole-scene field and object grid)" : ""}`, () => {
    it("rayGeneration.wgsl mode 2 makes 8x8 patches of neighbouring pixels", () => {
        const rays = new Uint32Array(RayGenerationCpu(fixture.field, rayParams, frames));
        for (let patch = 0; patch < 4; patch++) {
            const first = rays[patch * 64 * 16 + 15];
            for (let j = 0; j < 64; j++) {
                expect(rays[(patch * 64 + j) * 16 + 15] - first).toBe(Math.floor(j / 8) * 16 + (j % 8));
            }
        }
    });

    it("fieldWeights.wgsl gives the CPU twin's sample positions, weights and colours", async () => {
        const gpu = await RequireGpuAsync();
        const prepared = await PrepareAsync(gpu, fixture);
        const cpu = FieldWeightsCpu(fixture.field, { rayCount, maxSamples, earlyStop: 1e-3 }, await gpu.readAsync(prepared.rays), await gpu.readFloat32Async(prepared.sampleT), await gpu.readUint32Async(prepared.sampleCount), fixture.density, fixture.sh);
        const gpuColor = await gpu.readFloat32Async(prepared.rayColor);
        expect(MaxAbsDiff(gpuColor, cpu.rayColor)).toBeLessThan(2e-5);
        const gpuSamples = await gpu.readFloat32Async(prepared.samples);
        for (let r = 0; r < rayCount; r++) {
            const used = cpu.rayColor[r * 4 + 3];
            expect(MaxAbsDiff(gpuSamples.subarray(r * maxSamples * 4, (r * maxSamples + used) * 4), cpu.samples.subarray(r * maxSamples * 4, (r * maxSamples + used) * 4))).toBeLessThan(2e-5);
        }
        expect(Math.max(...Array.from({ length: rayCount }, (_, r) => cpu.rayColor[r * 4 + 3]))).toBeGreaterThan(3);
    });

    for (const [channels, softmax, rayPair] of [
        [3, true, false],
        [3, true, true],
        [1, false, false],
        [1, false, true],
    ] as [number, boolean, boolean][]) {
        it(`objectFusion.wgsl (${softmax ? `softmax, ${channels} channels` : "sigmoid"}${rayPair ? ", ray-pair" : ""}): losses, gradients and touched points match; objectAdam and objectMask too`, async () => {
            const gpu = await RequireGpuAsync();
            const prepared = await PrepareAsync(gpu, fixture);
            const params = Params(fixture, channels, softmax, rayPair);
            const points = 5 * 4 * 6;
            const logits = RandomFloats(points * channels, 23, -2, 2);
            const buffers = {
                params: gpu.createUniformBuffer("op", new Uint8Array(PackObjectParams(params))),
                samples: prepared.samples,
                rayColor: prepared.rayColor,
                rayTarget: gpu.createStorageBuffer("rayTarget", prepared.rayTarget),
                logits: gpu.createStorageBuffer("logits", logits),
                grad: gpu.createStorageBuffer("grad", points * channels * 4),
                touchedList: gpu.createStorageBuffer("touchedList", points * 4),
                touchedState: gpu.createStorageBuffer("touchedState", (TouchedBitsOffset + Math.ceil(points / 32)) * 4),
                rayLoss: gpu.createStorageBuffer("rayLoss", rayCount * 4),
            };
            (await ComputeKernel.CreateAsync(gpu, ObjectFusionKernel, { DETERMINISTIC: 1 })).dispatch(buffers, rayCount);
            const samples = await gpu.readFloat32Async(prepared.samples);
            const rayColor = await gpu.readFloat32Async(prepared.rayColor);
            const cpu = ObjectFusionCpu(params, samples, rayColor, prepared.rayTarget, logits);
            expect(MaxAbsDiff(await gpu.readFloat32Async(buffers.rayLoss), cpu.rayLoss)).toBeLessThan(1e-4);
            if (rayPair) {
                // the pairs are there: the Ray-Pair terms change the loss
                const without = ObjectFusionCpu({ ...params, rayPair: false }, samples, rayColor, prepared.rayTarget, logits);
                const sum = (values: Float32Array): number => values.reduce((total, value) => total + value, 0);
                expect(sum(cpu.rayLoss) - sum(without.rayLoss)).toBeGreaterThan(1e-2);
            }
            const gpuGrad = Array.from(new Int32Array(await gpu.readAsync(buffers.grad)), (w) => w / DefaultFixedPointScale);
            const scale = Math.max(...Array.from(cpu.grad, Math.abs));
            expect(scale).toBeGreaterThan(1e-3);
            expect(MaxAbsDiff(gpuGrad, cpu.grad)).toBeLessThan(2e-4 * Math.max(1, scale));
            const state = await gpu.readUint32Async(buffers.touchedState);
            expect(Array.from((await gpu.readUint32Async(buffers.touchedList)).subarray(0, state[0])).sort((a, b) => a - b)).toEqual([...cpu.touched].sort((a, b) => a - b));
            // Adam on the touched points
            const adam: ObjectAdamParams = { learningRate: 0.05, beta1: 0.9, beta2: 0.99, epsilon: 1e-8, biasCorrection1: 10, biasCorrection2: 100, fixedPointScale: DefaultFixedPointScale, channels };
            const moments = gpu.createStorageBuffer("moments", points * channels * 8);
            (await ComputeKernel.CreateAsync(gpu, ObjectAdamKernel, { DETERMINISTIC: 1 })).dispatch({ params: gpu.createUniformBuffer("ap", new Uint8Array(PackObjectAdamParams(adam))), touchedList: buffers.touchedList, touchedState: buffers.touchedState, grad: buffers.grad, logits: buffers.logits, moments }, state[0]);
            const cpuLogits = Float32Array.from(logits);
            ObjectAdamCpu(adam, cpu.touched, Float64Array.from(gpuGrad), cpuLogits, new Float32Array(points * channels * 2));
            expect(MaxAbsDiff(await gpu.readFloat32Async(buffers.logits), cpuLogits)).toBeLessThan(1e-4);
            // masks from the updated field
            const rayMask = gpu.createStorageBuffer("rayMask", rayCount * 16);
            (await ComputeKernel.CreateAsync(gpu, ObjectMaskKernel)).dispatch({ params: buffers.params, samples: prepared.samples, rayColor: prepared.rayColor, logits: buffers.logits, rayMask }, rayCount);
            const cpuMask = ObjectMaskCpu(params, samples, rayColor, await gpu.readFloat32Async(buffers.logits));
            const gpuMask = await gpu.readFloat32Async(rayMask);
            let labelsAgree = 0;
            for (let r = 0; r < rayCount; r++) {
                labelsAgree += gpuMask[r * 4] === cpuMask[r * 4] ? 1 : 0;
                expect(Math.abs(gpuMask[r * 4 + 2] - cpuMask[r * 4 + 2])).toBeLessThan(1e-4);
            }
            expect(labelsAgree).toBeGreaterThanOrEqual(rayCount - 2);
        });
    }
});
}

for (const fixture of fixtures) {
describe(`fusion gradients vs finite differences (CPU twin, float64${fixture.field.contracted ? ", contracted object grid" : ""})`, () => {
    for (const softmax of [true, false]) {
        it(`objectFusion (${softmax ? "softmax" : "sigmoid"}, ray-pair on) matches central differences`, async () => {
            const gpu = await RequireGpuAsync();
            const prepared = await PrepareAsync(gpu, fixture);
            const samples = await gpu.readFloat32Async(prepared.samples);
            const rayColor = await gpu.readFloat32Async(prepared.rayColor);
            const channels = softmax ? 3 : 1;
            const params = Params(fixture, channels, softmax, true);
            const logits = RandomFloats(5 * 4 * 6 * channels, 29, -1.5, 1.5);
            const total = (l: Float32Array): number => ObjectFusionCpu(params, samples, rayColor, prepared.rayTarget, l).rayLoss.reduce((a, b) => a + b, 0);
            const { grad } = ObjectFusionCpu(params, samples, rayColor, prepared.rayTarget, logits);
            const largest = Array.from(grad.keys()).sort((a, b) => Math.abs(grad[b]) - Math.abs(grad[a])).slice(0, 12);
            const h = 1e-3;
            for (const word of largest) {
                const plus = Float32Array.from(logits);
                plus[word] += h;
                const minus = Float32Array.from(logits);
                minus[word] -= h;
                const numeric = (total(plus) - total(minus)) / (2 * h);
                expect(Math.abs(grad[word] - numeric)).withContext(`logit ${word}: analytic ${grad[word]}, numeric ${numeric}`).toBeLessThan(2e-2 * Math.max(Math.abs(numeric), 1e-2));
            }
        });
    }
});
}

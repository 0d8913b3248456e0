import { ComputeKernel } from "@plugin/core/gpu/computeKernel";
import type { GpuContext } from "@plugin/core/gpu/gpuContext";
import { PackFieldParams, VoxelCount } from "@shaders/nerf/fieldMath";
import { PackRayParams, RayGenerationKernel, type RayParams } from "@shaders/nerf/rayGenerationKernel";
import { RayGenerationCpu } from "@shaders/nerf/rayGenerationCpu";
import { PackSampleParams, SampleRaysKernel, type SampleParams } from "@shaders/nerf/sampleRaysKernel";
import { SampleRaysCpu } from "@shaders/nerf/sampleRaysCpu";
import { PackRenderParams, RayResultBytes, VolumeRenderForwardKernel, type RenderParams } from "@shaders/nerf/volumeRenderForwardKernel";
import { GradWordsPerPoint, TouchedBitsOffset, VolumeRenderBackwardKernel } from "@shaders/nerf/volumeRenderBackwardKernel";
import { VolumeRenderBackwardCpu, VolumeRenderForwardCpu } from "@shaders/nerf/volumeRenderCpu";
import { RayBytes } from "@shaders/nerf/nerfKernelCommon";
import { DefaultFixedPointScale } from "@shaders/reduce/scatterAddKernel";
import { RequireGpuAsync } from "@test/helpers/webGpu";
import { MakeNerfFixture, type NerfFixture } from "@test/helpers/nerfFixture";
import { MaxAbsDiff } from "@test/shaders/parity";

const rayCount = 96;
const maxSamples = 48;

/** Runs ray generation, sampling and the forward pass on the GPU; returns every buffer. */
async function RunForwardGpuAsync(gpu: GpuContext, fixture: NerfFixture, rayParams: RayParams, sampleParams: SampleParams, renderParams: RenderParams) {
    const field = gpu.createUniformBuffer("field", new Uint8Array(PackFieldParams(fixture.field)));
    const buffers = {
        field,
        cameras: gpu.createStorageBuffer("cameras", new Uint8Array(fixture.frames.cameras)),
        pixels: gpu.createStorageBuffer("pixels", fixture.frames.pixels),
        rays: gpu.createStorageBuffer("rays", rayParams.rayCount * RayBytes),
        occupancy: gpu.createStorageBuffer("occupancy", fixture.occupancy),
        sampleT: gpu.createStorageBuffer("sampleT", rayParams.rayCount * maxSamples * 4),
        sampleCount: gpu.createStorageBuffer("sampleCount", rayParams.rayCount * 4),
        density: gpu.createStorageBuffer("density", fixture.density),
        sh: gpu.createStorageBuffer("sh", fixture.sh),
        results: gpu.createStorageBuffer("results", rayParams.rayCount * RayResultBytes),
        rayLoss: gpu.createStorageBuffer("rayLoss", rayParams.rayCount * 4),
    };
    const rayGen = await ComputeKernel.CreateAsync(gpu, RayGenerationKernel);
    const sampler = await ComputeKernel.CreateAsync(gpu, SampleRaysKernel);
    const forward = await ComputeKernel.CreateAsync(gpu, VolumeRenderForwardKernel);
    rayGen.dispatch({ field, params: gpu.createUniformBuffer("rayParams", PackRayParams(rayParams)), cameras: buffers.cameras, pixels: buffers.pixels, rays: buffers.rays }, rayParams.rayCount);
    sampler.dispatch({ field, params: gpu.createUniformBuffer("sampleParams", PackSampleParams(sampleParams)), rays: buffers.rays, occupancy: buffers.occupancy, sampleT: buffers.sampleT, sampleCount: buffers.sampleCount }, rayParams.rayCount);
    forward.dispatch(
        { field, params: gpu.createUniformBuffer("renderParams", new Uint8Array(PackRenderParams(renderParams))), rays: buffers.rays, sampleT: buffers.sampleT, sampleCount: buffers.sampleCount, density: buffers.density, sh: buffers.sh, results: buffers.results, rayLoss: buffers.rayLoss },
        rayParams.rayCount
    );
    return buffers;
}

for (const contracted of [false, true]) {
describe(`radiance-field render kernels vs their CPU twins${contracted ? " (contracted whole-scene field)" : ""}`, () => {
    const fixture = MakeNerfFixture(7, { contracted });
    const rayParams: RayParams = { rayCount, frameCount: 2, totalPixels: fixture.frames.totalPixels, seed: 1234, mode: 0, frame: 0, firstRay: 0, background: 2 };
    const sampleParams: SampleParams = { rayCount, maxSamples, seed: 99, jitter: true };
    const renderParams: RenderParams = { rayCount, maxSamples, training: true, earlyStop: 1e-4 };

    it("rayGeneration.wgsl: training batches and render mode give the CPU twin's rays (1e-5)", async () => {
        const gpu = await RequireGpuAsync();
        for (const params of [rayParams, { ...rayParams, mode: 1 as const, frame: 1, firstRay: 5, rayCount: 40, background: 0 }, { ...rayParams, mode: 2 as const, frame: 4, rayCount: 48, seed: 77 }]) {
            const buffers = await RunForwardGpuAsync(gpu, fixture, params, { ...sampleParams, rayCount: params.rayCount }, { ...renderParams, rayCount: params.rayCount });
            const gpuRays = await gpu.readAsync(buffers.rays);
            const cpuRays = RayGenerationCpu(fixture.field, params, fixture.frames);
            const gpuU = new Uint32Array(gpuRays);
            const cpuU = new Uint32Array(cpuRays);
            for (let r = 0; r < params.rayCount; r++) {
                expect(gpuU[r * 16 + 15]).withContext(`ray ${r} pixel`).toBe(cpuU[r * 16 + 15]);
                gpuU[r * 16 + 15] = cpuU[r * 16 + 15] = 0;
            }
            expect(MaxAbsDiff(new Float32Array(gpuRays), new Float32Array(cpuRays))).toBeLessThan(1e-5);
        }
    });

    it("sampleRays.wgsl: the same samples as the CPU twin, skipping empty cells", async () => {
        const gpu = await RequireGpuAsync();
        const buffers = await RunForwardGpuAsync(gpu, fixture, rayParams, sampleParams, renderParams);
        const cpu = SampleRaysCpu(fixture.field, sampleParams, await gpu.readAsync(buffers.rays), fixture.occupancy);
        const gpuCount = await gpu.readUint32Async(buffers.sampleCount);
        const gpuT = await gpu.readFloat32Async(buffers.sampleT);
        let mismatched = 0;
        let total = 0;
        for (let r = 0; r < rayCount; r++) {
            // a sample exactly on a cell boundary may round either way: allow a count difference of 1 on rare rays
            if (gpuCount[r] !== cpu.sampleCount[r]) {
                mismatched++;
                continue;
            }
            total += gpuCount[r];
            // beyond the box, t = tLinear / (2 - m step / tLinear) grows towards 1000 tLinear: compare
            // relatively; f32 rounding of (2 - m step / tLinear), down to 2e-3, is amplified up to 1000x
            const gpuRay = gpuT.subarray(r * maxSamples, r * maxSamples + gpuCount[r]);
            const cpuRay = cpu.sampleT.subarray(r * maxSamples, r * maxSamples + gpuCount[r]);
            expect(Math.max(0, ...Array.from(gpuRay, (t, i) => Math.abs(t - cpuRay[i]) / Math.max(1, Math.abs(cpuRay[i]))))).toBeLessThan(contracted ? 2e-4 : 1e-5);
        }
        expect(mismatched).toBeLessThanOrEqual(1);
        expect(total).toBeGreaterThan(rayCount * 3);
        if (contracted) {
            // samples also lie beyond the box, in the contracted shell
            const rays = new Float32Array(await gpu.readAsync(buffers.rays));
            let beyond = 0;
            for (let r = 0; r < rayCount; r++) {
                beyond += Array.from(gpuT.subarray(r * maxSamples, r * maxSamples + gpuCount[r])).filter((t) => t > rays[r * 16 + 7]).length;
            }
            expect(beyond).toBeGreaterThan(rayCount);
        }
    });

    it("volumeRenderForward.wgsl: colour, opacity, depth, loss and dL/dC match the CPU twin (2e-5)", async () => {
        const gpu = await RequireGpuAsync();
        const buffers = await RunForwardGpuAsync(gpu, fixture, rayParams, sampleParams, renderParams);
        const rays = await gpu.readAsync(buffers.rays);
        const sampleT = await gpu.readFloat32Async(buffers.sampleT);
        const sampleCount = await gpu.readUint32Async(buffers.sampleCount);
        const cpu = VolumeRenderForwardCpu(fixture.field, renderParams, rays, sampleT, sampleCount, fixture.density, fixture.sh);
        const gpuResults = await gpu.readFloat32Async(buffers.results);
        expect(MaxAbsDiff(gpuResults, cpu.results)).toBeLessThan(2e-5);
        expect(MaxAbsDiff(await gpu.readFloat32Async(buffers.rayLoss), cpu.rayLoss)).toBeLessThan(2e-5);
        const opacities = Array.from({ length: rayCount }, (_, r) => cpu.results[r * 12 + 3]);
        expect(Math.max(...opacities)).toBeGreaterThan(0.5);
        expect(Math.min(...opacities)).toBeLessThan(contracted ? 0.999 : 0.5);
    });

    for (const [deterministic, distortion] of [[true, 0], [false, 0], [true, 0.02]] as const) {
        it(`volumeRenderBackward.wgsl (${deterministic ? "fixed point" : "float compare-exchange"}${distortion > 0 ? ", distortion regulariser" : ""}): gradients and touched points match the CPU twin`, async () => {
            const gpu = await RequireGpuAsync();
            const buffers = await RunForwardGpuAsync(gpu, fixture, rayParams, sampleParams, renderParams);
            const points = VoxelCount(fixture.field);
            const grad = gpu.createStorageBuffer("grad", points * GradWordsPerPoint * 4);
            const touchedList = gpu.createStorageBuffer("touchedList", points * 4);
            const touchedState = gpu.createStorageBuffer("touchedState", (TouchedBitsOffset + Math.ceil(points / 32)) * 4);
            const backward = await ComputeKernel.CreateAsync(gpu, VolumeRenderBackwardKernel, { DETERMINISTIC: deterministic ? 1 : 0 });
            const backwardParams: RenderParams = { ...renderParams, distortion };
            backward.dispatch(
                { field: buffers.field, params: gpu.createUniformBuffer("renderParams", new Uint8Array(PackRenderParams(backwardParams))), rays: buffers.rays, sampleT: buffers.sampleT, density: buffers.density, sh: buffers.sh, results: buffers.results, grad, touchedList, touchedState },
                rayCount
            );
            const words = await gpu.readAsync(grad);
            const gpuGrad = deterministic ? Array.from(new Int32Array(words), (v) => v / DefaultFixedPointScale) : Array.from(new Float32Array(words));
            const cpuArgs = [await gpu.readAsync(buffers.rays), await gpu.readFloat32Async(buffers.sampleT), fixture.density, fixture.sh, await gpu.readFloat32Async(buffers.results)] as const;
            const cpu = VolumeRenderBackwardCpu(fixture.field, backwardParams, ...cpuArgs);
            if (distortion > 0) {
                const without = VolumeRenderBackwardCpu(fixture.field, renderParams, ...cpuArgs);
                expect(MaxAbsDiff(cpu.grad, without.grad)).withContext("the regulariser changes the density gradients").toBeGreaterThan(0.01);
            }
            const scale = Math.max(...Array.from(cpu.grad, Math.abs));
            expect(scale).toBeGreaterThan(0.01);
            expect(MaxAbsDiff(gpuGrad, cpu.grad)).toBeLessThan(1e-4 * Math.max(1, scale));
            const state = await gpu.readUint32Async(touchedState);
            const list = Array.from((await gpu.readUint32Async(touchedList)).subarray(0, state[0])).sort((a, b) => a - b);
            expect(list).toEqual([...cpu.touched].sort((a, b) => a - b));
            for (const index of cpu.touched) {
                expect((state[TouchedBitsOffset + (index >> 5)] >>> (index & 31)) & 1).toBe(1);
            }
        });
    }
});
}

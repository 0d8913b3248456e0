import { ComputeKernel } from "@plugin/core/gpu/computeKernel";
import { OccupancyCellCount, PackFieldParams, VoxelCount, type FieldParams } from "@shaders/nerf/fieldMath";
import { AdamCpu, OccupancyUpdateCpu, TotalVariationCpu, UpsampleGridCpu } from "@shaders/nerf/optimizerCpu";
import { AdamKernel, OccupancyUpdateKernel, PackAdamParams, PrepareIndirectKernel, TotalVariationKernel, UpsampleGridKernel, type AdamParams } from "@shaders/nerf/optimizerKernels";
import { TouchedBitsOffset } from "@shaders/nerf/volumeRenderBackwardKernel";
import { DefaultFixedPointScale } from "@shaders/reduce/scatterAddKernel";
import { RandomFloats, SeededRandom } from "@test/helpers/random";
import { RequireGpuAsync } from "@test/helpers/webGpu";
import { MakeNerfFixture } from "@test/helpers/nerfFixture";
import { MaxAbsDiff } from "@test/shaders/parity";

describe("optimizer kernels vs their CPU twins", () => {
    const fixture = MakeNerfFixture(3);
    const points = VoxelCount(fixture.field);
    const random = SeededRandom(8);
    const touched = Array.from({ length: points }, (_, i) => i).filter(() => random() < 0.6);

    function TouchedState(count: number): Uint32Array {
        const state = new Uint32Array(TouchedBitsOffset + Math.ceil(points / 32));
        state[0] = count;
        return state;
    }

    it("prepareIndirect.wgsl folds the touched count into workgroup counts", async () => {
        const gpu = await RequireGpuAsync();
        const kernel = await ComputeKernel.CreateAsync(gpu, PrepareIndirectKernel);
        for (const [count, expected] of [
            [0, [0, 1, 1]],
            [1, [1, 1, 1]],
            [64, [1, 1, 1]],
            [65, [2, 1, 1]],
            [64 * 65535 + 1, [32768, 2, 1]],
        ] as [number, number[]][]) {
            const args = gpu.createStorageBuffer("args", 12, GPUBufferUsage.INDIRECT);
            kernel.dispatch({ touchedState: gpu.createStorageBuffer("state", Uint32Array.from([count, 0, 0, 0])), indirectArgs: args }, 1);
            const result = Array.from(await gpu.readUint32Async(args));
            expect(result).withContext(`count ${count}`).toEqual(expected);
            expect(result[0] * result[1] * 64).toBeGreaterThanOrEqual(count);
        }
    });

    for (const deterministic of [true, false]) {
        it(`totalVariation.wgsl + adam.wgsl (${deterministic ? "fixed point" : "float"} gradients) update touched points like the CPU twins`, async () => {
            const gpu = await RequireGpuAsync();
            const gradFloat = new Float64Array(points * 13);
            const startGrad = RandomFloats(points * 13, 5, -2, 2);
            touched.forEach((v) => {
                for (let k = 0; k < 13; k++) {
                    gradFloat[13 * v + k] = startGrad[13 * v + k];
                }
            });
            const gradWords = deterministic ? Int32Array.from(gradFloat, (g) => Math.round(g * DefaultFixedPointScale)) : Float32Array.from(gradFloat);
            const moments = RandomFloats(points * 26, 6, 0, 0.5);
            const adam: AdamParams = { lrDensity: 0.1, lrColor: 0.05, beta1: 0.9, beta2: 0.99, epsilon: 1e-8, biasCorrection1: 1 / (1 - 0.9 ** 3), biasCorrection2: 1 / (1 - 0.99 ** 3), fixedPointScale: DefaultFixedPointScale };
            const field = gpu.createUniformBuffer("field", new Uint8Array(PackFieldParams(fixture.field)));
            const buffers = {
                touchedList: gpu.createStorageBuffer("touchedList", Uint32Array.from(touched)),
                touchedState: gpu.createStorageBuffer("touchedState", TouchedState(touched.length)),
                grad: gpu.createStorageBuffer("grad", gradWords),
                density: gpu.createStorageBuffer("density", fixture.density),
                sh: gpu.createStorageBuffer("sh", fixture.sh),
                moments: gpu.createStorageBuffer("moments", moments),
            };
            const constants = { DETERMINISTIC: deterministic ? 1 : 0 };
            const tv = await ComputeKernel.CreateAsync(gpu, TotalVariationKernel, constants);
            const step = await ComputeKernel.CreateAsync(gpu, AdamKernel, constants);
            tv.dispatch({ field, params: gpu.createUniformBuffer("tv", Float32Array.from([0.3, 0.05])), density: buffers.density, sh: buffers.sh, touchedList: buffers.touchedList, touchedState: buffers.touchedState, grad: buffers.grad }, touched.length);
            step.dispatch({ params: gpu.createUniformBuffer("adam", PackAdamParams(adam)), touchedList: buffers.touchedList, touchedState: buffers.touchedState, grad: buffers.grad, density: buffers.density, sh: buffers.sh, moments: buffers.moments }, touched.length);
            const cpuDensity = Float32Array.from(fixture.density);
            const cpuSh = Float32Array.from(fixture.sh);
            const cpuMoments = Float32Array.from(moments);
            const cpuGrad = deterministic ? Float64Array.from(gradWords, (w) => w / DefaultFixedPointScale) : Float64Array.from(gradWords);
            TotalVariationCpu(fixture.field, 0.3, 0.05, fixture.density, fixture.sh, touched, cpuGrad);
            AdamCpu(adam, touched, cpuGrad, cpuDensity, cpuSh, cpuMoments);
            expect(MaxAbsDiff(await gpu.readFloat32Async(buffers.density), cpuDensity)).toBeLessThan(1e-4);
            expect(MaxAbsDiff(await gpu.readFloat32Async(buffers.sh), cpuSh)).toBeLessThan(1e-4);
            expect(MaxAbsDiff(await gpu.readFloat32Async(buffers.moments), cpuMoments)).toBeLessThan(1e-4);
            expect(Array.from(await gpu.readUint32Async(buffers.grad)).every((w) => w === 0)).withContext("gradients reset").toBeTrue();
            const untouched = Array.from({ length: points }, (_, i) => i).find((i) => !touched.includes(i))!;
            expect((await gpu.readFloat32Async(buffers.density))[untouched]).withContext("untouched points keep their value").toBe(fixture.density[untouched]);
        });
    }

    for (const contracted of [false, true]) {
    it(`occupancyUpdate.wgsl gives the CPU twin's bits, moving maxima and count${contracted ? " (contracted: wider samples in the shell)" : ""}`, async () => {
        const gpu = await RequireGpuAsync();
        const field: FieldParams = { ...fixture.field, gridSize: [9, 8, 10], occupancySize: [5, 4, 6], ...(contracted ? { contracted: true, near: 0.2 } : {}) };
        const sparse = SeededRandom(4);
        const density = Float32Array.from({ length: VoxelCount(field) }, () => (sparse() < 0.03 ? 3 * sparse() : -8));
        const cells = OccupancyCellCount(field);
        const cellDensity = RandomFloats(cells, 9, 0, 0.3);
        const buffers = {
            field: gpu.createUniformBuffer("field", new Uint8Array(PackFieldParams(field))),
            params: gpu.createUniformBuffer("occupancyParams", Float32Array.from([0.9, 0.05])),
            density: gpu.createStorageBuffer("density", density),
            cellDensity: gpu.createStorageBuffer("cellDensity", cellDensity),
            occupancy: gpu.createStorageBuffer("occupancy", Math.ceil(cells / 32) * 4),
            stats: gpu.createStorageBuffer("stats", 16),
        };
        (await ComputeKernel.CreateAsync(gpu, OccupancyUpdateKernel)).dispatch(buffers, Math.ceil(cells / 32));
        const cpu = OccupancyUpdateCpu(field, 0.9, 0.05, density, Float32Array.from(cellDensity));
        const bits = await gpu.readUint32Async(buffers.occupancy);
        expect(Array.from(bits)).toEqual(Array.from(cpu.occupancy));
        expect((await gpu.readUint32Async(buffers.stats))[0]).toBe(cpu.occupied);
        expect(cpu.occupied).toBeGreaterThan(0);
        expect(cpu.occupied).toBeLessThan(cells);
        if (contracted) {
            // the shell's wider samples make more cells occupied than the same densities in a box
            expect(cpu.occupied).toBeGreaterThan(OccupancyUpdateCpu({ ...field, contracted: false }, 0.9, 0.05, density, Float32Array.from(cellDensity)).occupied);
        }
    });
    }

    it("upsampleGrid.wgsl resamples onto a finer, tighter grid like the CPU twin", async () => {
        const gpu = await RequireGpuAsync();
        const target: FieldParams = { ...fixture.field, boundsMin: [-0.5, -0.6, -0.4], boundsMax: [0.7, 0.5, 0.6], gridSize: [11, 9, 12] };
        const buffers = {
            field: gpu.createUniformBuffer("target", new Uint8Array(PackFieldParams(target))),
            source: gpu.createUniformBuffer("source", new Uint8Array(PackFieldParams(fixture.field))),
            oldDensity: gpu.createStorageBuffer("oldDensity", fixture.density),
            oldSh: gpu.createStorageBuffer("oldSh", fixture.sh),
            newDensity: gpu.createStorageBuffer("newDensity", VoxelCount(target) * 4),
            newSh: gpu.createStorageBuffer("newSh", VoxelCount(target) * 48),
        };
        (await ComputeKernel.CreateAsync(gpu, UpsampleGridKernel)).dispatch(buffers, VoxelCount(target));
        const cpu = UpsampleGridCpu(target, fixture.field, fixture.density, fixture.sh);
        expect(MaxAbsDiff(await gpu.readFloat32Async(buffers.newDensity), cpu.density)).toBeLessThan(1e-5);
        expect(MaxAbsDiff(await gpu.readFloat32Async(buffers.newSh), cpu.sh)).toBeLessThan(1e-5);
    });

    it("upsampleGrid.wgsl grows a contracted grid in its unit cube (same box) like the CPU twin", async () => {
        const gpu = await RequireGpuAsync();
        const source: FieldParams = { ...fixture.field, contracted: true, near: 0.2 };
        const target: FieldParams = { ...source, gridSize: [11, 9, 12] };
        const buffers = {
            field: gpu.createUniformBuffer("target", new Uint8Array(PackFieldParams(target))),
            source: gpu.createUniformBuffer("source", new Uint8Array(PackFieldParams(source))),
            oldDensity: gpu.createStorageBuffer("oldDensity", fixture.density),
            oldSh: gpu.createStorageBuffer("oldSh", fixture.sh),
            newDensity: gpu.createStorageBuffer("newDensity", VoxelCount(target) * 4),
            newSh: gpu.createStorageBuffer("newSh", VoxelCount(target) * 48),
        };
        (await ComputeKernel.CreateAsync(gpu, UpsampleGridKernel)).dispatch(buffers, VoxelCount(target));
        const cpu = UpsampleGridCpu(target, source, fixture.density, fixture.sh);
        expect(MaxAbsDiff(await gpu.readFloat32Async(buffers.newDensity), cpu.density)).toBeLessThan(1e-5);
        expect(MaxAbsDiff(await gpu.readFloat32Async(buffers.newSh), cpu.sh)).toBeLessThan(1e-5);
        // the grid's corners (the shell's outer faces) keep the old corners' values
        expect(cpu.density[0]).toBeCloseTo(fixture.density[0], 5);
        expect(cpu.density[VoxelCount(target) - 1]).toBeCloseTo(fixture.density[VoxelCount(source) - 1], 5);
    });
});

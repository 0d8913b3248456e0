import { ComputeKernel } from "@plugin/core/gpu/computeKernel";
import type { GpuContext } from "@plugin/core/gpu/gpuContext";
import { ScatterAddFixedCpu, ScatterAddFloatCpu, RoundHalfEven } from "@shaders/reduce/scatterAddCpu";
import { DefaultFixedPointScale, ScatterAddKernel } from "@shaders/reduce/scatterAddKernel";
import { RandomFloats, SeededRandom } from "@test/helpers/random";
import { RequireGpuAsync } from "@test/helpers/webGpu";

async function RunScatterAsync(gpu: GpuContext, index: Uint32Array, value: Float32Array, words: number, deterministic: boolean): Promise<Uint32Array> {
    const kernel = await ComputeKernel.CreateAsync(gpu, ScatterAddKernel, { DETERMINISTIC: deterministic ? 1 : 0 });
    const buffers = {
        params: gpu.createUniformBuffer("params", new Uint32Array([index.length])),
        index: gpu.createStorageBuffer("index", index),
        value: gpu.createStorageBuffer("value", value),
        accumulator: gpu.createStorageBuffer("accumulator", words * 4),
    };
    kernel.dispatch(buffers, index.length);
    const result = await gpu.readUint32Async(buffers.accumulator);
    Object.values(buffers).forEach((b) => b.destroy());
    return result;
}

function RandomTargets(count: number, words: number, seed: number): Uint32Array {
    const random = SeededRandom(seed);
    return Uint32Array.from({ length: count }, () => Math.floor(random() * words));
}

describe("scatterAdd.wgsl (gradient accumulation) vs its CPU twin", () => {
    const count = 20000;
    const words = 37; // many collisions per word

    it("float compare-exchange mode matches the CPU sum within float rounding", async () => {
        const gpu = await RequireGpuAsync();
        const index = RandomTargets(count, words, 1);
        const value = RandomFloats(count, 2);
        const gpuResult = new Float32Array((await RunScatterAsync(gpu, index, value, words, false)).buffer);
        const cpuResult = new Float32Array(words);
        ScatterAddFloatCpu(index, value, cpuResult);
        for (let w = 0; w < words; w++) {
            expect(Math.abs(gpuResult[w] - cpuResult[w])).toBeLessThan(2e-3);
        }
    });

    it("deterministic fixed-point mode is bit-exact with the CPU twin and across runs", async () => {
        const gpu = await RequireGpuAsync();
        const index = RandomTargets(count, words, 3);
        const value = RandomFloats(count, 4, -0.01, 0.01);
        const first = new Int32Array((await RunScatterAsync(gpu, index, value, words, true)).buffer);
        const second = new Int32Array((await RunScatterAsync(gpu, index, value, words, true)).buffer);
        const cpu = new Int32Array(words);
        ScatterAddFixedCpu(index, value, cpu);
        expect(Array.from(first)).toEqual(Array.from(cpu));
        expect(Array.from(second)).toEqual(Array.from(first));
        expect(Math.abs(first[0] / DefaultFixedPointScale)).toBeGreaterThan(0);
    });

    it("rounds like WGSL round() (half to even)", () => {
        expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, -2.6].map((x) => RoundHalfEven(x) + 0)).toEqual([0, 2, 2, 0, -2, 2, -3]);
    });
});

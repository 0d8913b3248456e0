import { GpuSumReducer } from "@plugin/core/gpu/gpuSumReducer";
import { SumReduceCpu } from "@shaders/reduce/sumReduceCpu";
import { RequireGpuAsync } from "@test/helpers/webGpu";
import { RandomFloats } from "@test/helpers/random";

describe("sumReduce.wgsl vs its CPU twin", () => {
    for (const count of [1, 7, 511, 512, 513, 4096, 300001]) {
        it(`sums ${count} random floats like the CPU twin (relative 1e-5)`, async () => {
            const gpu = await RequireGpuAsync();
            const input = RandomFloats(count, count, -1, 1);
            const buffer = gpu.createStorageBuffer("sum-input", input);
            const reducer = await GpuSumReducer.CreateAsync(gpu, count);
            const gpuSum = await reducer.sumAsync(buffer);
            const cpuSum = SumReduceCpu(input);
            let exact = 0;
            for (const v of input) {
                exact += v;
            }
            expect(Math.abs(gpuSum - cpuSum)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(cpuSum)));
            expect(Math.abs(cpuSum - exact)).toBeLessThanOrEqual(1e-3 * Math.max(1, Math.sqrt(count)));
            reducer.dispose();
            buffer.destroy();
        });
    }

    it("reuses its passes for a second input of the same size", async () => {
        const gpu = await RequireGpuAsync();
        const reducer = await GpuSumReducer.CreateAsync(gpu, 1000);
        const ones = gpu.createStorageBuffer("ones", new Float32Array(1000).fill(1));
        const twos = gpu.createStorageBuffer("twos", new Float32Array(1000).fill(2));
        expect(await reducer.sumAsync(ones)).toBe(1000);
        expect(await reducer.sumAsync(twos)).toBe(2000);
        reducer.dispose();
    });
});

import { SumReduceElementsPerGroup } from "./sumReduceKernel";

/**
 * CPU twin of one sumReduce.wgsl pass: same partial-sum layout and the same tree order,
 * so results agree with the GPU to float32 rounding.
 * @param input the floats to sum
 * @param count how many of them are valid
 * @returns ceil(count / 512) partial sums
 */
export function SumReducePassCpu(input: Float32Array, count: number): Float32Array {
    const half = SumReduceElementsPerGroup / 2;
    const groups = Math.ceil(count / SumReduceElementsPerGroup);
    const output = new Float32Array(groups);
    const partial = new Float32Array(half);
    for (let group = 0; group < groups; group++) {
        for (let local = 0; local < half; local++) {
            const base = group * SumReduceElementsPerGroup + local;
            let value = base < count ? input[base] : 0;
            if (base + half < count) {
                value = Math.fround(value + input[base + half]);
            }
            partial[local] = value;
        }
        for (let stride = half / 2; stride > 0; stride >>= 1) {
            for (let local = 0; local < stride; local++) {
                partial[local] = Math.fround(partial[local] + partial[local + stride]);
            }
        }
        output[group] = partial[0];
    }
    return output;
}

/**
 * Full sum by repeated passes, as {@link GpuSumReducer} does on the GPU.
 * @param input the floats to sum
 * @returns the sum (float32 arithmetic, tree order)
 */
export function SumReduceCpu(input: Float32Array): number {
    let values = input;
    let count = input.length;
    if (count === 0) {
        return 0;
    }
    while (count > 1) {
        values = SumReducePassCpu(values, count);
        count = values.length;
    }
    return values[0];
}

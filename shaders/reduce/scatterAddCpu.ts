import { DefaultFixedPointScale } from "./scatterAddKernel";

/**
 * CPU twin of scatterAdd.wgsl in float mode: accumulator[index[k]] += value[k] in float32, k ascending.
 * @param index target word per value
 * @param value the values
 * @param accumulator float accumulators (updated in place)
 */
export function ScatterAddFloatCpu(index: Uint32Array, value: Float32Array, accumulator: Float32Array): void {
    for (let k = 0; k < index.length; k++) {
        accumulator[index[k]] = Math.fround(accumulator[index[k]] + value[k]);
    }
}

/**
 * CPU twin of scatterAdd.wgsl in deterministic mode: i32 fixed point, wrapping like the GPU.
 * @param index target word per value
 * @param value the values
 * @param accumulator fixed-point accumulators (updated in place)
 * @param scale FIXED_POINT_SCALE
 */
export function ScatterAddFixedCpu(index: Uint32Array, value: Float32Array, accumulator: Int32Array, scale = DefaultFixedPointScale): void {
    for (let k = 0; k < index.length; k++) {
        accumulator[index[k]] = (accumulator[index[k]] + RoundHalfEven(Math.fround(value[k] * scale))) | 0;
    }
}

/**
 * WGSL's round(): to nearest, ties to even.
 * @param x value
 * @returns rounded value
 */
export function RoundHalfEven(x: number): number {
    const floor = Math.floor(x);
    const diff = x - floor;
    if (diff > 0.5) {
        return floor + 1;
    }
    if (diff < 0.5) {
        return floor;
    }
    return floor % 2 === 0 ? floor : floor + 1;
}

import { SeededRandom } from "@plugin/core/math/seededRandom";

export { SeededRandom };

/**
 * Random floats in [lo, hi).
 * @param count how many
 * @param seed PRNG seed
 * @param lo lower bound
 * @param hi upper bound
 * @returns the floats
 */
export function RandomFloats(count: number, seed: number, lo = -1, hi = 1): Float32Array {
    const random = SeededRandom(seed);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) {
        out[i] = lo + (hi - lo) * random();
    }
    return out;
}

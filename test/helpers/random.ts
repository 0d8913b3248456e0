/**
 * Small seeded PRNG (mulberry32) so random test inputs are the same every run.
 * @param seed any integer
 * @returns a function giving floats in [0, 1)
 */
export function SeededRandom(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

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

/**
 * Small seeded PRNG (mulberry32): the same sequence for the same seed on every machine.
 * Used wherever the project must be deterministic (sample scenes, noise models, ray batches).
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

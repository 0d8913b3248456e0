import { EmbeddingCache } from "@plugin/core/sam/embeddingCache";
import type { SamImageEmbedding } from "@plugin/core/sam/samTypes";

function Embedding(modelId: string, imageKey: string, floats: number, fill: number): SamImageEmbedding {
    return { modelId, imageKey, width: 8, height: 8, tensors: { image_embeddings: { data: new Float32Array(floats).fill(fill), dims: [1, floats] } } };
}

describe("EmbeddingCache (the feature container)", () => {
    const database = `sanerf-test-${Math.random().toString(36).slice(2)}`;

    afterAll(() => indexedDB.deleteDatabase(database));

    it("hashes image content, not identity", async () => {
        const a = { width: 2, height: 1, data: new Uint8ClampedArray([1, 2, 3, 4, 5, 6, 7, 8]) };
        const b = { width: 2, height: 1, data: new Uint8ClampedArray([1, 2, 3, 4, 5, 6, 7, 8]) };
        const c = { width: 1, height: 2, data: new Uint8ClampedArray([1, 2, 3, 4, 5, 6, 7, 8]) };
        expect(await EmbeddingCache.HashImageAsync(a)).toBe(await EmbeddingCache.HashImageAsync(b));
        expect(await EmbeddingCache.HashImageAsync(a)).not.toBe(await EmbeddingCache.HashImageAsync(c));
    });

    it("keeps the most recently used embeddings within its memory cap and persists them across instances", async () => {
        const cache = new EmbeddingCache({ memoryBytes: 3 * 4000, databaseName: database });
        for (let i = 0; i < 5; i++) {
            await cache.putAsync(Embedding("m", `image-${i}`, 1000, i));
        }
        expect(cache.memoryCount).toBe(3);
        expect(cache.memoryBytes).toBe(12000);
        // image-2 is in memory; image-0 comes back from IndexedDB
        expect((await cache.getAsync("m", "image-4"))!.tensors.image_embeddings.data[0]).toBe(4);
        expect((await cache.getAsync("m", "image-0"))!.tensors.image_embeddings.data[0]).toBe(0);
        expect(cache.stats).toEqual({ memoryHits: 1, persistentHits: 1, misses: 0 });
        expect(await cache.getAsync("other-model", "image-0")).toBeNull();
        // a new cache (a reload) finds them in IndexedDB
        const reloaded = new EmbeddingCache({ databaseName: database });
        expect((await reloaded.getAsync("m", "image-3"))!.tensors.image_embeddings.dims).toEqual([1, 1000]);
        expect(reloaded.stats.persistentHits).toBe(1);
    });

    it("evicts the least recently used records from IndexedDB beyond its persistent cap", async () => {
        const name = `${database}-small`;
        const cache = new EmbeddingCache({ memoryBytes: 0, persistentBytes: 2 * 4000, databaseName: name });
        for (let i = 0; i < 4; i++) {
            await cache.putAsync(Embedding("m", `k${i}`, 1000, i));
        }
        const fresh = new EmbeddingCache({ memoryBytes: 0, databaseName: name });
        expect(await fresh.getAsync("m", "k0")).toBeNull();
        expect(await fresh.getAsync("m", "k3")).not.toBeNull();
        indexedDB.deleteDatabase(name);
    });
});

import type { SamImageEmbedding } from "./samTypes";

/** Options of an {@link EmbeddingCache}. */
export interface EmbeddingCacheOptions {
    /** Bytes kept in memory (least recently used first out). Default 256 MiB. */
    readonly memoryBytes?: number;
    /** Bytes kept in IndexedDB across reloads. Default 1 GiB. 0 disables persistence. */
    readonly persistentBytes?: number;
    /** IndexedDB database name (default "sanerf-embeddings"). */
    readonly databaseName?: string;
}

/** Hits and misses, for the "encoder runs" figures. */
export interface EmbeddingCacheStats {
    memoryHits: number;
    persistentHits: number;
    misses: number;
}

/** Object stores: embedding data by key, and small records (bytes, last use) for eviction. */
const DataStore = "embeddings";
const UsageStore = "usage";

/** Bytes of an embedding's tensors. */
function EmbeddingBytes(embedding: SamImageEmbedding): number {
    return Object.values(embedding.tensors).reduce((sum, tensor) => sum + tensor.data.byteLength, 0);
}

/**
 * SANeRF-HQ's feature container: image embeddings by model id + image content hash, in an LRU in
 * memory and persisted in IndexedDB (also LRU, by last use) so reloads do not re-run the encoder.
 * Babylon-free; works in windows and workers. Persistence failures (private mode, quota) degrade
 * to memory only.
 */
export class EmbeddingCache {
    /** Counters since creation. */
    public readonly stats: EmbeddingCacheStats = { memoryHits: 0, persistentHits: 0, misses: 0 };
    private readonly _memory = new Map<string, SamImageEmbedding>();
    private _memoryBytes = 0;
    private readonly _options: Required<EmbeddingCacheOptions>;
    private _database: Promise<IDBDatabase | null> | null = null;

    /** @param options memory and persistent caps, database name */
    public constructor(options: EmbeddingCacheOptions = {}) {
        this._options = { memoryBytes: 256 * 2 ** 20, persistentBytes: 2 ** 30, databaseName: "sanerf-embeddings", ...options };
    }

    /**
     * The cache key of an image for a model.
     * @param modelId the model's id
     * @param imageKey the image's content hash
     * @returns the key
     */
    public static Key(modelId: string, imageKey: string): string {
        return `${modelId}|${imageKey}`;
    }

    /**
     * A content hash of an RGBA image (SHA-256 of its size and pixels).
     * @param image the image
     * @param image.width width
     * @param image.height height
     * @param image.data RGBA bytes
     * @returns hex digest
     */
    public static async HashImageAsync(image: { width: number; height: number; data: Uint8ClampedArray | Uint8Array }): Promise<string> {
        const header = new Uint32Array([image.width, image.height]);
        const bytes = new Uint8Array(8 + image.data.byteLength);
        bytes.set(new Uint8Array(header.buffer), 0);
        bytes.set(new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength), 8);
        const digest = await crypto.subtle.digest("SHA-256", bytes);
        return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
    }

    /** Embeddings in memory. */
    public get memoryCount(): number {
        return this._memory.size;
    }

    /** Bytes in memory. */
    public get memoryBytes(): number {
        return this._memoryBytes;
    }

    /**
     * Looks an embedding up: memory first, then IndexedDB (promoted to memory on a hit).
     * @param modelId the model's id
     * @param imageKey the image's content hash
     * @returns the embedding, or null on a miss
     */
    public async getAsync(modelId: string, imageKey: string): Promise<SamImageEmbedding | null> {
        const key = EmbeddingCache.Key(modelId, imageKey);
        const hit = this._memory.get(key);
        if (hit) {
            this._memory.delete(key);
            this._memory.set(key, hit);
            this.stats.memoryHits++;
            return hit;
        }
        const stored = await this._readAsync(key);
        if (stored) {
            this.stats.persistentHits++;
            this._remember(key, stored);
            return stored;
        }
        this.stats.misses++;
        return null;
    }

    /**
     * Stores an embedding in memory and (in the background of the returned promise) in IndexedDB.
     * @param embedding the embedding
     */
    public async putAsync(embedding: SamImageEmbedding): Promise<void> {
        const key = EmbeddingCache.Key(embedding.modelId, embedding.imageKey);
        this._remember(key, embedding);
        await this._writeAsync(key, embedding);
    }

    /** Empties memory and IndexedDB. */
    public async clearAsync(): Promise<void> {
        this._memory.clear();
        this._memoryBytes = 0;
        const database = await this._openAsync();
        if (database) {
            const transaction = database.transaction([DataStore, UsageStore], "readwrite");
            await Promise.all([Request(transaction.objectStore(DataStore).clear()), Request(transaction.objectStore(UsageStore).clear())]);
        }
    }

    private _remember(key: string, embedding: SamImageEmbedding): void {
        const bytes = EmbeddingBytes(embedding);
        if (this._memory.has(key)) {
            this._memoryBytes -= EmbeddingBytes(this._memory.get(key)!);
            this._memory.delete(key);
        }
        this._memory.set(key, embedding);
        this._memoryBytes += bytes;
        for (const [oldest, value] of this._memory) {
            if (this._memoryBytes <= this._options.memoryBytes || oldest === key) {
                break;
            }
            this._memory.delete(oldest);
            this._memoryBytes -= EmbeddingBytes(value);
        }
    }

    private _openAsync(): Promise<IDBDatabase | null> {
        if (this._options.persistentBytes <= 0 || typeof indexedDB === "undefined") {
            return Promise.resolve(null);
        }
        this._database ??= new Promise<IDBDatabase | null>((resolve) => {
            const request = indexedDB.open(this._options.databaseName, 1);
            request.onupgradeneeded = () => {
                request.result.createObjectStore(DataStore);
                request.result.createObjectStore(UsageStore, { keyPath: "key" });
            };
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => resolve(null);
            request.onblocked = () => resolve(null);
        });
        return this._database;
    }

    private async _readAsync(key: string): Promise<SamImageEmbedding | null> {
        const database = await this._openAsync();
        if (!database) {
            return null;
        }
        try {
            const transaction = database.transaction([DataStore, UsageStore], "readwrite");
            const embedding = (await Request(transaction.objectStore(DataStore).get(key))) as SamImageEmbedding | undefined;
            if (!embedding) {
                return null;
            }
            await Request(transaction.objectStore(UsageStore).put({ key, bytes: EmbeddingBytes(embedding), used: Date.now() }));
            return embedding;
        } catch {
            return null;
        }
    }

    private async _writeAsync(key: string, embedding: SamImageEmbedding): Promise<void> {
        const database = await this._openAsync();
        if (!database) {
            return;
        }
        try {
            const transaction = database.transaction([DataStore, UsageStore], "readwrite");
            await Request(transaction.objectStore(DataStore).put(embedding, key));
            await Request(transaction.objectStore(UsageStore).put({ key, bytes: EmbeddingBytes(embedding), used: Date.now() }));
            await this._evictAsync(database);
        } catch {
            // quota or private mode: memory only
        }
    }

    private async _evictAsync(database: IDBDatabase): Promise<void> {
        const records = (await Request(database.transaction(UsageStore, "readonly").objectStore(UsageStore).getAll())) as { key: string; bytes: number; used: number }[];
        let total = records.reduce((sum, record) => sum + record.bytes, 0);
        const transaction = database.transaction([DataStore, UsageStore], "readwrite");
        for (const record of records.sort((a, b) => a.used - b.used)) {
            if (total <= this._options.persistentBytes) {
                break;
            }
            await Request(transaction.objectStore(DataStore).delete(record.key));
            await Request(transaction.objectStore(UsageStore).delete(record.key));
            total -= record.bytes;
        }
    }
}

function Request<T>(request: IDBRequest<T>): Promise<T> {
    return new Promise((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
    });
}

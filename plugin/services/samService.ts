import { WorkerBridge } from "./workerBridge";
import { EmbeddingCache } from "../core/sam/embeddingCache";
import { DefaultOnnxWasmBaseUrl } from "../core/onnx/onnxRuntimeSetup";
import { BuiltinSamModelUrls } from "../core/sam/builtinModel";
import type { SamDecodeOptions, SamImageEmbedding, SamMaskResult, SamModelFamily, SamModelInfo, SamPrompt, SamViewImage } from "../core/sam/samTypes";
import type { SamModelSource, SamWorkerApi } from "../../workers/samApi";
import type { SamBackendPreference } from "../core/sam/samSessionOptions";

/** Options of a {@link SamService}. */
export interface SamServiceOptions {
    /** Where onnxruntime-web's .wasm files are served (default `ort/` beside the bundle). */
    readonly wasmBaseUrl?: string;
    /** Execution provider (default "auto": WebGPU on a hardware adapter, wasm otherwise). */
    readonly backend?: SamBackendPreference;
    /** The feature container (default: a new one, persisted in IndexedDB). */
    readonly cache?: EmbeddingCache;
    /** A model URL fails when its server sends nothing for this long, ms (default 60 000). */
    readonly stallTimeoutMs?: number;
}

/** Id of the built-in stand-in model (bump when its graphs change). */
export const BuiltinSamModelId = "builtin-affinity-v3";

/**
 * Main-thread side of segmentation: loads a model into the SAM worker (built-in, URLs or files),
 * runs the encoder once per image through the embedding cache (memory + IndexedDB: a hit never
 * re-runs the encoder), and the decoder per prompt. Counts encoder and decoder runs.
 */
export class SamService {
    /** The feature container. */
    public readonly cache: EmbeddingCache;
    private readonly _bridge: WorkerBridge<SamWorkerApi>;
    private readonly _options: SamServiceOptions;
    private _model: SamModelInfo | null = null;
    private _encoderRuns = 0;
    private _decoderRuns = 0;

    /** @param options wasm location, provider preference, cache */
    public constructor(options: SamServiceOptions = {}) {
        this._options = options;
        this.cache = options.cache ?? new EmbeddingCache();
        this._bridge = new WorkerBridge<SamWorkerApi>(() => new Worker(new URL("../../workers/sam.worker.ts", import.meta.url), { name: "sanerf-sam" }), { name: "SAM worker", idleTimeoutMs: 0 });
    }

    /** The loaded model, or null. */
    public get model(): SamModelInfo | null {
        return this._model;
    }

    /** Whether the loaded model's encoder takes the views' depth (the built-in model does). */
    public get takesDepth(): boolean {
        return this._model?.takesDepth ?? false;
    }

    /** Encoder runs so far (cache misses). */
    public get encoderRuns(): number {
        return this._encoderRuns;
    }

    /** Decoder runs so far. */
    public get decoderRuns(): number {
        return this._decoderRuns;
    }

    /**
     * Loads the built-in stand-in model (shipped with the plugin; not SAM).
     * @returns the model's info
     */
    public async loadBuiltinAsync(): Promise<SamModelInfo> {
        const urls = BuiltinSamModelUrls();
        return this._loadAsync({ id: BuiltinSamModelId, name: "built-in affinity segmenter (lightweight stand-in, not SAM)", family: "builtin", encoder: urls.encoder, decoder: urls.decoder, layout: "NCHW" });
    }

    /**
     * Loads a model from URLs (served by your own origin or any host you allow).
     * @param encoderUrl the encoder .onnx
     * @param decoderUrl the decoder .onnx
     * @param family the family, or undefined to detect it
     * @param name display name
     * @returns the model's info
     */
    public async loadFromUrlsAsync(encoderUrl: string, decoderUrl: string, family?: SamModelFamily, name?: string): Promise<SamModelInfo> {
        const encoder = new URL(encoderUrl, self.location.href).href;
        const decoder = new URL(decoderUrl, self.location.href).href;
        return this._loadAsync({ id: `${encoder}|${decoder}`, name: name ?? decodeURIComponent(encoder.split("/").pop() ?? "model"), family, encoder, decoder });
    }

    /**
     * Loads a model from user-picked files.
     * @param encoder the encoder .onnx
     * @param decoder the decoder .onnx
     * @param family the family, or undefined to detect it
     * @returns the model's info
     */
    public async loadFromFilesAsync(encoder: Blob & { name?: string }, decoder: Blob & { name?: string }, family?: SamModelFamily): Promise<SamModelInfo> {
        const [encoderBytes, decoderBytes] = await Promise.all([encoder.arrayBuffer(), decoder.arrayBuffer()]);
        const id = `file:${await QuickHashAsync(encoderBytes)}:${await QuickHashAsync(decoderBytes)}`;
        return this._loadAsync({ id, name: encoder.name ?? "model", family, encoder: encoderBytes, decoder: decoderBytes });
    }

    /**
     * The image's embedding: from the cache, else from the encoder (then cached). A model that
     * takes depth gets the view's depth too, and the cache key covers it.
     * @param image the view (with its depth, if known)
     * @param signal cancels waiting for it
     * @returns the embedding
     */
    public async embedAsync(image: SamViewImage, signal?: AbortSignal): Promise<SamImageEmbedding> {
        const model = this._requireModel();
        const depth = model.takesDepth ? image.depth : undefined;
        let imageKey = await EmbeddingCache.HashImageAsync(image);
        if (depth) {
            imageKey += `+depth:${await EmbeddingCache.HashImageAsync({ width: image.width, height: image.height, data: new Uint8Array(depth.buffer, depth.byteOffset, depth.byteLength) })}`;
        }
        const cached = await this.cache.getAsync(model.id, imageKey);
        if (cached) {
            return cached;
        }
        const copy: SamViewImage = { width: image.width, height: image.height, data: new Uint8ClampedArray(image.data), ...(depth ? { depth: new Float32Array(depth) } : {}) };
        const transfer = [copy.data.buffer as ArrayBuffer, ...(copy.depth ? [copy.depth.buffer as ArrayBuffer] : [])];
        const embedding = await this._bridge.callAsync("embedAsync", [copy, imageKey], { signal, transfer, onAbort: "keep" });
        this._encoderRuns++;
        await this.cache.putAsync(embedding);
        return embedding;
    }

    /**
     * Decodes a prompt on a view.
     * @param image the view with its depth if known (its embedding comes from the cache when present), or its embedding
     * @param prompt points, box, previous low-res mask (pixels of the view)
     * @param options multimask (default true)
     * @param signal cancels the decode
     * @returns the chosen mask at the view's size
     */
    public async decodeAsync(image: SamViewImage | SamImageEmbedding, prompt: SamPrompt, options: SamDecodeOptions = {}, signal?: AbortSignal): Promise<SamMaskResult> {
        const embedding = "tensors" in image ? image : await this.embedAsync(image, signal);
        signal?.throwIfAborted();
        const result = await this._bridge.callAsync("decodeAsync", [embedding, prompt, { multimask: options.multimask ?? true, allCandidates: options.allCandidates ?? false }], { signal, onAbort: "keep" });
        this._decoderRuns++;
        return result;
    }

    /** Stops the worker (the cache stays). */
    public dispose(): void {
        this._bridge.terminate();
    }

    private async _loadAsync(source: SamModelSource): Promise<SamModelInfo> {
        const transfer = [source.encoder, source.decoder].filter((part): part is ArrayBuffer => part instanceof ArrayBuffer);
        this._model = null;
        this._model = await this._bridge.callAsync("loadAsync", [source, { backend: this._options.backend ?? "auto", wasmBaseUrl: this._options.wasmBaseUrl ?? DefaultOnnxWasmBaseUrl(), stallTimeoutMs: this._options.stallTimeoutMs ?? 60000 }], { transfer });
        return this._model;
    }

    private _requireModel(): SamModelInfo {
        if (!this._model) {
            throw new Error("no segmentation model is loaded (load the built-in one or a SAM model first)");
        }
        return this._model;
    }
}

/** SHA-256 of a model's size and its first and last MiB (fast for multi-GB files). */
async function QuickHashAsync(bytes: ArrayBuffer): Promise<string> {
    const mib = 2 ** 20;
    const head = new Uint8Array(bytes, 0, Math.min(mib, bytes.byteLength));
    const tail = new Uint8Array(bytes, Math.max(0, bytes.byteLength - mib));
    const all = new Uint8Array(8 + head.length + tail.length);
    new DataView(all.buffer).setFloat64(0, bytes.byteLength);
    all.set(head, 8);
    all.set(tail, 8 + head.length);
    const digest = await crypto.subtle.digest("SHA-256", all);
    return [...new Uint8Array(digest)].slice(0, 12).map((b) => b.toString(16).padStart(2, "0")).join("");
}

/// <reference lib="webworker" />
import * as Comlink from "comlink";
import * as ort from "onnxruntime-web";
import { ConfigureOnnxRuntime } from "../plugin/core/onnx/onnxRuntimeSetup";
import type { SamModelAdapter, SamSessions } from "../plugin/core/sam/samModelAdapter";
import { DetectSamFamily, SamAdapterFor } from "../plugin/core/sam/samAdapters";
import type { SamImageEmbedding, SamModelInfo } from "../plugin/core/sam/samTypes";
import { SamEncoderDepthInput } from "../plugin/core/sam/samTensorNames";
import type { SamModelSource, SamRuntimeOptions, SamWorkerApi } from "./samApi";
import { PriorityTaskQueue } from "./priorityTaskQueue";
import { ChooseSamBackend, ProbeSamBackendAsync, SamSessionOptions, type SamBackend, type SamTensorLayout } from "../plugin/core/sam/samSessionOptions";

let sessions: SamSessions | null = null;
let adapter: SamModelAdapter | null = null;
let modelId = "";
let configured = false;
const queue = new PriorityTaskQueue();

async function CreateSessionAsync(model: ArrayBuffer | string, what: string, backend: SamBackend, layout: SamTensorLayout | undefined, stallTimeoutMs: number): Promise<ort.InferenceSession> {
    const bytes = typeof model === "string" ? new Uint8Array(await FetchModelAsync(model, what, stallTimeoutMs)) : new Uint8Array(model);
    try {
        return await ort.InferenceSession.create(bytes, SamSessionOptions(backend, layout));
    } catch (error) {
        throw new Error(`the ${what} (${typeof model === "string" ? model : `${bytes.byteLength} bytes`}) could not be loaded on ${backend}: ${(error as Error).message}`, { cause: error });
    }
}

/**
 * Downloads a model, failing when the server sends nothing for `stallTimeoutMs` (no answer at all,
 * or a download that stalls): a large model may take minutes, a dead one must not hang forever.
 */
async function FetchModelAsync(url: string, what: string, stallTimeoutMs: number): Promise<ArrayBuffer> {
    const controller = new AbortController();
    let stalled = false;
    let timer = setTimeout(() => ((stalled = true), controller.abort()), stallTimeoutMs);
    const alive = (): void => {
        clearTimeout(timer);
        timer = setTimeout(() => ((stalled = true), controller.abort()), stallTimeoutMs);
    };
    const seconds = `${+(stallTimeoutMs / 1000).toFixed(1)} s`;
    try {
        let response: Response;
        try {
            response = await fetch(url, { signal: controller.signal });
        } catch (error) {
            throw new Error(stalled ? `${url}: no answer for the ${what} within ${seconds}` : `${url}: the ${what} could not be fetched (${(error as Error).message})`, { cause: error });
        }
        if (!response.ok) {
            throw new Error(`${url}: HTTP ${response.status} for the ${what}`);
        }
        const chunks: Uint8Array[] = [];
        let length = 0;
        const reader = response.body!.getReader();
        try {
            for (;;) {
                const { done, value } = await reader.read();
                if (done) {
                    break;
                }
                alive();
                chunks.push(value);
                length += value.length;
            }
        } catch (error) {
            throw new Error(stalled ? `${url}: the ${what}'s download stalled (nothing for ${seconds} after ${length} bytes)` : `${url}: the ${what}'s download broke off after ${length} bytes (${(error as Error).message})`, { cause: error });
        }
        const bytes = new Uint8Array(length);
        let offset = 0;
        for (const chunk of chunks) {
            bytes.set(chunk, offset);
            offset += chunk.length;
        }
        return bytes.buffer;
    } finally {
        clearTimeout(timer);
    }
}

async function LoadWithBackendAsync(source: SamModelSource, backend: SamBackend, stallTimeoutMs: number): Promise<SamSessions> {
    const encoder = await CreateSessionAsync(source.encoder, "encoder", backend, source.layout, stallTimeoutMs);
    try {
        return { encoder, decoder: await CreateSessionAsync(source.decoder, "decoder", backend, source.layout, stallTimeoutMs) };
    } catch (error) {
        await encoder.release();
        throw error;
    }
}

const api: SamWorkerApi = {
    async loadAsync(source: SamModelSource, options: SamRuntimeOptions): Promise<SamModelInfo> {
        if (!configured) {
            ConfigureOnnxRuntime(ort, options.wasmBaseUrl);
            configured = true;
        }
        await api.releaseAsync();
        const probe = await ProbeSamBackendAsync(typeof navigator !== "undefined" && "gpu" in navigator ? navigator.gpu : undefined);
        const choice = ChooseSamBackend(options.backend, probe);
        let { backend, reason } = choice;
        let loaded: SamSessions;
        try {
            loaded = await LoadWithBackendAsync(source, backend, options.stallTimeoutMs);
        } catch (error) {
            if (backend !== "webgpu") {
                throw error;
            }
            reason = `WebGPU failed (${(error as Error).message}); fell back to wasm`;
            backend = "wasm";
            loaded = await LoadWithBackendAsync(source, backend, options.stallTimeoutMs);
        }
        const signature = {
            encoderInputs: [...loaded.encoder.inputNames],
            encoderOutputs: [...loaded.encoder.outputNames],
            decoderInputs: [...loaded.decoder.inputNames],
            decoderOutputs: [...loaded.decoder.outputNames],
        };
        const family = source.family ?? DetectSamFamily(signature);
        const chosen = SamAdapterFor(family);
        try {
            chosen.validate(signature);
        } catch (error) {
            await loaded.encoder.release();
            await loaded.decoder.release();
            throw error;
        }
        sessions = loaded;
        adapter = chosen;
        modelId = source.id;
        return { id: source.id, family, name: source.name, backend, backendReason: reason, signature, takesDepth: signature.encoderInputs.includes(SamEncoderDepthInput) };
    },

    async embedAsync(image, imageKey) {
        return queue.runAsync("low", async () => {
            if (!sessions || !adapter) {
                throw new Error("no segmentation model is loaded");
            }
            const embedding = await adapter.embedAsync(ort, sessions, image, { modelId, imageKey });
            return Comlink.transfer(embedding, Object.values(embedding.tensors).map((tensor) => tensor.data.buffer as ArrayBuffer));
        });
    },

    async decodeAsync(embedding: SamImageEmbedding, prompt, options) {
        return queue.runAsync("high", async () => {
            if (!sessions || !adapter) {
                throw new Error("no segmentation model is loaded");
            }
            if (embedding.modelId !== modelId) {
                throw new Error(`the embedding was made by model "${embedding.modelId}", but "${modelId}" is loaded`);
            }
            const result = await adapter.decodeAsync(ort, sessions, embedding, prompt, options);
            return Comlink.transfer(result, [result.mask.buffer as ArrayBuffer, result.lowRes.buffer as ArrayBuffer, ...(result.candidateMasks ?? []).map((mask) => mask.buffer as ArrayBuffer)]);
        });
    },

    async releaseAsync() {
        if (sessions) {
            const old = sessions;
            sessions = null;
            adapter = null;
            await old.encoder.release();
            await old.decoder.release();
        }
    },
};

Comlink.expose(api);

import type { SamDecodeOptions, SamImageEmbedding, SamMaskResult, SamModelFamily, SamModelInfo, SamPrompt, SamViewImage } from "../plugin/core/sam/samTypes";
import type { SamBackendPreference, SamTensorLayout } from "../plugin/core/sam/samSessionOptions";

/** A model for the SAM worker: encoder and decoder as bytes (transferred) or URLs. */
export interface SamModelSource {
    /** Stable id (cache key part). */
    readonly id: string;
    /** Display name. */
    readonly name: string;
    /** The family, or undefined to detect it from the sessions' input and output names. */
    readonly family?: SamModelFamily;
    readonly encoder: ArrayBuffer | string;
    readonly decoder: ArrayBuffer | string;
    /** Layout the WebGPU provider should prefer (default: the provider's own). */
    readonly layout?: SamTensorLayout;
}

/** How the worker runs onnxruntime-web. */
export interface SamRuntimeOptions {
    /** Execution provider: "auto" = WebGPU on a hardware adapter, wasm otherwise. */
    readonly backend: SamBackendPreference;
    /** Where onnxruntime-web's .wasm files are served. */
    readonly wasmBaseUrl: string;
    /** A model URL fails when it sends nothing for this long (no answer, or a stalled download), ms. */
    readonly stallTimeoutMs: number;
}

/**
 * The SAM worker's API (comlink): load a model, run the encoder once per image, run the decoder per
 * prompt. Decodes run before queued encodes; nothing else shares this worker (fusion has its own).
 */
export interface SamWorkerApi {
    /**
     * Loads (or replaces) the model: creates both sessions, checks their inputs and outputs
     * against the family's interface, reports the execution provider.
     * @param source the model
     * @param options execution provider and wasm location
     * @returns the model's info
     */
    loadAsync(source: SamModelSource, options: SamRuntimeOptions): Promise<SamModelInfo>;
    /**
     * Runs the image encoder (with the family's preprocessing).
     * @param image the view, with its depth when the model takes depth (pixels and depth transferred)
     * @param imageKey its content hash (and its depth's, when it has depth)
     * @returns the embedding (tensors transferred)
     */
    embedAsync(image: SamViewImage, imageKey: string): Promise<SamImageEmbedding>;
    /**
     * Runs the mask decoder.
     * @param embedding the view's embedding
     * @param prompt points, box, previous low-res mask
     * @param options multimask
     * @returns the chosen mask at the view's size
     */
    decodeAsync(embedding: SamImageEmbedding, prompt: SamPrompt, options: SamDecodeOptions): Promise<SamMaskResult>;
    /** Releases the sessions. */
    releaseAsync(): Promise<void>;
}

import type * as Ort from "onnxruntime-web";
import type { SamDecodeOptions, SamImageEmbedding, SamMaskResult, SamModelFamily, SamModelSignature, SamPrompt, SamViewImage } from "./samTypes";

/** The two ONNX sessions of a SAM-family model. */
export interface SamSessions {
    readonly encoder: Ort.InferenceSession;
    readonly decoder: Ort.InferenceSession;
}

/**
 * How one model family is driven: its exact preprocessing, encoder feeds and outputs, decoder
 * feeds (points, labels, box, mask input, original size) and outputs, and the check that a loaded
 * model has the expected inputs and outputs. Implementations are Babylon-free (they run in the
 * SAM worker).
 */
export interface SamModelAdapter {
    /** The family this adapter drives. */
    readonly family: SamModelFamily;
    /**
     * Throws a SamModelMismatchError listing expected vs found names when the sessions do not fit.
     * @param signature the loaded sessions' input and output names
     */
    validate(signature: SamModelSignature): void;
    /**
     * Runs the image encoder once (preprocessing included).
     * @param ort the onnxruntime-web module
     * @param sessions the loaded sessions
     * @param image the view's original image (with its depth, which only encoders that take depth use)
     * @param ids model id and image content hash, stored in the embedding
     * @param ids.modelId model id
     * @param ids.imageKey image content hash
     * @returns the embedding
     */
    embedAsync(ort: typeof Ort, sessions: SamSessions, image: SamViewImage, ids: { modelId: string; imageKey: string }): Promise<SamImageEmbedding>;
    /**
     * Runs the mask decoder for a prompt on an embedding.
     * @param ort the onnxruntime-web module
     * @param sessions the loaded sessions
     * @param embedding the view's embedding
     * @param prompt points, box and optional previous low-res mask (pixels of the original image)
     * @param options multimask choice
     * @returns the chosen mask at the original image size, its IoU and low-res logits
     */
    decodeAsync(ort: typeof Ort, sessions: SamSessions, embedding: SamImageEmbedding, prompt: SamPrompt, options: SamDecodeOptions): Promise<SamMaskResult>;
}

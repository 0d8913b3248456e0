/**
 * Typed contracts of the segmentation stage (Segment Anything and compatible models), shared by
 * the SAM worker, the model adapters, prompt propagation and the UI. Babylon-free.
 */
import type { RgbaImage } from "../image/rgbaImage";

/** Model families the plugin drives, each behind a {@link SamModelAdapter}. */
export type SamModelFamily = "builtin" | "sam" | "mobilesam" | "efficientsam" | "sam2";

/** A prompt point in pixels of the view's original image (x right, y down). */
export interface SamPoint {
    readonly x: number;
    readonly y: number;
    /** 1 = foreground, 0 = background. */
    readonly label: 0 | 1;
}

/** A box prompt in pixels of the view's original image. */
export interface SamBox {
    readonly x0: number;
    readonly y0: number;
    readonly x1: number;
    readonly y1: number;
}

/** What the user asked for in one view. */
export interface SamPrompt {
    readonly points: readonly SamPoint[];
    readonly box?: SamBox;
    /** Low-res mask logits [256 x 256] from a previous decode, for iterative refinement. */
    readonly maskInput?: Float32Array;
}

/** A tensor crossing the worker boundary (plain typed array + dims, no ort objects). */
export interface SamTensor {
    readonly data: Float32Array;
    readonly dims: readonly number[];
}

/** The encoder's output for one image: everything the decoder needs besides the prompt. */
export interface SamImageEmbedding {
    /** Id of the model that produced it (cache key part). */
    readonly modelId: string;
    /** Content hash of the image (cache key part). */
    readonly imageKey: string;
    /** Width and height of the original image. */
    readonly width: number;
    readonly height: number;
    /** Named encoder outputs (SAM: image_embeddings; SAM2: image_embed + high_res_feats_0/1). */
    readonly tensors: Readonly<Record<string, SamTensor>>;
}

/** Decode options. */
export interface SamDecodeOptions {
    /** Ask for several candidate masks and keep the one with the best predicted IoU (default true). */
    readonly multimask?: boolean;
    /** Also return every candidate's mask (for the choice across views; default false). */
    readonly allCandidates?: boolean;
}

/** Masks for one view. */
export interface SamMaskResult {
    /** Width and height of the masks (the view's original image). */
    readonly width: number;
    readonly height: number;
    /** The chosen mask, 0 or 255 per pixel (threshold 0 on the logits). */
    readonly mask: Uint8Array;
    /** Predicted IoU of the chosen mask. */
    readonly iou: number;
    /** Predicted IoU of every candidate, in the model's order. */
    readonly candidateIous: readonly number[];
    /** Index of the chosen candidate. */
    readonly chosen: number;
    /** Low-res logits [256 x 256] of the chosen mask (for refinement with the next prompt). */
    readonly lowRes: Float32Array;
    /** Every candidate's mask (0 or 255, the view's size, the model's order), when asked for with `allCandidates`. */
    readonly candidateMasks?: readonly Uint8Array[];
}

/** Names and shapes of a model's inputs and outputs, as an ONNX session reports them. */
export interface SamModelSignature {
    readonly encoderInputs: readonly string[];
    readonly encoderOutputs: readonly string[];
    readonly decoderInputs: readonly string[];
    readonly decoderOutputs: readonly string[];
}

/** A loaded model as the UI sees it. */
export interface SamModelInfo {
    readonly id: string;
    readonly family: SamModelFamily;
    /** Display name ("built-in affinity segmenter (stand-in, not SAM)", "MobileSAM"...). */
    readonly name: string;
    /** Execution provider the sessions run on. */
    readonly backend: "webgpu" | "wasm";
    /** Why that provider was chosen ("no WebGPU adapter", "WebGPU adapter nvidia ..."). */
    readonly backendReason: string;
    readonly signature: SamModelSignature;
    /** Whether the encoder takes the view's depth (the built-in model's optional `depth` input; SAM-family models do not). */
    readonly takesDepth: boolean;
}

/**
 * A view as the segmentation models take it: the image and, where a field is at hand, its depth
 * (distance along each pixel's ray in capture units, row-major at the image's size, 0 where no
 * surface was found). Models whose encoder takes no depth ignore it.
 */
export interface SamViewImage extends RgbaImage {
    /** width * height depths, or none. */
    readonly depth?: Float32Array;
}

/** Low-res mask side of SAM-family decoders. */
export const SamLowResSize = 256;

/** Long side the SAM encoders take. */
export const SamInputSize = 1024;

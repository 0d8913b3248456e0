import type * as Ort from "onnxruntime-web";
import type { SamCoordinateScale } from "./samPreprocess";
import { SamPointLabel } from "./samTensorNames";
import { SamLowResSize, type SamImageEmbedding, type SamPrompt, type SamTensor } from "./samTypes";
import { NumberFromFloat16Bits } from "../binary/float16";

/** Prompt points and labels in the decoder's frame, ready for a tensor. */
export interface SamPromptArrays {
    /** x, y per point. */
    readonly coords: Float32Array;
    /** One label per point (1 fg, 0 bg, 2/3 box corners, -1 padding). */
    readonly labels: Float32Array;
    /** Number of points. */
    readonly count: number;
}

/** How a family orders and pads prompt points. */
export interface SamPromptLayout {
    /** Box corners before the points (SAM2, EfficientSAM) or after them (SAM's ONNX example). */
    readonly boxFirst: boolean;
    /** Append SAM's padding point (0, 0) with label -1 when there is no box. */
    readonly padWithoutBox: boolean;
    /** Keep at most this many points: the box and the most recent clicks (EfficientSAM: 6). */
    readonly maxPoints?: number;
}

/**
 * Checks a prompt against the image it is for: finite coordinates, valid labels, a box with
 * positive size, a 256 x 256 mask input, and at least one point, box or mask.
 * @param prompt the prompt
 * @param width image width
 * @param height image height
 */
export function ValidateSamPrompt(prompt: SamPrompt, width: number, height: number): void {
    prompt.points.forEach((point, index) => {
        if (!Number.isFinite(point.x) || !Number.isFinite(point.y)) {
            throw new RangeError(`prompt point ${index} has non-finite coordinates (${point.x}, ${point.y})`);
        }
        if (point.label !== 0 && point.label !== 1) {
            throw new RangeError(`prompt point ${index} has label ${String(point.label)}; expected 1 (foreground) or 0 (background)`);
        }
    });
    const box = prompt.box;
    if (box) {
        const values = [box.x0, box.y0, box.x1, box.y1];
        if (!values.every(Number.isFinite) || box.x1 <= box.x0 || box.y1 <= box.y0) {
            throw new RangeError(`prompt box (${values.join(", ")}) must be finite with x1 > x0 and y1 > y0 (image ${width}x${height})`);
        }
    }
    if (prompt.maskInput && prompt.maskInput.length !== SamLowResSize * SamLowResSize) {
        throw new RangeError(`prompt maskInput has ${prompt.maskInput.length} values; expected ${SamLowResSize}x${SamLowResSize} = ${SamLowResSize * SamLowResSize}`);
    }
    if (prompt.points.length === 0 && !box && !prompt.maskInput) {
        throw new RangeError("the prompt is empty: give at least one point, a box or a mask input");
    }
}

/**
 * Builds the decoder's point arrays: coordinates scaled into its frame, box corners as labels 2 and 3.
 * @param prompt points and box in original-image pixels
 * @param scale per-axis factors to the decoder's frame
 * @param layout ordering, padding and point limit of the family
 * @returns coordinates and labels
 */
export function SamPromptToArrays(prompt: SamPrompt, scale: SamCoordinateScale, layout: SamPromptLayout): SamPromptArrays {
    const boxPoints: [number, number, number][] = prompt.box
        ? [
              [prompt.box.x0, prompt.box.y0, SamPointLabel.boxTopLeft],
              [prompt.box.x1, prompt.box.y1, SamPointLabel.boxBottomRight],
          ]
        : [];
    let clicks: [number, number, number][] = prompt.points.map((point) => [point.x, point.y, point.label]);
    if (layout.maxPoints !== undefined) {
        clicks = clicks.slice(Math.max(0, clicks.length - Math.max(0, layout.maxPoints - boxPoints.length)));
    }
    const all = layout.boxFirst ? [...boxPoints, ...clicks] : [...clicks, ...boxPoints];
    const scaled = all.map(([x, y, label]): [number, number, number] => [x * scale.scaleX, y * scale.scaleY, label]);
    if (layout.padWithoutBox && !prompt.box) {
        scaled.push([0, 0, SamPointLabel.padding]);
    }
    const coords = new Float32Array(scaled.length * 2);
    const labels = new Float32Array(scaled.length);
    scaled.forEach(([x, y, label], i) => {
        coords[i * 2] = x;
        coords[i * 2 + 1] = y;
        labels[i] = label;
    });
    return { coords, labels, count: scaled.length };
}

/**
 * A tensor's values as float32 (float16 outputs of half-precision exports are converted).
 * @param tensor an output tensor
 * @param what the tensor's name, for errors
 * @returns its values (the tensor's own array for float32)
 */
export function OrtTensorFloats(tensor: Ort.Tensor, what: string): Float32Array {
    if (tensor.type === "float32") {
        return tensor.data as Float32Array;
    }
    if (tensor.type === "float16") {
        const data = tensor.data as ArrayLike<number>;
        const out = new Float32Array(data.length);
        const isBits = data instanceof Uint16Array;
        for (let i = 0; i < data.length; i++) {
            out[i] = isBits ? NumberFromFloat16Bits(data[i]) : Number(data[i]);
        }
        return out;
    }
    throw new TypeError(`${what} is a ${tensor.type} tensor; expected float32 or float16`);
}

/**
 * Copies an output into a plain tensor that can cross the worker boundary.
 * @param tensor an encoder output
 * @param what its name, for errors
 * @returns data + dims
 */
export function ToSamTensor(tensor: Ort.Tensor, what: string): SamTensor {
    return { data: new Float32Array(OrtTensorFloats(tensor, what)), dims: [...tensor.dims] };
}

/**
 * An embedding tensor by name, or an error naming the ones the embedding has.
 * @param embedding the view's embedding
 * @param name the tensor wanted
 * @returns the tensor
 */
export function EmbeddingTensor(embedding: SamImageEmbedding, name: string): SamTensor {
    const tensor = embedding.tensors[name];
    if (!tensor) {
        const has = Object.keys(embedding.tensors).join(", ") || "none";
        throw new Error(`the embedding of model "${embedding.modelId}" has no "${name}" tensor (it has ${has}); it was made by another model family`);
    }
    return tensor;
}

/**
 * Which candidate mask to keep. Four candidates are SAM's full output (index 0 the single-mask
 * token, 1..3 the multimask ones, as SamPredictor uses them): multimask picks the best predicted IoU
 * among 1..3, otherwise index 0. Any other count: the best predicted IoU, or index 0 without
 * multimask.
 * @param ious predicted IoU per candidate
 * @param multimask whether to choose by predicted IoU
 * @returns the chosen index
 */
export function ChooseSamCandidate(ious: ArrayLike<number>, multimask: boolean): number {
    if (!multimask || ious.length <= 1) {
        return 0;
    }
    const first = ious.length === 4 ? 1 : 0;
    let best = first;
    for (let i = first + 1; i < ious.length; i++) {
        if (ious[i] > ious[best]) {
            best = i;
        }
    }
    return best;
}

/**
 * One candidate's plane from a [..., C, H, W] tensor.
 * @param data the tensor's values
 * @param candidate the candidate index
 * @param planeSize H * W
 * @returns a copy of the plane
 */
export function CandidatePlane(data: Float32Array, candidate: number, planeSize: number): Float32Array {
    return data.slice(candidate * planeSize, (candidate + 1) * planeSize);
}

/**
 * Every candidate's mask at the view's size (see {@link SamMaskResult.candidateMasks}).
 * @param data the masks' logits, C planes of planeWidth x planeHeight
 * @param count C
 * @param toMask one plane's logits to the view's mask (thresholding, resizing where the model's masks differ in size)
 * @param planeSize planeWidth * planeHeight
 * @returns C masks, 0 or 255
 */
export function CandidateMasks(data: Float32Array, count: number, planeSize: number, toMask: (plane: Float32Array) => Uint8Array): Uint8Array[] {
    return Array.from({ length: count }, (_, k) => toMask(CandidatePlane(data, k, planeSize)));
}

/**
 * Thresholds logits at 0 (SAM's mask_threshold).
 * @param logits mask logits
 * @returns 255 where the logit is > 0, else 0
 */
export function BinarizeLogits(logits: Float32Array): Uint8Array {
    const mask = new Uint8Array(logits.length);
    for (let i = 0; i < logits.length; i++) {
        mask[i] = logits[i] > 0 ? 255 : 0;
    }
    return mask;
}

/**
 * The layout of the encoder input as the session reports it: rank 3 means a HWC image
 * (segment-anything's `ImageEncoderOnnxModel` with the preprocessing inside).
 * @param session the encoder session
 * @param inputName its image input
 * @returns "hwc" or "nchw" (the default when the session gives no shape)
 */
export function EncoderInputLayout(session: Ort.InferenceSession, inputName: string): "hwc" | "nchw" {
    const metadata = (session.inputMetadata ?? []).find((entry) => entry.name === inputName);
    return metadata && metadata.isTensor && metadata.shape.length === 3 ? "hwc" : "nchw";
}

/**
 * The first of `aliases` that a list of names has.
 * @param names the session's names
 * @param aliases accepted names, in order of preference
 * @param what description for the error
 * @returns the name
 */
export function FindAlias(names: readonly string[], aliases: readonly string[], what: string): string {
    const name = aliases.find((alias) => names.includes(alias));
    if (!name) {
        throw new Error(`${what}: expected one of ${aliases.join(", ")}; found ${names.join(", ") || "none"}`);
    }
    return name;
}

import type * as Ort from "onnxruntime-web";
import type { RgbaImage } from "../image/rgbaImage";
import { BinarizeLogits, CandidateMasks, CandidatePlane, ChooseSamCandidate, EmbeddingTensor, OrtTensorFloats, SamPromptToArrays, ToSamTensor, ValidateSamPrompt } from "./samDecodeHelpers";
import { ValidateSamSignature } from "./samInterfaces";
import type { SamModelAdapter, SamSessions } from "./samModelAdapter";
import { PreprocessEfficientSamImage } from "./samPreprocess";
import { ResizePlaneBilinear } from "./samResample";
import { EfficientSamDecoderInputs, EfficientSamDecoderOutputs, EfficientSamEncoderNames } from "./samTensorNames";
import { SamLowResSize, type SamDecodeOptions, type SamImageEmbedding, type SamMaskResult, type SamModelFamily, type SamModelSignature, type SamPrompt } from "./samTypes";

/** Points EfficientSAM's decoder reads (`decoder_max_num_input_points`); it drops the rest. */
export const EfficientSamMaxPoints = 6;

/**
 * Drives EfficientSAM's reference ONNX export (yformer/EfficientSAM `export_to_onnx.py`, from
 * labelme).
 *
 * Encoder: `batched_images` [1,3,H,W], RGB 0..1 at the image's own size (the graph resizes to
 * 1024 x 1024 and normalises) -> `image_embeddings` [1,256,64,64].
 * Decoder: `batched_point_coords` [1,1,N,2] in original-image pixels (the graph rescales them),
 * `batched_point_labels` [1,1,N] float (1 fg, 0 bg, 2/3 box corners: its prompt encoder has
 * top-left / bottom-right box embeddings, so a box is two points, put first), `orig_im_size`
 * int64 [2] (h, w) -> `output_masks` [1,1,3,H,W] logits, `iou_predictions` [1,1,3], and an unnamed
 * third output with the [1,3,256,256] low-res logits. No padding point (the graph pads with -1 to
 * its 6 points itself); at most 6 points are sent: the box and the most recent clicks.
 * The decoder has no mask input: `prompt.maskInput` is ignored (refine with more points). When the
 * low-res output is missing, the chosen mask's logits are resized to 256 x 256 (the 1024 x 1024
 * stretched frame EfficientSAM's low-res masks live in).
 */
export class EfficientSamAdapter implements SamModelAdapter {
    /** Always "efficientsam". */
    public readonly family: SamModelFamily = "efficientsam";

    /**
     * Throws a SamModelMismatchError when the sessions do not have EfficientSAM's names.
     * @param signature the sessions' names
     */
    public validate(signature: SamModelSignature): void {
        ValidateSamSignature(this.family, signature);
    }

    /**
     * Runs the encoder on the image at its own size (RGB 0..1).
     * @param ort the onnxruntime-web module
     * @param sessions the loaded sessions
     * @param image the view's original image
     * @param ids model id and image hash, stored in the embedding
     * @param ids.modelId model id
     * @param ids.imageKey image content hash
     * @returns the embedding (`image_embeddings`)
     */
    public async embedAsync(ort: typeof Ort, sessions: SamSessions, image: RgbaImage, ids: { modelId: string; imageKey: string }): Promise<SamImageEmbedding> {
        const input = PreprocessEfficientSamImage(image);
        const outputName = EfficientSamEncoderNames.imageEmbeddings;
        const outputs = await sessions.encoder.run({ [EfficientSamEncoderNames.image]: new ort.Tensor("float32", input.data, input.dims) }, [outputName]);
        return {
            modelId: ids.modelId,
            imageKey: ids.imageKey,
            width: image.width,
            height: image.height,
            tensors: { [EfficientSamDecoderInputs.imageEmbeddings]: ToSamTensor(outputs[outputName], outputName) },
        };
    }

    /**
     * Runs the decoder for a prompt and keeps the best of its three candidates.
     * @param ort the onnxruntime-web module
     * @param sessions the loaded sessions
     * @param embedding the view's embedding
     * @param prompt points and box (original-image pixels); maskInput is not supported and ignored
     * @param options multimask choice (default: by predicted IoU; false takes candidate 0)
     * @returns the chosen mask at the original size, IoUs and low-res logits
     */
    public async decodeAsync(ort: typeof Ort, sessions: SamSessions, embedding: SamImageEmbedding, prompt: SamPrompt, options: SamDecodeOptions = {}): Promise<SamMaskResult> {
        const { width, height } = embedding;
        ValidateSamPrompt(prompt, width, height);
        if (prompt.points.length === 0 && !prompt.box) {
            throw new RangeError("EfficientSAM needs at least one point or a box (it has no mask input)");
        }
        const embeddings = EmbeddingTensor(embedding, EfficientSamDecoderInputs.imageEmbeddings);
        const points = SamPromptToArrays(prompt, { scaleX: 1, scaleY: 1 }, { boxFirst: true, padWithoutBox: false, maxPoints: EfficientSamMaxPoints });
        const feeds: Record<string, Ort.Tensor> = {
            [EfficientSamDecoderInputs.imageEmbeddings]: new ort.Tensor("float32", embeddings.data, embeddings.dims),
            [EfficientSamDecoderInputs.pointCoords]: new ort.Tensor("float32", points.coords, [1, 1, points.count, 2]),
            [EfficientSamDecoderInputs.pointLabels]: new ort.Tensor("float32", points.labels, [1, 1, points.count]),
            [EfficientSamDecoderInputs.origImSize]: new ort.Tensor("int64", new BigInt64Array([BigInt(height), BigInt(width)]), [2]),
        };
        const outputs = await sessions.decoder.run(feeds);
        const masks = outputs[EfficientSamDecoderOutputs.masks];
        const [maskHeight, maskWidth] = masks.dims.slice(-2);
        if (maskWidth !== width || maskHeight !== height) {
            throw new Error(`the decoder returned masks of ${maskWidth}x${maskHeight}; expected the original size ${width}x${height} (orig_im_size)`);
        }
        const ious = OrtTensorFloats(outputs[EfficientSamDecoderOutputs.iouPredictions], EfficientSamDecoderOutputs.iouPredictions);
        const maskData = OrtTensorFloats(masks, EfficientSamDecoderOutputs.masks);
        if (maskData.length !== ious.length * width * height) {
            throw new Error(`the decoder's outputs disagree: output_masks [${masks.dims.join(",")}] but ${ious.length} IoU predictions`);
        }
        const chosen = ChooseSamCandidate(ious, options.multimask ?? true);
        const logits = CandidatePlane(maskData, chosen, width * height);
        return {
            width,
            height,
            mask: BinarizeLogits(logits),
            candidateMasks: options.allCandidates ? CandidateMasks(maskData, ious.length, width * height, BinarizeLogits) : undefined,
            iou: ious[chosen],
            candidateIous: Array.from(ious),
            chosen,
            lowRes: EfficientSamAdapter._LowRes(outputs, ious.length, chosen) ?? ResizePlaneBilinear(logits, width, height, SamLowResSize, SamLowResSize),
        };
    }

    /** The chosen candidate's plane of the unnamed [.., C, 256, 256] output, when there is one. */
    private static _LowRes(outputs: Ort.InferenceSession.OnnxValueMapType, candidates: number, chosen: number): Float32Array | null {
        const planeSize = SamLowResSize * SamLowResSize;
        for (const [name, tensor] of Object.entries(outputs)) {
            const named = name === EfficientSamDecoderOutputs.masks || name === EfficientSamDecoderOutputs.iouPredictions;
            const dims = tensor.dims;
            if (!named && dims.length >= 3 && dims[dims.length - 1] === SamLowResSize && dims[dims.length - 2] === SamLowResSize && tensor.size === candidates * planeSize) {
                return CandidatePlane(OrtTensorFloats(tensor, name), chosen, planeSize);
            }
        }
        return null;
    }
}

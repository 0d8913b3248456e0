import type * as Ort from "onnxruntime-web";
import {
    BinarizeLogits,
    CandidatePlane,
    CandidateMasks,
    ChooseSamCandidate,
    EmbeddingTensor,
    EncoderInputLayout,
    FindAlias,
    OrtTensorFloats,
    SamPromptToArrays,
    ToSamTensor,
    ValidateSamPrompt,
} from "./samDecodeHelpers";
import { ValidateSamSignature } from "./samInterfaces";
import type { SamModelAdapter, SamSessions } from "./samModelAdapter";
import { PreprocessSamDepth, PreprocessSamImage, PreprocessSamImageHwc, SamCoordinateScaleFor } from "./samPreprocess";
import { SamDecoderInputs, SamDecoderOutputs, SamEncoderDepthInput, SamEncoderInputAliases, SamEncoderOutputAliases } from "./samTensorNames";
import { SamLowResSize, type SamDecodeOptions, type SamImageEmbedding, type SamMaskResult, type SamModelFamily, type SamModelSignature, type SamPrompt, type SamViewImage } from "./samTypes";

/**
 * Drives models with segment-anything's ONNX interface: SAM, MobileSAM and the built-in stand-in.
 *
 * Encoder: input `image` / `images` / `input_image` / `input` / `x` (NCHW [1,3,1024,1024] with the
 * SAM preprocessing done here; a rank-3 input is taken as segment-anything's HWC
 * `ImageEncoderOnnxModel`, fed the resized 0..255 image), output `image_embeddings` / `embeddings`,
 * stored as `image_embeddings`. An encoder with a second input `depth` (the built-in model) gets
 * the view's depth (PreprocessSamDepth; zeros when the view has none).
 * Decoder (SamOnnxModel): `point_coords` [1,N,2] in the 1024 frame, `point_labels` [1,N]
 * (clicks first, then the box corners as 2/3; without a box a padding point (0,0) labelled -1 is
 * appended, as SAM's ONNX example does), `mask_input` [1,1,256,256] with `has_mask_input` [1]
 * (1 when the prompt has a previous low-res mask), `orig_im_size` [2] float32 (h, w) -> `masks`
 * [1,C,H,W] logits at the original size, `iou_predictions` [1,C], `low_res_masks` [1,C,256,256].
 * C = 1 (return_single_mask exports), 3, or 4 (SAM's full output; see ChooseSamCandidate).
 */
export class SamOnnxAdapter implements SamModelAdapter {
    /** The family this adapter drives ("sam", "mobilesam" or "builtin"). */
    public readonly family: SamModelFamily;

    /** @param family which of the SAM-interface families this instance reports */
    public constructor(family: "sam" | "mobilesam" | "builtin" = "sam") {
        this.family = family;
    }

    /**
     * Throws a SamModelMismatchError when the sessions do not have SAM's names.
     * @param signature the sessions' names
     */
    public validate(signature: SamModelSignature): void {
        ValidateSamSignature(this.family, signature);
    }

    /**
     * Preprocesses the image (longest side 1024, normalised, padded) and runs the encoder.
     * @param ort the onnxruntime-web module
     * @param sessions the loaded sessions
     * @param image the view's original image, and its depth if it has one
     * @param ids model id and image hash, stored in the embedding
     * @param ids.modelId model id
     * @param ids.imageKey image content hash
     * @returns the embedding (`image_embeddings` [1,256,64,64])
     */
    public async embedAsync(ort: typeof Ort, sessions: SamSessions, image: SamViewImage, ids: { modelId: string; imageKey: string }): Promise<SamImageEmbedding> {
        const inputName = FindAlias(sessions.encoder.inputNames, SamEncoderInputAliases, "the encoder's image input");
        const outputName = FindAlias(sessions.encoder.outputNames, SamEncoderOutputAliases, "the encoder's embedding output");
        const input = EncoderInputLayout(sessions.encoder, inputName) === "hwc" ? PreprocessSamImageHwc(image) : PreprocessSamImage(image);
        const feeds: Record<string, Ort.Tensor> = { [inputName]: new ort.Tensor("float32", input.data, input.dims) };
        if (sessions.encoder.inputNames.includes(SamEncoderDepthInput)) {
            const viewDepth = "depth" in image && image.depth ? image.depth : new Float32Array(image.width * image.height);
            const depth = PreprocessSamDepth(viewDepth, image.width, image.height);
            feeds[SamEncoderDepthInput] = new ort.Tensor("float32", depth.data, depth.dims);
        }
        const outputs = await sessions.encoder.run(feeds, [outputName]);
        return {
            modelId: ids.modelId,
            imageKey: ids.imageKey,
            width: image.width,
            height: image.height,
            tensors: { [SamDecoderInputs.imageEmbeddings]: ToSamTensor(outputs[outputName], outputName) },
        };
    }

    /**
     * Runs the decoder for a prompt and keeps the best candidate.
     * @param ort the onnxruntime-web module
     * @param sessions the loaded sessions
     * @param embedding the view's embedding
     * @param prompt points, box, previous low-res mask (original-image pixels)
     * @param options multimask choice (default: by predicted IoU)
     * @returns the chosen mask at the original size, IoUs and low-res logits
     */
    public async decodeAsync(ort: typeof Ort, sessions: SamSessions, embedding: SamImageEmbedding, prompt: SamPrompt, options: SamDecodeOptions = {}): Promise<SamMaskResult> {
        const { width, height } = embedding;
        ValidateSamPrompt(prompt, width, height);
        const embeddings = EmbeddingTensor(embedding, SamDecoderInputs.imageEmbeddings);
        const points = SamPromptToArrays(prompt, SamCoordinateScaleFor(width, height), { boxFirst: false, padWithoutBox: true });
        const lowResCount = SamLowResSize * SamLowResSize;
        const feeds: Record<string, Ort.Tensor> = {
            [SamDecoderInputs.imageEmbeddings]: new ort.Tensor("float32", embeddings.data, embeddings.dims),
            [SamDecoderInputs.pointCoords]: new ort.Tensor("float32", points.coords, [1, points.count, 2]),
            [SamDecoderInputs.pointLabels]: new ort.Tensor("float32", points.labels, [1, points.count]),
            [SamDecoderInputs.maskInput]: new ort.Tensor("float32", prompt.maskInput ?? new Float32Array(lowResCount), [1, 1, SamLowResSize, SamLowResSize]),
            [SamDecoderInputs.hasMaskInput]: new ort.Tensor("float32", new Float32Array([prompt.maskInput ? 1 : 0]), [1]),
            [SamDecoderInputs.origImSize]: new ort.Tensor("float32", new Float32Array([height, width]), [2]),
        };
        const outputs = await sessions.decoder.run(feeds, [SamDecoderOutputs.masks, SamDecoderOutputs.iouPredictions, SamDecoderOutputs.lowResMasks]);
        const masks = outputs[SamDecoderOutputs.masks];
        const [maskHeight, maskWidth] = masks.dims.slice(-2);
        if (maskWidth !== width || maskHeight !== height) {
            throw new Error(`the decoder returned masks of ${maskWidth}x${maskHeight}; expected the original size ${width}x${height} (orig_im_size)`);
        }
        const ious = OrtTensorFloats(outputs[SamDecoderOutputs.iouPredictions], SamDecoderOutputs.iouPredictions);
        const lowRes = OrtTensorFloats(outputs[SamDecoderOutputs.lowResMasks], SamDecoderOutputs.lowResMasks);
        const candidates = masks.dims.length >= 3 ? masks.dims[masks.dims.length - 3] : 1;
        if (ious.length !== candidates || lowRes.length !== candidates * lowResCount) {
            throw new Error(`the decoder's outputs disagree: ${candidates} masks, ${ious.length} IoU predictions, low_res_masks [${outputs[SamDecoderOutputs.lowResMasks].dims.join(",")}]`);
        }
        const chosen = ChooseSamCandidate(ious, options.multimask ?? true);
        const maskData = OrtTensorFloats(masks, SamDecoderOutputs.masks);
        return {
            width,
            height,
            mask: BinarizeLogits(CandidatePlane(maskData, chosen, width * height)),
            candidateMasks: options.allCandidates ? CandidateMasks(maskData, candidates, width * height, BinarizeLogits) : undefined,
            iou: ious[chosen],
            candidateIous: Array.from(ious),
            chosen,
            lowRes: CandidatePlane(lowRes, chosen, lowResCount),
        };
    }
}

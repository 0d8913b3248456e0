import type * as Ort from "onnxruntime-web";
import type { RgbaImage } from "../image/rgbaImage";
import { BinarizeLogits, CandidateMasks, CandidatePlane, ChooseSamCandidate, EmbeddingTensor, FindAlias, OrtTensorFloats, SamPromptToArrays, ToSamTensor, ValidateSamPrompt } from "./samDecodeHelpers";
import { ValidateSamSignature } from "./samInterfaces";
import type { SamModelAdapter, SamSessions } from "./samModelAdapter";
import { PreprocessSam2Image, Sam2CoordinateScaleFor } from "./samPreprocess";
import { ResizePlaneBilinear } from "./samResample";
import { Sam2DecoderInputs, Sam2DecoderOutputs, Sam2EncoderOutputs, SamEncoderInputAliases } from "./samTensorNames";
import { SamLowResSize, type SamDecodeOptions, type SamImageEmbedding, type SamMaskResult, type SamModelFamily, type SamModelSignature, type SamPrompt } from "./samTypes";

/**
 * Drives SAM2 image models in samexporter's split ONNX export (vietanhdev/samexporter
 * `export_sam2.py`; the same names as the exports darktable and others ship).
 *
 * Encoder: `image` [1,3,1024,1024] (SAM2Transforms: stretched to 1024 x 1024, ImageNet-normalised;
 * see PreprocessSam2Image) -> `high_res_feats_0` [1,32,256,256], `high_res_feats_1`
 * [1,64,128,128], `image_embed` [1,256,64,64], all three kept in the embedding.
 * Decoder: `image_embed`, `high_res_feats_0`, `high_res_feats_1`, `point_coords` [1,N,2] scaled by
 * 1024 / width and 1024 / height, `point_labels` [1,N] (box corners 2/3 first, then the clicks, as
 * SAM2ImagePredictor concatenates them; no padding point: the export appends SAM2's own),
 * `mask_input` [1,1,256,256], `has_mask_input` [1], and `orig_im_size` [2] float32 (h, w) only
 * when the decoder has that input -> `masks` [1,C,h,w], `iou_predictions` [1,C], optionally
 * `low_res_masks` [1,C,256,256]. samexporter's `masks` are the 256 x 256 low-res logits; other
 * exports give 1024 x 1024 or original-size masks. Masks not at the original size are resized
 * with bilinear interpolation (align_corners=False) straight to it, as SAM2's `postprocess_masks`
 * does (the frame is the whole stretched image: no padding to crop).
 */
export class Sam2Adapter implements SamModelAdapter {
    /** Always "sam2". */
    public readonly family: SamModelFamily = "sam2";

    /**
     * Throws a SamModelMismatchError when the sessions do not have SAM2's names.
     * @param signature the sessions' names
     */
    public validate(signature: SamModelSignature): void {
        ValidateSamSignature(this.family, signature);
    }

    /**
     * Preprocesses the image (stretch to 1024, ImageNet normalisation) and runs the encoder.
     * @param ort the onnxruntime-web module
     * @param sessions the loaded sessions
     * @param image the view's original image
     * @param ids model id and image hash, stored in the embedding
     * @param ids.modelId model id
     * @param ids.imageKey image content hash
     * @returns the embedding (`image_embed`, `high_res_feats_0`, `high_res_feats_1`)
     */
    public async embedAsync(ort: typeof Ort, sessions: SamSessions, image: RgbaImage, ids: { modelId: string; imageKey: string }): Promise<SamImageEmbedding> {
        const inputName = FindAlias(sessions.encoder.inputNames, SamEncoderInputAliases, "the SAM2 encoder's image input");
        const input = PreprocessSam2Image(image);
        const names = Object.values(Sam2EncoderOutputs);
        const outputs = await sessions.encoder.run({ [inputName]: new ort.Tensor("float32", input.data, input.dims) }, names);
        return {
            modelId: ids.modelId,
            imageKey: ids.imageKey,
            width: image.width,
            height: image.height,
            tensors: Object.fromEntries(names.map((name) => [name, ToSamTensor(outputs[name], name)])),
        };
    }

    /**
     * Runs the decoder for a prompt and keeps the best candidate.
     * @param ort the onnxruntime-web module
     * @param sessions the loaded sessions
     * @param embedding the view's embedding
     * @param prompt points, box, previous low-res mask (original-image pixels)
     * @param options multimask choice (default: by predicted IoU; false takes candidate 0)
     * @returns the chosen mask at the original size, IoUs and low-res logits
     */
    public async decodeAsync(ort: typeof Ort, sessions: SamSessions, embedding: SamImageEmbedding, prompt: SamPrompt, options: SamDecodeOptions = {}): Promise<SamMaskResult> {
        const { width, height } = embedding;
        ValidateSamPrompt(prompt, width, height);
        const points = SamPromptToArrays(prompt, Sam2CoordinateScaleFor(width, height), { boxFirst: true, padWithoutBox: false });
        const lowResCount = SamLowResSize * SamLowResSize;
        const feeds: Record<string, Ort.Tensor> = {
            [Sam2DecoderInputs.pointCoords]: new ort.Tensor("float32", points.coords, [1, points.count, 2]),
            [Sam2DecoderInputs.pointLabels]: new ort.Tensor("float32", points.labels, [1, points.count]),
            [Sam2DecoderInputs.maskInput]: new ort.Tensor("float32", prompt.maskInput ?? new Float32Array(lowResCount), [1, 1, SamLowResSize, SamLowResSize]),
            [Sam2DecoderInputs.hasMaskInput]: new ort.Tensor("float32", new Float32Array([prompt.maskInput ? 1 : 0]), [1]),
        };
        for (const name of [Sam2DecoderInputs.imageEmbed, Sam2DecoderInputs.highResFeats0, Sam2DecoderInputs.highResFeats1]) {
            const tensor = EmbeddingTensor(embedding, name);
            feeds[name] = new ort.Tensor("float32", tensor.data, tensor.dims);
        }
        if (sessions.decoder.inputNames.includes(Sam2DecoderInputs.origImSize)) {
            feeds[Sam2DecoderInputs.origImSize] = new ort.Tensor("float32", new Float32Array([height, width]), [2]);
        }
        const hasLowRes = sessions.decoder.outputNames.includes(Sam2DecoderOutputs.lowResMasks);
        const fetches = [Sam2DecoderOutputs.masks, Sam2DecoderOutputs.iouPredictions, ...(hasLowRes ? [Sam2DecoderOutputs.lowResMasks] : [])];
        const outputs = await sessions.decoder.run(feeds, fetches);
        const masks = outputs[Sam2DecoderOutputs.masks];
        const [maskHeight, maskWidth] = masks.dims.slice(-2);
        const ious = OrtTensorFloats(outputs[Sam2DecoderOutputs.iouPredictions], Sam2DecoderOutputs.iouPredictions);
        const maskData = OrtTensorFloats(masks, Sam2DecoderOutputs.masks);
        if (maskData.length !== ious.length * maskWidth * maskHeight) {
            throw new Error(`the decoder's outputs disagree: masks [${masks.dims.join(",")}] but ${ious.length} IoU predictions`);
        }
        const chosen = ChooseSamCandidate(ious, options.multimask ?? true);
        const plane = CandidatePlane(maskData, chosen, maskWidth * maskHeight);
        const logits = maskWidth === width && maskHeight === height ? plane : ResizePlaneBilinear(plane, maskWidth, maskHeight, width, height);
        let lowRes: Float32Array;
        if (hasLowRes) {
            lowRes = CandidatePlane(OrtTensorFloats(outputs[Sam2DecoderOutputs.lowResMasks], Sam2DecoderOutputs.lowResMasks), chosen, lowResCount);
        } else if (maskWidth === SamLowResSize && maskHeight === SamLowResSize) {
            lowRes = plane;
        } else {
            lowRes = ResizePlaneBilinear(plane, maskWidth, maskHeight, SamLowResSize, SamLowResSize);
        }
        const toMask = (candidate: Float32Array): Uint8Array => BinarizeLogits(maskWidth === width && maskHeight === height ? candidate : ResizePlaneBilinear(candidate, maskWidth, maskHeight, width, height));
        const candidateMasks = options.allCandidates ? CandidateMasks(maskData, ious.length, maskWidth * maskHeight, toMask) : undefined;
        return { width, height, mask: BinarizeLogits(logits), iou: ious[chosen], candidateIous: Array.from(ious), chosen, lowRes, candidateMasks };
    }
}

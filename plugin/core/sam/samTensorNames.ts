/**
 * The ONNX tensor names of every SAM-family interface the plugin drives, pinned in one module (the
 * adapters, the family detector, the mismatch messages and the built-in model all read them here).
 *
 * Sources checked (read, not copied):
 * - SAM: facebookresearch/segment-anything `segment_anything/utils/onnx.py` (SamOnnxModel: the
 *   decoder export) and its export script / notebook; encoder exports in the wild name their input
 *   `image`, `images`, `input_image` (the repo's own ImageEncoderOnnxModel, HWC with the
 *   normalisation inside), `input` or `x`, and their output `image_embeddings` or `embeddings`.
 * - MobileSAM: ChaoningZhang/MobileSAM ships the same `utils/onnx.py`, so its decoder has SAM's I/O.
 * - EfficientSAM: yformer/EfficientSAM `export_to_onnx.py` + `onnx_models.py` (from labelme):
 *   encoder `batched_images` -> `image_embeddings`; decoder `image_embeddings`,
 *   `batched_point_coords` [B,Q,N,2], `batched_point_labels` [B,Q,N], `orig_im_size` int64 [2] ->
 *   `output_masks` [B,Q,3,H,W], `iou_predictions` [B,Q,3] (+ an unnamed low-res output).
 * - SAM2: vietanhdev/samexporter `export_sam2.py` / `sam2_onnx.py`: encoder `image` ->
 *   `high_res_feats_0`, `high_res_feats_1`, `image_embed`; decoder `image_embed`,
 *   `high_res_feats_0`, `high_res_feats_1`, `point_coords`, `point_labels`, `mask_input`,
 *   `has_mask_input` -> `masks` (low-res [B,3,256,256]), `iou_predictions`. Variants add
 *   `low_res_masks` (and 1024-px `masks`) or an `orig_im_size` input; both are accepted.
 */

/** Names the SAM / MobileSAM encoder input goes by in common exports (first match wins). */
export const SamEncoderInputAliases: readonly string[] = ["image", "images", "input_image", "input", "x"];

/** The built-in encoder's optional second input: the view's depth [1,1,1024,1024] (see PreprocessSamDepth). */
export const SamEncoderDepthInput = "depth";

/** Names the SAM / MobileSAM encoder output goes by in common exports (first match wins). */
export const SamEncoderOutputAliases: readonly string[] = ["image_embeddings", "embeddings"];

/** SAM / MobileSAM / built-in decoder inputs (SamOnnxModel). */
export const SamDecoderInputs = {
    imageEmbeddings: "image_embeddings",
    pointCoords: "point_coords",
    pointLabels: "point_labels",
    maskInput: "mask_input",
    hasMaskInput: "has_mask_input",
    origImSize: "orig_im_size",
} as const;

/** SAM / MobileSAM / built-in decoder outputs (SamOnnxModel). */
export const SamDecoderOutputs = {
    masks: "masks",
    iouPredictions: "iou_predictions",
    lowResMasks: "low_res_masks",
} as const;

/** EfficientSAM encoder input and output. */
export const EfficientSamEncoderNames = {
    image: "batched_images",
    imageEmbeddings: "image_embeddings",
} as const;

/** EfficientSAM decoder inputs. */
export const EfficientSamDecoderInputs = {
    imageEmbeddings: "image_embeddings",
    pointCoords: "batched_point_coords",
    pointLabels: "batched_point_labels",
    origImSize: "orig_im_size",
} as const;

/** EfficientSAM decoder outputs (the low-res third output is unnamed in the reference export). */
export const EfficientSamDecoderOutputs = {
    masks: "output_masks",
    iouPredictions: "iou_predictions",
} as const;

/** SAM2 encoder outputs (samexporter). */
export const Sam2EncoderOutputs = {
    highResFeats0: "high_res_feats_0",
    highResFeats1: "high_res_feats_1",
    imageEmbed: "image_embed",
} as const;

/** SAM2 decoder inputs (samexporter); `origImSize` is optional. */
export const Sam2DecoderInputs = {
    imageEmbed: "image_embed",
    highResFeats0: "high_res_feats_0",
    highResFeats1: "high_res_feats_1",
    pointCoords: "point_coords",
    pointLabels: "point_labels",
    maskInput: "mask_input",
    hasMaskInput: "has_mask_input",
    origImSize: "orig_im_size",
} as const;

/** SAM2 decoder outputs (samexporter); `lowResMasks` is optional. */
export const Sam2DecoderOutputs = {
    masks: "masks",
    iouPredictions: "iou_predictions",
    lowResMasks: "low_res_masks",
} as const;

/** Point label codes shared by SAM, MobileSAM, SAM2 and EfficientSAM decoders. */
export const SamPointLabel = {
    /** A padding point SAM's decoder ignores (appended when there is no box). */
    padding: -1,
    background: 0,
    foreground: 1,
    boxTopLeft: 2,
    boxBottomRight: 3,
} as const;

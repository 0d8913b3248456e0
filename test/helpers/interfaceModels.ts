// Tiny ONNX models with the exact input/output names and shapes of each SAM family the plugin
// drives, for testing the adapters, the worker and the mismatch checks through onnxruntime-web
// without real weights. Their decoders are "probes": candidate c is a disc of radius
// ProbeRadii[c] (original-image pixels) around the first prompt point, mapped back from whatever
// frame the family's coordinates live in, so a wrong coordinate transform moves the mask.
// iou_predictions = ProbeIous + 0.001 * (sum of the point labels the decoder received), which
// shows the padding point (-1) and the box labels (2, 3). low_res_masks echo
// has_mask_input * mask_input on every candidate (SAM and SAM2 interfaces).
import { OnnxGraphBuilder } from "@tools/models/onnxGraphBuilder";
import { BuiltinGraphOps } from "@tools/models/builtinGraphOps";

/** Disc radius of each candidate, original-image pixels. */
export const ProbeRadii = [6, 10, 14] as const;
/** Base predicted IoU of each candidate (candidate 1 wins). */
export const ProbeIous = [0.5, 0.9, 0.7] as const;

const Low = 256;

/** Side of the square test image the SAM2 probe's discs are scaled for. */
export const ProbeSam2Size = 128;

/** A pair of model files. */
export interface ModelPair {
    readonly encoder: Uint8Array;
    readonly decoder: Uint8Array;
}

/** image [1,3,1024,1024] -> [1,C,S,S] by strided slicing and zero channel padding. */
function Downsample(ops: BuiltinGraphOps, image: string, step: number, channels: number, name: string): string {
    const sliced = ops.graph.node("Slice", [image, ops.ints([0, 0]), ops.ints([1024, 1024]), ops.ints([2, 3]), ops.ints([step, step])]);
    return ops.graph.node("Pad", [sliced, ops.ints([0, 0, 0, 0, 0, channels - 3, 0, 0])], { mode: "constant" }, name);
}

/** Logits [3, H, W] of discs around (px, py) on a grid xs [1, W], ys [H, 1]; offsets times scaleX / scaleY are original pixels. */
function Discs(ops: BuiltinGraphOps, xs: string, ys: string, px: string, py: string, scaleX: string | number, scaleY: string | number): string {
    const dx = ops.binary("Mul", ops.binary("Sub", xs, px), scaleX);
    const dy = ops.binary("Mul", ops.binary("Sub", ys, py), scaleY);
    const d2 = ops.binary("Add", ops.binary("Mul", dx, dx), ops.binary("Mul", dy, dy));
    const radii2 = ops.graph.constant("", ProbeRadii.map((r) => r * r), [3, 1, 1]);
    return ops.binary("Sub", radii2, d2);
}

/** Pixel-centre coordinates 0.5 .. n - 0.5 of a dynamic size (a float scalar). */
function Centres(ops: BuiltinGraphOps, size: string, shape: number[]): string {
    return ops.reshape(ops.graph.node("Range", [ops.scalar(0.5), size, ops.scalar(1)]), shape);
}

/** Scalar element i of a 1-D float tensor. */
function Element(ops: BuiltinGraphOps, vector: string, i: number): string {
    return ops.reshape(ops.slice(vector, [i], [i + 1], [0]), []);
}

function IouPredictions(ops: BuiltinGraphOps, labels: string, name: string, dims: number[]): string {
    const sum = ops.reduceSum(labels, [], false);
    return ops.reshape(ops.binary("Add", ops.graph.constant("", [...ProbeIous], [3]), ops.binary("Mul", sum, 0.001)), dims, name);
}

/**
 * SAM / MobileSAM interface: encoder `images` (an alias SAM exports use) -> `image_embeddings`;
 * decoder with SamOnnxModel's names; coordinates in the 1024 frame (longest side 1024).
 * @param encoderInput the encoder input's name
 * @returns the model pair
 */
export function BuildSamInterfaceModels(encoderInput = "images"): ModelPair {
    const enc = new OnnxGraphBuilder("sam_interface_encoder");
    const encOps = new BuiltinGraphOps(enc);
    Downsample(encOps, enc.input(encoderInput, "float32", [1, 3, 1024, 1024]), 16, 256, "image_embeddings");
    enc.output("image_embeddings", "float32", [1, 256, 64, 64]);

    const dec = new OnnxGraphBuilder("sam_interface_decoder");
    const ops = new BuiltinGraphOps(dec);
    dec.input("image_embeddings", "float32", [1, 256, 64, 64]);
    const coords = dec.input("point_coords", "float32", [1, "n", 2]);
    const labels = dec.input("point_labels", "float32", [1, "n"]);
    const maskInput = dec.input("mask_input", "float32", [1, 1, Low, Low]);
    const hasMask = dec.input("has_mask_input", "float32", [1]);
    const size = dec.input("orig_im_size", "float32", [2]);
    const first = ops.reshape(ops.slice(coords, [0, 0], [1, 2], [1, 2]), [2]);
    const scale = ops.binary("Div", 1024, ops.reduceMax(size, undefined, false));
    const px = ops.binary("Div", Element(ops, first, 0), scale);
    const py = ops.binary("Div", Element(ops, first, 1), scale);
    const discs = Discs(ops, Centres(ops, Element(ops, size, 1), [1, -1]), Centres(ops, Element(ops, size, 0), [-1, 1]), px, py, 1, 1);
    dec.node("Unsqueeze", [discs, ops.ints([0])], {}, "masks");
    IouPredictions(ops, labels, "iou_predictions", [1, 3]);
    dec.node("Expand", [ops.binary("Mul", maskInput, hasMask), ops.ints([1, 3, Low, Low])], {}, "low_res_masks");
    dec.output("masks", "float32", [1, 3, "h", "w"]);
    dec.output("iou_predictions", "float32", [1, 3]);
    dec.output("low_res_masks", "float32", [1, 3, Low, Low]);
    return { encoder: enc.toBytes(), decoder: dec.toBytes() };
}

/**
 * EfficientSAM interface: encoder `batched_images` [1,3,H,W] -> `image_embeddings`; decoder
 * `batched_point_coords` [1,1,N,2] in original pixels, `batched_point_labels`, int64
 * `orig_im_size` -> `output_masks` [1,1,3,H,W], `iou_predictions` [1,1,3], and a third output
 * (the reference export leaves it unnamed) with [1,1,3,256,256] low-res logits (zeros here).
 * @returns the model pair
 */
export function BuildEfficientSamInterfaceModels(): ModelPair {
    const enc = new OnnxGraphBuilder("efficientsam_interface_encoder");
    const encOps = new BuiltinGraphOps(enc);
    const image = enc.input("batched_images", "float32", [1, 3, "h", "w"]);
    const small = enc.node("Resize", [image, "", "", encOps.ints([1, 3, 64, 64])], { mode: "linear" });
    enc.node("Pad", [small, encOps.ints([0, 0, 0, 0, 0, 253, 0, 0])], { mode: "constant" }, "image_embeddings");
    enc.output("image_embeddings", "float32", [1, 256, 64, 64]);

    const dec = new OnnxGraphBuilder("efficientsam_interface_decoder");
    const ops = new BuiltinGraphOps(dec);
    const embeddings = dec.input("image_embeddings", "float32", [1, 256, 64, 64]);
    const coords = dec.input("batched_point_coords", "float32", [1, 1, "n", 2]);
    const labels = dec.input("batched_point_labels", "float32", [1, 1, "n"]);
    const size = ops.cast(dec.input("orig_im_size", "int64", [2]), 1);
    const first = ops.reshape(ops.slice(coords, [0, 0], [1, 2], [2, 3]), [2]);
    const discs = Discs(ops, Centres(ops, Element(ops, size, 1), [1, -1]), Centres(ops, Element(ops, size, 0), [-1, 1]), Element(ops, first, 0), Element(ops, first, 1), 1, 1);
    dec.node("Unsqueeze", [discs, ops.ints([0, 1])], {}, "output_masks");
    IouPredictions(ops, labels, "iou_predictions", [1, 1, 3]);
    const zeros = ops.binary("Mul", ops.reduceSum(embeddings, [], true), 0);
    dec.node("Expand", [ops.reshape(zeros, [1, 1, 1, 1, 1]), ops.ints([1, 1, 3, Low, Low])], {}, "onnx::Slice_1234");
    dec.output("output_masks", "float32", [1, 1, 3, "h", "w"]);
    dec.output("iou_predictions", "float32", [1, 1, 3]);
    dec.output("onnx::Slice_1234", "float32", [1, 1, 3, Low, Low]);
    return { encoder: enc.toBytes(), decoder: dec.toBytes() };
}

/**
 * SAM2 interface (samexporter): encoder `image` -> `high_res_feats_0` [1,32,256,256],
 * `high_res_feats_1` [1,64,128,128], `image_embed` [1,256,64,64]; decoder with those three, the
 * prompt in the stretched 1024 x 1024 frame, mask input -> `masks` at low resolution
 * [1,3,256,256] and `iou_predictions` (no `orig_im_size`, no `low_res_masks`, like samexporter).
 * This decoder cannot know the original size, so its radii are in pixels of a square image of
 * {@link ProbeSam2Size} (the tests use one).
 * @returns the model pair
 */
export function BuildSam2InterfaceModels(): ModelPair {
    const enc = new OnnxGraphBuilder("sam2_interface_encoder");
    const encOps = new BuiltinGraphOps(enc);
    const image = enc.input("image", "float32", [1, 3, 1024, 1024]);
    Downsample(encOps, image, 4, 32, "high_res_feats_0");
    Downsample(encOps, image, 8, 64, "high_res_feats_1");
    Downsample(encOps, image, 16, 256, "image_embed");
    enc.output("high_res_feats_0", "float32", [1, 32, 256, 256]);
    enc.output("high_res_feats_1", "float32", [1, 64, 128, 128]);
    enc.output("image_embed", "float32", [1, 256, 64, 64]);

    const dec = new OnnxGraphBuilder("sam2_interface_decoder");
    const ops = new BuiltinGraphOps(dec);
    dec.input("image_embed", "float32", [1, 256, 64, 64]);
    dec.input("high_res_feats_0", "float32", [1, 32, 256, 256]);
    dec.input("high_res_feats_1", "float32", [1, 64, 128, 128]);
    const coords = dec.input("point_coords", "float32", [1, "n", 2]);
    const labels = dec.input("point_labels", "float32", [1, "n"]);
    dec.input("mask_input", "float32", [1, 1, Low, Low]);
    dec.input("has_mask_input", "float32", [1]);
    const first = ops.reshape(ops.slice(coords, [0, 0], [1, 2], [1, 2]), [2]);
    const toLow = Low / 1024;
    const grid = ops.graph.constant("", Array.from({ length: Low }, (_, i) => i + 0.5), [Low]);
    const unit = ProbeSam2Size / Low;
    const discs = Discs(ops, ops.reshape(grid, [1, Low]), ops.reshape(grid, [Low, 1]), ops.binary("Mul", Element(ops, first, 0), toLow), ops.binary("Mul", Element(ops, first, 1), toLow), unit, unit);
    dec.node("Unsqueeze", [discs, ops.ints([0])], {}, "masks");
    IouPredictions(ops, labels, "iou_predictions", [1, 3]);
    dec.output("masks", "float32", [1, 3, Low, Low]);
    dec.output("iou_predictions", "float32", [1, 3]);
    return { encoder: enc.toBytes(), decoder: dec.toBytes() };
}


/**
 * The analytic mask of a probe disc.
 * @param width image width
 * @param height image height
 * @param x centre x (pixels)
 * @param y centre y (pixels)
 * @param radius radius (pixels)
 * @returns 1 inside, 0 outside
 */
export function DiscMask(width: number, height: number, x: number, y: number, radius: number): Uint8Array {
    const mask = new Uint8Array(width * height);
    for (let j = 0; j < height; j++) {
        for (let i = 0; i < width; i++) {
            mask[j * width + i] = (i + 0.5 - x) ** 2 + (j + 0.5 - y) ** 2 < radius * radius ? 1 : 0;
        }
    }
    return mask;
}

import { OnnxGraphBuilder } from "./onnxGraphBuilder";
import { BuiltinGraphOps } from "./builtinGraphOps";
import { BuiltinDepthParameters, DecodeDepthMaps, DepthJoinedRegion, EncodeDepthFeatures, OutsideWalls, type BuiltinDepthSettings, type DepthMaps } from "./builtinDepthGraph";
import { SamPixelMean, SamPixelStd } from "../../plugin/core/sam/samPreprocess";
import { SamDecoderInputs, SamDecoderOutputs, SamEncoderDepthInput, SamEncoderOutputAliases } from "../../plugin/core/sam/samTensorNames";

/** The constants of the built-in model's graphs (see {@link BuiltinAffinityParameters}). */
export interface BuiltinAffinitySettings {
    readonly chromaEpsilon: number;
    readonly luminanceWeight: number;
    readonly tolerances: readonly [number, number, number];
    readonly edgeToleranceScale: number;
    readonly gatherSigma: number;
    readonly seedSigma: number;
    readonly falloffSigma: number;
    readonly floodSteps: number;
    readonly competitionSoftness: number;
    readonly boxSoftness: number;
    readonly logitGain: number;
    readonly maskWeightWithPrompt: number;
    readonly stabilityOffset: number;
    /** Depth edges (see {@link BuiltinDepthParameters}). */
    readonly depth: BuiltinDepthSettings;
}

/**
 * The built-in stand-in model: an ONNX encoder and decoder with SAM's exact I/O, made of plain
 * operators and a handful of constants (no trained weights). It is a colour-and-position affinity
 * segmenter, not SAM: good on objects of distinct, fairly flat colours; it knows nothing of shapes.
 *
 * Encoder `image` [1,3,1024,1024] (SAM-normalised, zero-padded) -> `image_embeddings` [1,256,64,64]:
 * per 64 x 64 cell (16 x 16 px of the padded input) channels
 *   0-2   mean normalised colour (16 x 16 area average),
 *   3-6   mean chromaticity r,g,b / (r+g+b+eps) and weighted luminance (of the 4 x 4 blocks below),
 *   7-8   cell centre x, y in 0..1 of the padded frame,
 *   9     colour variance inside the cell,
 *   16-79 the 4 x 4 blocks of the cell (4 x 4 px area averages = a 256 x 256 grid): chromaticity
 *         and weighted luminance, space-to-depth (channel 16 + (by*4 + bx)*4 + feature),
 *   80-111 the blocks' depth: share of pixels with depth and their mean log depth (channel
 *         80 + (by*4 + bx)*2 + feature), from the optional input `depth` [1,1,1024,1024] (the view's
 *         depth resized and padded like the image, 0 = unknown; all zeros for colour only),
 *   rest  zeros.
 * Decoder (SAM's inputs and outputs): on the 256 x 256 block grid it
 *   1. gathers the features under each prompt point with a narrow Gaussian (sigma 1 block),
 *   2. scores every block by colour affinity exp(-d^2 / 2 tau^2) to the positive points times a
 *      wide spatial falloff, and likewise for the negative points,
 *   3. keeps what is connected to the points: a fuzzy flood fill (64 steps of 3 x 3 max-pool,
 *      clamped by the affinity, zero in depth walls; candidate 2 also takes the depth-joined region) on the 64 x 64 grid, refined back on the 256 x 256 blocks and grown
 *      by one block into edge blocks of mixed colour; a block connected to both positive and
 *      negative points goes to the nearer one,
 *   4. adds a box prior (labels 2/3: outside the box is pushed down and blocks the fill; a box
 *      without positive clicks seeds the fill at its centre) and `has_mask_input * mask_input`
 *      (already on the 256 x 256 low-res grid),
 *   5. returns 3 candidates at colour tolerances tau = 0.08, 0.05, 0.12 as logits
 *      20 * (score - 0.5) (`low_res_masks` [1,3,256,256]), their predicted IoU = stability score
 *      #(logit > 1) / #(logit > -1), and `masks` through SAM's post-processing: bilinear to 1024,
 *      crop to the resized image, bilinear to `orig_im_size`.
 */
export const BuiltinAffinityParameters: BuiltinAffinitySettings = {
    /** Chromaticity denominator offset (0..1 RGB sums). */
    chromaEpsilon: 0.05,
    /** Weight of the luminance feature relative to chromaticity. */
    luminanceWeight: 0.25,
    /** Colour tolerance of each candidate (feature distance units). */
    tolerances: [0.08, 0.05, 0.12],
    /** Tolerance factor for blocks next to the region (they straddle an edge, their colour is mixed). */
    edgeToleranceScale: 2.5,
    /** Gaussian that gathers a point's features, px of the 1024 frame. */
    gatherSigma: 4,
    /** Gaussian that seeds the fill at a point, px of the 1024 frame. */
    seedSigma: 8,
    /** Spatial falloff of the affinity around a point, px of the 1024 frame. */
    falloffSigma: 512,
    /** Flood-fill steps on the 64 x 64 grid. */
    floodSteps: 64,
    /** Softness of the split between positive and negative points in one connected region, px of the 1024 frame. */
    competitionSoftness: 16,
    /** Softness of the box edges, px of the 1024 frame. */
    boxSoftness: 4,
    /** Logit scale: logit = gain * (score - 0.5). */
    logitGain: 20,
    /** Weight of mask_input (clipped to +-1 after scaling by 1/10) when there are clicks or a box. */
    maskWeightWithPrompt: 0.3,
    /** Logit offset of the stability score. */
    stabilityOffset: 1,
    depth: BuiltinDepthParameters,
};

const Frame = 1024;
const Blocks = 256;
const Cells = 64;
const BlockCount = Blocks * Blocks;
const FloatType = 1;
const Int64Type = 7;

/**
 * Builds the built-in encoder (see {@link BuiltinAffinityParameters} for what it computes).
 * @param p the constants (the shipped model uses the defaults)
 * @returns the .onnx bytes
 */
export function BuildBuiltinSamEncoder(p: BuiltinAffinitySettings = BuiltinAffinityParameters): Uint8Array {
    const graph = new OnnxGraphBuilder("builtin_affinity_encoder");
    const ops = new BuiltinGraphOps(graph);
    const image = graph.input("image", "float32", [1, 3, Frame, Frame]);
    const stdOver255 = graph.constant("pixel_std_over_255", SamPixelStd.map((v) => v / 255), [1, 3, 1, 1]);
    const meanOver255 = graph.constant("pixel_mean_over_255", SamPixelMean.map((v) => v / 255), [1, 3, 1, 1]);
    const rgb = ops.binary("Add", ops.binary("Mul", image, stdOver255), meanOver255);
    const cellColour = ops.averagePool(image, 16);
    const cellRgb = ops.averagePool(rgb, 16);
    const cellRgbSquared = ops.averagePool(ops.binary("Mul", rgb, rgb), 16);
    const variance = graph.node("ReduceMean", [ops.binary("Sub", cellRgbSquared, ops.binary("Mul", cellRgb, cellRgb))], { axes: [1], keepdims: 1 });
    const blocks = ops.averagePool(rgb, 4);
    const blockSum = ops.binary("Add", ops.binary("Add", ops.slice(blocks, [0], [1], [1]), ops.slice(blocks, [1], [2], [1])), ops.slice(blocks, [2], [3], [1]));
    const chroma = ops.binary("Div", blocks, ops.binary("Add", blockSum, p.chromaEpsilon));
    const luminance = ops.binary("Mul", blockSum, p.luminanceWeight / 3);
    const fine = ops.concat([chroma, luminance], 1);
    const cellFeatures = ops.averagePool(fine, 4);
    const centres = Array.from({ length: Cells }, (_, i) => (i + 0.5) / Cells);
    const cellShape = ops.ints([1, 1, Cells, Cells]);
    const positionX = graph.node("Expand", [graph.constant("cell_x", centres, [1, 1, 1, Cells]), cellShape]);
    const positionY = graph.node("Expand", [graph.constant("cell_y", centres, [1, 1, Cells, 1]), cellShape]);
    const zeros = graph.node("Expand", [ops.scalar(0), ops.ints([1, 6, Cells, Cells])]);
    const blockChannels = ops.reshape(graph.node("Transpose", [ops.reshape(fine, [1, 4, Cells, 4, Cells, 4])], { perm: [0, 3, 5, 1, 2, 4] }), [1, 64, Cells, Cells]);
    const depthChannels = EncodeDepthFeatures(ops, graph.input(SamEncoderDepthInput, "float32", [1, 1, Frame, Frame]));
    // two Concats: WebGPU gives a shader 8 storage buffers (7 inputs and the output here)
    const used = ops.concat([ops.concat([cellColour, cellFeatures, positionX, positionY, variance, zeros, blockChannels], 1), depthChannels], 1);
    graph.node("Pad", [used, ops.ints([0, 0, 0, 0, 0, 256 - 112, 0, 0])], { mode: "constant" }, SamEncoderOutputAliases[0]);
    graph.output(SamEncoderOutputAliases[0], "float32", [1, 256, Cells, Cells]);
    return graph.toBytes("babylon-sanerf-hq builtin affinity segmenter");
}

/** Prompt geometry shared by the decoder's stages. */
interface PromptGeometry {
    /** Squared distance of every block centre to every point, [65536, M] (points last: see {@link BuildBuiltinSamDecoder}). */
    readonly distance2: string;
    /** 1 for foreground points, [1, M]. */
    readonly positive: string;
    /** 1 for background points, [1, M]. */
    readonly negative: string;
    /** 1 when the prompt has a box, [1, 1]. */
    readonly hasBox: string;
    /** 1 when the prompt has a foreground point or a box, [1, 1]. */
    readonly hasPrompt: string;
    /** Soft inside-the-box indicator per block, [1, 65536] (meaningless without a box). */
    readonly inside: string;
}

/** Points (+ a virtual box-centre point), labels, distances and the box indicator. */
function PromptGeometryOf(ops: BuiltinGraphOps, p: BuiltinAffinitySettings, coords: string, labels: string): PromptGeometry {
    const graph = ops.graph;
    const topLeftMask = ops.equalFloat(labels, 2);
    const bottomRightMask = ops.equalFloat(labels, 3);
    const hasBox = ops.reduceMax(topLeftMask, undefined, true);
    const anyPositive = ops.reduceMax(ops.equalFloat(labels, 1), undefined, true);
    const corner = (mask: string): string => ops.reduceSum(ops.binary("Mul", coords, graph.node("Unsqueeze", [mask, ops.ints([2])])), [1], true);
    const topLeft = ops.binary("Add", corner(topLeftMask), 0.5);
    const bottomRight = ops.binary("Add", corner(bottomRightMask), 0.5);
    const boxCentre = ops.binary("Mul", ops.binary("Add", topLeft, bottomRight), 0.5);
    // A box without foreground clicks seeds the fill at its centre (label 1), else the extra point is ignored (-1).
    const virtualActive = ops.binary("Mul", hasBox, ops.binary("Sub", 1, anyPositive));
    const virtualLabel = ops.binary("Sub", ops.binary("Mul", virtualActive, 2), 1);
    const allCoords = ops.concat([coords, ops.binary("Sub", boxCentre, 0.5)], 1);
    const allLabels = ops.reshape(ops.concat([labels, virtualLabel], 1), [1, -1]);
    const points = ops.binary("Add", ops.reshape(allCoords, [-1, 2]), 0.5);
    const blockCentres = Array.from({ length: Blocks }, (_, i) => (i + 0.5) * (Frame / Blocks));
    const gridX = graph.constant("block_x", blockCentres, [1, Blocks, 1]);
    const gridY = graph.constant("block_y", blockCentres, [Blocks, 1, 1]);
    const pointX = ops.reshape(ops.slice(points, [0], [1], [1]), [1, 1, -1]);
    const pointY = ops.reshape(ops.slice(points, [1], [2], [1]), [1, 1, -1]);
    const dx = ops.binary("Sub", gridX, pointX);
    const dy = ops.binary("Sub", gridY, pointY);
    const distance2 = ops.reshape(ops.binary("Add", ops.binary("Mul", dx, dx), ops.binary("Mul", dy, dy)), [BlockCount, -1]);
    const edge = (from: string, to: string, grid: string): string =>
        ops.binary("Mul", ops.unary("Sigmoid", ops.binary("Div", ops.binary("Sub", grid, from), p.boxSoftness)), ops.unary("Sigmoid", ops.binary("Div", ops.binary("Sub", to, grid), p.boxSoftness)));
    const flatTopLeft = ops.reshape(topLeft, [2]);
    const flatBottomRight = ops.reshape(bottomRight, [2]);
    const insideX = edge(ops.slice(flatTopLeft, [0], [1], [0]), ops.slice(flatBottomRight, [0], [1], [0]), gridX);
    const insideY = edge(ops.slice(flatTopLeft, [1], [2], [0]), ops.slice(flatBottomRight, [1], [2], [0]), gridY);
    return {
        distance2,
        positive: ops.equalFloat(allLabels, 1),
        negative: ops.equalFloat(allLabels, 0),
        hasBox,
        hasPrompt: ops.binary("Max", anyPositive, hasBox),
        inside: ops.reshape(ops.binary("Mul", insideX, insideY), [1, BlockCount]),
    };
}

/** Squared feature distance of every block to the features under every point, [65536, M]. */
function ColourDistances(ops: BuiltinGraphOps, p: BuiltinAffinitySettings, embeddings: string, geometry: PromptGeometry): string {
    const graph = ops.graph;
    const blockChannels = ops.reshape(ops.slice(embeddings, [16], [80], [1]), [1, 4, 4, 4, Cells, Cells]);
    // [1, by, bx, feature, cy, cx] -> [block (cy, by, cx, bx), feature], plus a column of ones that sums the weights
    const features = ops.reshape(graph.node("Transpose", [blockChannels], { perm: [0, 4, 1, 5, 2, 3] }), [BlockCount, 4]);
    const withOnes = ops.concat([features, graph.node("Expand", [ops.scalar(1), ops.ints([BlockCount, 1])])], 1);
    // [feature, block, 1]: one column per feature, for the distances below
    const columns = ops.reshape(graph.node("Transpose", [blockChannels], { perm: [0, 3, 4, 1, 5, 2] }), [4, BlockCount, 1]);
    const gather = ops.unary("Exp", ops.binary("Mul", geometry.distance2, -1 / (2 * p.gatherSigma ** 2)));
    const gathered = graph.node("Gemm", [gather, withOnes], { transA: 1 });
    const pointFeatures = ops.binary("Div", ops.slice(gathered, [0], [4], [1]), ops.binary("Add", ops.slice(gathered, [4], [5], [1]), 1e-20));
    // Sum over the 4 features of (block - point)^2, elementwise on [65536, M] (no Reduce/Gemm: both are slow on WebGPU here).
    let distance2 = "";
    for (let f = 0; f < 4; f++) {
        const difference = ops.binary("Sub", ops.reshape(ops.slice(columns, [f], [f + 1], [0]), [BlockCount, 1]), ops.reshape(ops.slice(pointFeatures, [f], [f + 1], [1]), [1, -1]));
        const squared = ops.binary("Mul", difference, difference);
        distance2 = f === 0 ? squared : ops.binary("Add", distance2, squared);
    }
    return distance2;
}

/**
 * Colour affinity of every block to the positive and to the negative points at the candidates'
 * tolerances times `toleranceScale`: [1, 6, 256, 256] (3 positive maps, then 3 negative ones).
 */
function AffinityMaps(ops: BuiltinGraphOps, p: BuiltinAffinitySettings, colourDistance2: string, geometry: PromptGeometry, toleranceScale: number): string {
    const coefficients = ops.graph.constant("", p.tolerances.map((tau) => -1 / (2 * (tau * toleranceScale) ** 2)), [3, 1, 1]);
    const affinity = ops.unary("Exp", ops.binary("Mul", ops.reshape(colourDistance2, [1, BlockCount, -1]), coefficients));
    const falloff = ops.unary("Exp", ops.binary("Mul", geometry.distance2, -1 / (2 * p.falloffSigma ** 2)));
    const weighted = ops.binary("Mul", affinity, falloff);
    const pick = (labelMask: string): string => ops.reshape(ops.reduceMax(ops.reshape(ops.binary("Mul", weighted, labelMask), [3 * BlockCount, -1]), [1], true), [3, BlockCount]);
    const boxGate = ops.binary("Sub", 1, ops.binary("Mul", geometry.hasBox, ops.binary("Sub", 1, geometry.inside)));
    return ops.reshape(ops.concat([ops.binary("Mul", pick(geometry.positive), boxGate), pick(geometry.negative)], 0), [1, 6, Blocks, Blocks]);
}

/**
 * Fuzzy connectivity to the seeds: a flood on the 64 x 64 cells, refined on the 256 x 256 blocks,
 * then grown by one block into blocks within the edge tolerance (blocks that straddle an edge have
 * a mixed colour). The flood never enters depth walls; the widest positive candidate (2) also takes
 * the depth-joined region (see {@link BuiltinDepthParameters}). [1, 6, 256, 256].
 */
function ConnectedAffinity(ops: BuiltinGraphOps, p: BuiltinAffinitySettings, blockAffinity: string, edgeAffinity: string, geometry: PromptGeometry, depth: DepthMaps, resizedSize: string): string {
    const cellPass = OutsideWalls(ops, ops.averagePool(blockAffinity, 4), depth.cellWall);
    const blockPass = OutsideWalls(ops, blockAffinity, depth.blockWall);
    const seed = ops.unary("Exp", ops.binary("Mul", geometry.distance2, -1 / (2 * p.seedSigma ** 2)));
    const seedOf = (labelMask: string): string => ops.maxPool(ops.reshape(ops.reduceMax(ops.binary("Mul", seed, labelMask), [1], true), [1, 1, Blocks, Blocks]), 4, 4);
    const positiveSeed = seedOf(geometry.positive);
    const negativeSeed = seedOf(geometry.negative);
    let region = ops.binary("Min", ops.concat([positiveSeed, positiveSeed, positiveSeed, negativeSeed, negativeSeed, negativeSeed], 1), cellPass);
    for (let step = 0; step < p.floodSteps; step++) {
        region = ops.binary("Min", ops.maxPool(region, 3, 1), cellPass);
    }
    // Back on the blocks: start from the blocks of reached cells that lie on the cells' nearest
    // surface, then two 3 x 3 steps (a block-thick wall stops them; without depth this reaches what a 5 x 5 window did).
    const start = ops.binary("Mul", ops.resizeByScales(region, [1, 1, 4, 4], "nearest"), depth.nearBlock);
    const refined = ops.binary("Min", ops.maxPool(ops.binary("Min", ops.maxPool(start, 3, 1), blockPass), 3, 1), blockPass);
    const edgePass = OutsideWalls(ops, edgeAffinity, depth.blockWall);
    const connected = ops.binary("Max", refined, ops.binary("Min", ops.maxPool(refined, 3, 1), edgePass));
    const boxGate = ops.reshape(ops.binary("Sub", 1, ops.binary("Mul", geometry.hasBox, ops.binary("Sub", 1, geometry.inside))), [1, 1, Blocks, Blocks]);
    const joined = DepthJoinedRegion(ops, p.depth, positiveSeed, depth, boxGate, resizedSize);
    return ops.concat([ops.slice(connected, [0], [2], [1]), ops.binary("Max", ops.slice(connected, [2], [3], [1]), joined), ops.slice(connected, [3], [6], [1])], 1);
}

/**
 * Builds the built-in decoder (SAM's decoder interface; see {@link BuiltinAffinityParameters}).
 * Tensors indexed by prompt point keep the point axis last, and reductions over points run on
 * 2-D [N, M] shapes, reduced along axis 1: onnxruntime-web's WebGPU Reduce* picks its naive
 * kernel (one thread per output) only for such shapes and otherwise a workgroup-per-output kernel
 * that is many times slower for 196 608 outputs of 1-3 points each. They all keep their reduced
 * axis (keepdims 1): onnxruntime-web 1.30 reuses one compiled naive ReduceMax for two nodes that
 * differ only in keepdims and then fails with "Uniform variable mismatch".
 * @param p the constants (the shipped model uses the defaults)
 * @returns the .onnx bytes
 */
export function BuildBuiltinSamDecoder(p: BuiltinAffinitySettings = BuiltinAffinityParameters): Uint8Array {
    const graph = new OnnxGraphBuilder("builtin_affinity_decoder");
    const ops = new BuiltinGraphOps(graph);
    const names = SamDecoderInputs;
    const embeddings = graph.input(names.imageEmbeddings, "float32", [1, 256, Cells, Cells]);
    const coords = graph.input(names.pointCoords, "float32", [1, "num_points", 2]);
    const labels = graph.input(names.pointLabels, "float32", [1, "num_points"]);
    const maskInput = graph.input(names.maskInput, "float32", [1, 1, Blocks, Blocks]);
    const hasMaskInput = graph.input(names.hasMaskInput, "float32", [1]);
    const origImSize = graph.input(names.origImSize, "float32", [2]);

    const geometry = PromptGeometryOf(ops, p, coords, labels);
    const colourDistance2 = ColourDistances(ops, p, embeddings, geometry);
    const blockAffinity = AffinityMaps(ops, p, colourDistance2, geometry, 1);
    const edgeAffinity = AffinityMaps(ops, p, colourDistance2, geometry, p.edgeToleranceScale);
    const resizedSize = ops.unary("Floor", ops.binary("Add", ops.binary("Mul", origImSize, ops.binary("Div", Frame, ops.reduceMax(origImSize, undefined, true))), 0.5));
    const connected = ConnectedAffinity(ops, p, blockAffinity, edgeAffinity, geometry, DecodeDepthMaps(ops, p.depth, embeddings, 80), resizedSize);
    const positive = ops.slice(connected, [0], [3], [1]);
    const negative = ops.slice(connected, [3], [6], [1]);
    const boxPrior = ops.reshape(ops.binary("Mul", geometry.hasBox, ops.binary("Sub", geometry.inside, 1)), [1, 1, Blocks, Blocks]);
    // With clicks or a box, mask_input nudges the score by up to +-maskWeightWithPrompt; alone, the
    // score is 0.5 + 0.5 * clip(mask_input / 10), i.e. the same logits back (clipped to +-10).
    const noPrompt = ops.reshape(ops.binary("Sub", 1, geometry.hasPrompt), [1, 1, 1, 1]);
    const maskWeight = ops.binary("Add", p.maskWeightWithPrompt, ops.binary("Mul", noPrompt, 0.5 - p.maskWeightWithPrompt));
    const clippedMask = graph.node("Clip", [ops.binary("Mul", maskInput, 0.1), ops.scalar(-1), ops.scalar(1)]);
    const maskTerm = ops.binary("Mul", ops.binary("Add", ops.binary("Mul", clippedMask, maskWeight), ops.binary("Mul", noPrompt, 0.5)), ops.reshape(hasMaskInput, [1, 1, 1, 1]));
    // Where a block is connected to both kinds of points, the nearer point wins.
    const nearest = (labelMask: string): string =>
        ops.unary("Sqrt", ops.reduceMin(ops.binary("Add", geometry.distance2, ops.binary("Mul", ops.binary("Sub", 1, labelMask), 1e12)), [1], true));
    const nearerNegative = ops.reshape(ops.unary("Sigmoid", ops.binary("Div", ops.binary("Sub", nearest(geometry.positive), nearest(geometry.negative)), p.competitionSoftness)), [1, 1, Blocks, Blocks]);
    const kept = ops.binary("Mul", positive, ops.binary("Sub", 1, ops.binary("Mul", negative, nearerNegative)));
    const score = ops.binary("Add", ops.binary("Add", kept, boxPrior), maskTerm);
    const lowRes = ops.binary("Mul", ops.binary("Sub", score, 0.5), p.logitGain, SamDecoderOutputs.lowResMasks);

    const count = (threshold: number): string => ops.reduceSum(ops.cast(ops.binary("Greater", lowRes, threshold), FloatType), [2, 3], false);
    ops.binary("Div", count(p.stabilityOffset), ops.binary("Add", count(-p.stabilityOffset), 1), SamDecoderOutputs.iouPredictions);

    const upscaled = ops.resizeByScales(lowRes, [1, 1, Frame / Blocks, Frame / Blocks], "linear");
    const cropped = graph.node("Slice", [upscaled, ops.ints([0, 0]), ops.cast(resizedSize, Int64Type), ops.ints([2, 3])]);
    const sizes = ops.concat([ops.ints([1, 3]), ops.cast(origImSize, Int64Type)], 0);
    graph.node("Resize", [cropped, "", "", sizes], { mode: "linear", coordinate_transformation_mode: "half_pixel" }, SamDecoderOutputs.masks);

    graph.output(SamDecoderOutputs.masks, "float32", [1, 3, "height", "width"]);
    graph.output(SamDecoderOutputs.iouPredictions, "float32", [1, 3]);
    graph.output(SamDecoderOutputs.lowResMasks, "float32", [1, 3, Blocks, Blocks]);
    return graph.toBytes("babylon-sanerf-hq builtin affinity segmenter");
}

import type { BuiltinGraphOps } from "./builtinGraphOps";

/** The depth constants of the built-in model (see {@link BuiltinDepthParameters}). */
export interface BuiltinDepthSettings {
    /** Log-depth step that makes a depth edge: a block this much farther than a neighbour is a wall. */
    readonly edgeLogDepth: number;
    /** Softness of that threshold (log-depth units). */
    readonly edgeSoftness: number;
    /** Flood steps (cells) of the depth-joined region. */
    readonly joinSteps: number;
    /** Log-depth step that makes a wall for the depth-joined region (larger: see {@link BuiltinDepthParameters}). */
    readonly joinEdgeLogDepth: number;
    /** Border cells the depth-joined region may touch and still be the object (see {@link BuiltinDepthParameters}). */
    readonly joinBorderCells: number;
}

/**
 * Depth handling of the built-in model. The encoder's optional `depth` input (the view's depth per
 * pixel, any unit, 0 = unknown) becomes per-block validity and mean log depth; the decoder turns
 * them into walls: a block farther than one of its 8 neighbours by `edgeLogDepth` (about 10 %: a
 * silhouette, or the void around an object) is a wall, and the flood does not enter walls, so a
 * region stops at depth edges even where the colours on both sides match (a skull before a hall
 * of the same browns). Only the far side of an edge is a wall: the near side (the object's rim)
 * stays free, and thin parts a block wide survive. Unknown depth everywhere (SAM-family inputs, or
 * no field) gives no walls: the colour-only model.
 *
 * Depth also joins colours, in the widest candidate (2) only: the region of known depth connected
 * to the positive clicks without walls is added to it unless it runs along the image's border.
 * Its walls are first steps of `joinEdgeLogDepth` (about 35 %): an object is ringed by such steps
 * against what lies behind it, while the steps between its own parts (a stand seen behind the body
 * it holds, a cable receding along its length) are its depth's extent over its distance, far less.
 * A region that runs along the border (over more than `joinBorderCells` cells, half the frame's
 * side) is a support or a backdrop running out of view (a table under a mug: joining through the
 * contact took the table, IoU 0.04-0.12 on tabletop; a skull's pedestal), and the join falls back
 * to the colour flood's own walls (`edgeLogDepth`), then to nothing. A region that only touches the
 * border is an object the frame cuts (a cable or a leg running out of view: 19 of mic's 100 views)
 * and is joined.
 */
export const BuiltinDepthParameters: BuiltinDepthSettings = {
    edgeLogDepth: 0.1,
    edgeSoftness: 0.02,
    joinSteps: 128,
    joinEdgeLogDepth: 0.3,
    joinBorderCells: 32,
};

const Cells = 64;
const Blocks = 256;
/** Log depth given to unknown blocks: far behind anything (e^40 units). */
const UnknownLogDepth = 40;

/**
 * Encoder side: per 4 x 4 px block (the 256 x 256 grid) the share of pixels with depth and their
 * mean log depth, space-to-depth as channel `first + (by * 4 + bx) * 2 + feature` ([1, 32, 64, 64]).
 * @param ops graph helpers
 * @param depth the `depth` input [1, 1, 1024, 1024]
 * @returns the 32 embedding channels
 */
export function EncodeDepthFeatures(ops: BuiltinGraphOps, depth: string): string {
    const known = ops.cast(ops.binary("Greater", depth, 0), 1);
    const logDepth = ops.binary("Mul", ops.unary("Log", ops.binary("Max", depth, 1e-20)), known);
    const blockKnown = ops.averagePool(known, 4);
    const blockLog = ops.binary("Div", ops.averagePool(logDepth, 4), ops.binary("Max", blockKnown, 1e-6));
    const features = ops.concat([blockKnown, blockLog], 1);
    return ops.reshape(ops.graph.node("Transpose", [ops.reshape(features, [1, 2, Cells, 4, Cells, 4])], { perm: [0, 3, 5, 1, 2, 4] }), [1, 32, Cells, Cells]);
}

/** What the decoder's flood takes from depth. */
export interface DepthMaps extends DepthWalls {
    /** The same at the depth-joined region's threshold. */
    readonly join: DepthWalls;
}

/** Walls and free surface at one edge threshold. */
interface DepthWalls {
    /** Wall (0..1) per block, [1, 1, 256, 256]. */
    readonly blockWall: string;
    /** Wall per cell, [1, 1, 64, 64]: the cell's nearest block is farther than a neighbour cell's nearest. */
    readonly cellWall: string;
    /** Known depth and no wall, per block [1, 1, 256, 256] and per cell [1, 1, 64, 64]. */
    readonly blockSurface: string;
    readonly cellSurface: string;
    /** Blocks within the edge threshold of their cell's nearest block (where the flood hands over from cells to blocks), [1, 1, 256, 256]. */
    readonly nearBlock: string;
}

/** 1 where `x` exceeds the minimum of its 3 x 3 neighbourhood by more than `edge` (soft). */
function FarSide(ops: BuiltinGraphOps, p: BuiltinDepthSettings, logDepth: string, edge: number): string {
    const nearest = ops.unary("Neg", ops.maxPool(ops.unary("Neg", logDepth), 3, 1));
    return ops.unary("Sigmoid", ops.binary("Div", ops.binary("Sub", ops.binary("Sub", logDepth, nearest), edge), p.edgeSoftness));
}

/**
 * Decoder side: walls from the embedding's depth channels.
 * @param ops graph helpers
 * @param p the depth constants
 * @param embeddings `image_embeddings` [1, 256, 64, 64]
 * @param first the first depth channel
 * @returns the maps
 */
export function DecodeDepthMaps(ops: BuiltinGraphOps, p: BuiltinDepthSettings, embeddings: string, first: number): DepthMaps {
    const channels = ops.reshape(ops.slice(embeddings, [first], [first + 32], [1]), [1, 4, 4, 2, Cells, Cells]);
    // [1, by, bx, feature, cy, cx] -> [1, feature, cy, by, cx, bx] = [1, 2, 256, 256]
    const maps = ops.reshape(ops.graph.node("Transpose", [channels], { perm: [0, 3, 4, 1, 5, 2] }), [1, 2, Blocks, Blocks]);
    const known = ops.cast(ops.binary("Greater", ops.slice(maps, [0], [1], [1]), 0.5), 1);
    const logDepth = ops.binary("Add", ops.binary("Mul", ops.slice(maps, [1], [2], [1]), known), ops.binary("Mul", ops.binary("Sub", 1, known), UnknownLogDepth));
    const cellLog = ops.unary("Neg", ops.maxPool(ops.unary("Neg", logDepth), 4, 4));
    const cellKnown = ops.maxPool(known, 4, 4);
    const cellNearest = ops.resizeByScales(cellLog, [1, 1, 4, 4], "nearest");
    const wallsAt = (edge: number): DepthWalls => {
        const blockWall = FarSide(ops, p, logDepth, edge);
        const cellWall = FarSide(ops, p, cellLog, edge);
        const nearBlock = ops.unary("Sigmoid", ops.binary("Div", ops.binary("Sub", edge, ops.binary("Sub", logDepth, cellNearest)), p.edgeSoftness));
        const blockSurface = ops.binary("Mul", known, ops.binary("Sub", 1, blockWall));
        const cellSurface = ops.binary("Mul", cellKnown, ops.binary("Sub", 1, cellWall));
        return { blockWall, cellWall, blockSurface, cellSurface, nearBlock };
    };
    return { ...wallsAt(p.edgeLogDepth), join: wallsAt(p.joinEdgeLogDepth) };
}

/**
 * A flood's passability: the colour affinity, zero in walls.
 * @param ops graph helpers
 * @param affinity colour affinity [1, 6, H, W] (3 positive candidates, then 3 negative)
 * @param wall walls [1, 1, H, W]
 * @returns [1, 6, H, W]
 */
export function OutsideWalls(ops: BuiltinGraphOps, affinity: string, wall: string): string {
    return ops.binary("Mul", affinity, ops.binary("Sub", 1, wall));
}

/**
 * The depth-joined region of the positive clicks, [1, 1, 256, 256]: a flood from their seeds through
 * known, wall-free cells (inside the box, if any), back on the blocks as the colour flood is. The
 * widest such region that does not run along the image's border: with the join's walls, else with
 * the colour flood's own (finer) walls, else none (see {@link BuiltinDepthParameters}).
 * @param ops graph helpers
 * @param p the depth constants
 * @param seed the positive clicks' seeds on the cells [1, 1, 64, 64]
 * @param depth the depth maps
 * @param boxGate 1 inside the box or without one, per block [1, 1, 256, 256]
 * @param resizedSize the image's (height, width) in the 1024 frame, [2]
 * @returns the region
 */
export function DepthJoinedRegion(ops: BuiltinGraphOps, p: BuiltinDepthSettings, seed: string, depth: DepthMaps, boxGate: string, resizedSize: string): string {
    const border = BorderCells(ops, resizedSize);
    const wide = JoinThroughWalls(ops, p, seed, depth.join, border, boxGate);
    const narrow = JoinThroughWalls(ops, p, seed, depth, border, boxGate);
    const keptWide = ops.binary("Mul", wide.region, ops.binary("Sub", 1, wide.runsOut));
    const keptNarrow = ops.binary("Mul", ops.binary("Mul", narrow.region, ops.binary("Sub", 1, narrow.runsOut)), wide.runsOut);
    return ops.binary("Add", keptWide, keptNarrow);
}

/** 1 for the cells within one cell of the image's edge, [1, 1, 64, 64] (the padding beyond it is unknown depth: walls). */
function BorderCells(ops: BuiltinGraphOps, resizedSize: string): string {
    const graph = ops.graph;
    const index = Array.from({ length: Cells }, (_, i) => i);
    const lastX = ops.binary("Sub", ops.binary("Div", ops.slice(resizedSize, [1], [2], [0]), 16), 2);
    const lastY = ops.binary("Sub", ops.binary("Div", ops.slice(resizedSize, [0], [1], [0]), 16), 2);
    const edgeX = ops.binary("Max", ops.cast(ops.binary("Less", graph.constant("join_cell_x", index, [1, 1, 1, Cells]), 1), 1), ops.cast(ops.binary("Greater", graph.constant("join_cell_x2", index, [1, 1, 1, Cells]), ops.reshape(lastX, [1, 1, 1, 1])), 1));
    const edgeY = ops.binary("Max", ops.cast(ops.binary("Less", graph.constant("join_cell_y", index, [1, 1, Cells, 1]), 1), 1), ops.cast(ops.binary("Greater", graph.constant("join_cell_y2", index, [1, 1, Cells, 1]), ops.reshape(lastY, [1, 1, 1, 1])), 1));
    return ops.binary("Max", edgeX, edgeY);
}

/**
 * The region of known depth joined to the seeds through one set of walls, on the blocks (inside
 * the box), and whether it runs along the image's border (0..1, [1, 1, 1, 1]).
 */
function JoinThroughWalls(ops: BuiltinGraphOps, p: BuiltinDepthSettings, seed: string, walls: DepthWalls, border: string, boxGate: string): { region: string; runsOut: string } {
    const pass = ops.binary("Mul", walls.cellSurface, ops.averagePool(boxGate, 4));
    let region = ops.binary("Min", seed, pass);
    for (let step = 0; step < p.joinSteps; step++) {
        region = ops.binary("Min", ops.maxPool(region, 3, 1), pass);
    }
    const contact = ops.reduceSum(ops.reshape(ops.binary("Mul", region, border), [1, Cells * Cells]), [1], true);
    const runsOut = ops.reshape(ops.graph.node("Clip", [ops.binary("Sub", contact, p.joinBorderCells), ops.scalar(0), ops.scalar(1)]), [1, 1, 1, 1]);
    const start = ops.binary("Mul", ops.resizeByScales(region, [1, 1, 4, 4], "nearest"), walls.nearBlock);
    const refined = ops.binary("Min", ops.maxPool(ops.binary("Min", ops.maxPool(start, 3, 1), walls.blockSurface), 3, 1), walls.blockSurface);
    return { region: ops.binary("Mul", refined, boxGate), runsOut };
}

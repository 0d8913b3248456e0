// The capture's transforms.json (nerfstudio layout plus the sample scenes' extras: scene_aabb,
// sanerf_scene, objects, label_path and depth_file_path per frame), and the file names it lists.
import type { Rgb } from "./sceneLayouts";
import type { WorldBox } from "./meshExport";

/** One frame entry. */
export interface TransformsFrame {
    /** The RGBA image (straight alpha, alpha = coverage), relative to the capture folder. */
    readonly file_path: string;
    /** The instance-label image (R = G = B = object id). */
    readonly label_path: string;
    /** The float32 z-depth array (.npy). */
    readonly depth_file_path: string;
    /** Camera-to-world, OpenGL convention, 4 rows of 4. */
    readonly transform_matrix: number[][];
}

/** One object entry. */
export interface TransformsObject {
    /** Label value. */
    readonly id: number;
    /** Human-readable name. */
    readonly name: string;
    /** Ground-truth GLB, relative to the capture folder. */
    readonly mesh_path: string;
    /** Diffuse colour. */
    readonly color: Rgb;
}

/** The whole file. */
export interface TransformsJson {
    readonly camera_model: "OPENCV";
    readonly fl_x: number;
    readonly fl_y: number;
    readonly cx: number;
    readonly cy: number;
    readonly w: number;
    readonly h: number;
    readonly k1: 0;
    readonly k2: 0;
    readonly p1: 0;
    readonly p2: 0;
    readonly scene_aabb: [number[], number[]];
    readonly sanerf_scene: { readonly name: string; readonly seed: number; readonly views: number; readonly size: number; readonly command: string };
    readonly objects: TransformsObject[];
    readonly frames: TransformsFrame[];
}

/**
 * A frame's file stem.
 * @param index frame index
 * @returns e.g. "frame_00007"
 */
export function GeneratedFrameStem(index: number): string {
    return `frame_${String(index).padStart(5, "0")}`;
}

/**
 * Where an object's ground-truth mesh goes.
 * @param id object id
 * @returns e.g. "meshes/object_03.glb"
 */
export function ObjectMeshPath(id: number): string {
    return `meshes/object_${String(id).padStart(2, "0")}.glb`;
}

/**
 * The three files of a frame.
 * @param index frame index
 * @returns image, label and depth paths relative to the capture folder
 */
export function FramePaths(index: number): { image: string; labels: string; depth: string } {
    const name = GeneratedFrameStem(index);
    return { image: `images/${name}.png`, labels: `labels/${name}.png`, depth: `depth/${name}.npy` };
}

/**
 * Rounds to a number of decimals (and turns -0 into 0), so files read cleanly and stay stable.
 * @param value the number
 * @param decimals decimals kept
 * @returns the rounded number
 */
export function RoundTo(value: number, decimals: number): number {
    const rounded = Number(value.toFixed(decimals));
    return rounded === 0 ? 0 : rounded;
}

/**
 * A flat row-major 4x4 as four rows, entries rounded to 7 decimals (float32 poses hold about 7 digits).
 * @param flat 16 numbers, row-major
 * @returns 4 rows of 4
 */
export function MatrixRows(flat: ArrayLike<number>): number[][] {
    return [0, 1, 2, 3].map((row) => [0, 1, 2, 3].map((col) => RoundTo(flat[row * 4 + col], 7)));
}

/**
 * The box the radiance field should model: around all the given boxes plus a margin, rounded
 * outwards to centimetres.
 * @param boxes the boxes (objects and the table top)
 * @param margin margin on every side, world units
 * @returns [[minX, minY, minZ], [maxX, maxY, maxZ]]
 */
export function EnclosingAabb(boxes: readonly WorldBox[], margin: number): [number[], number[]] {
    const min = [0, 1, 2].map((axis) => Math.min(...boxes.map((box) => box.min[axis])) - margin);
    const max = [0, 1, 2].map((axis) => Math.max(...boxes.map((box) => box.max[axis])) + margin);
    return [min.map((value) => RoundTo(Math.floor(value * 100) / 100, 2)), max.map((value) => RoundTo(Math.ceil(value * 100) / 100, 2))];
}

/**
 * Serialises transforms.json: two-space indentation, but each matrix row and colour on one line.
 * @param transforms the content
 * @returns the file's text (ends with a newline)
 */
export function StringifyTransforms(transforms: TransformsJson): string {
    const text = JSON.stringify(transforms, null, 2);
    // Collapse arrays of plain numbers (matrix rows, colours, aabb corners) onto one line.
    return text.replace(/\[\s*(-?[\d.e+-]+(?:,\s*-?[\d.e+-]+)*)\s*\]/g, (_, inner: string) => `[${inner.split(/,\s*/).join(", ")}]`) + "\n";
}

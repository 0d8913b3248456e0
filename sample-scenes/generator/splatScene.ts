// The sample scenes as Gaussian splats with each splat's true object label (splats.ply beside the
// capture): every view's depth is lifted to surface points, merged on a voxel grid whose cell is
// one pixel's footprint at the median depth, and each cell becomes one flat splat lying in the
// surface (its normal from the depth map), with the cell's mean colour and the label most of its
// pixels carry. The splats are small (sigma a third of the cell): 3DGS's rasteriser already
// spreads every splat over about half a pixel (its 0.3 px^2 dilation), and a trained scene's
// splats on a one-pixel wire are that thin too; larger ones would blur thin parts over their
// neighbours, which no trained scene does. Babylon-free: the generator runs it on the views it
// renders, tests on the files.
import type { CameraIntrinsics } from "../../plugin/core/capture/captureTypes";
import { DepthToWorldPoints } from "../../plugin/core/math/cameraProjection";
import { QuaternionTakingZTo, SplatRowBytes, WriteSplat } from "../../plugin/core/splats/splatCloud";
import type { SplatCloud } from "../../plugin/core/splats/splatCloud";

/** One rendered view of a sample scene. */
export interface LabelledDepthView {
    /** 16 numbers, capture layout. */
    readonly cameraToWorld: ArrayLike<number>;
    readonly intrinsics: CameraIntrinsics;
    /** width * height * 4 (alpha = coverage). */
    readonly rgba: ArrayLike<number>;
    /** Depth along the camera's -z, 0 = nothing. */
    readonly depth: ArrayLike<number>;
    /** Object id per pixel, 0 = table or nothing. */
    readonly labels: ArrayLike<number>;
}

/** A splat scene with the true label of each splat. */
export interface LabelledSplats {
    readonly cloud: SplatCloud;
    readonly labels: Uint8Array;
}

/** Splat sums of one voxel. */
interface Cell {
    position: [number, number, number];
    color: [number, number, number];
    normal: [number, number, number];
    votes: Map<number, number>;
    count: number;
}

/**
 * Builds labelled splats from rendered views; see the file comment.
 * @param views the views
 * @param name the splat cloud's name
 * @param cellPixels voxel side in pixel footprints at the median depth (1)
 * @param spread a splat's sigma in its surface, in cells (0.35)
 * @returns the splats and their labels
 */
export function SplatsFromDepthViews(views: readonly LabelledDepthView[], name: string, cellPixels = 1, spread = 0.35): LabelledSplats {
    const cell = cellPixels * MedianFootprint(views);
    const cells = new Map<number, Cell>();
    for (const view of views) {
        const points = DepthToWorldPoints(view.cameraToWorld, view.intrinsics, view.depth);
        const { width, height } = view.intrinsics;
        for (let y = 1; y < height - 1; y++) {
            for (let x = 1; x < width - 1; x++) {
                const p = y * width + x;
                if (!(view.depth[p] > 0) || view.rgba[p * 4 + 3] < 250) {
                    continue;
                }
                const normal = NormalAt(points, view, x, y);
                if (!normal) {
                    continue;
                }
                const position = [points[p * 3], points[p * 3 + 1], points[p * 3 + 2]];
                const key = (Math.floor(position[0] / cell) + 4096) * 67108864 + (Math.floor(position[1] / cell) + 4096) * 8192 + (Math.floor(position[2] / cell) + 4096);
                let sums = cells.get(key);
                if (!sums) {
                    sums = { position: [0, 0, 0], color: [0, 0, 0], normal: [0, 0, 0], votes: new Map(), count: 0 };
                    cells.set(key, sums);
                }
                const agrees = sums.normal[0] * normal[0] + sums.normal[1] * normal[1] + sums.normal[2] * normal[2] >= 0 ? 1 : -1;
                for (let a = 0; a < 3; a++) {
                    sums.position[a] += position[a];
                    sums.color[a] += view.rgba[p * 4 + a] / 255;
                    sums.normal[a] += agrees * normal[a];
                }
                sums.votes.set(view.labels[p], (sums.votes.get(view.labels[p]) ?? 0) + 1);
                sums.count++;
            }
        }
    }
    const rows = new ArrayBuffer(cells.size * SplatRowBytes);
    const labels = new Uint8Array(cells.size);
    let i = 0;
    for (const sums of cells.values()) {
        const n = Normalize(sums.normal);
        WriteSplat(rows, i, {
            position: sums.position.map((v) => v / sums.count) as [number, number, number],
            scale: [cell * spread, cell * spread, cell * spread * 0.1],
            rotation: QuaternionTakingZTo(n),
            color: sums.color.map((v) => v / sums.count) as [number, number, number],
            opacity: 0.95,
        });
        labels[i] = [...sums.votes.entries()].reduce((best, entry) => (entry[1] > best[1] ? entry : best))[0];
        i++;
    }
    return { cloud: { name, count: cells.size, rows, shDegree: 0 }, labels };
}

/** The median over views of depth / focal length (one pixel's footprint on the surface). */
function MedianFootprint(views: readonly LabelledDepthView[]): number {
    const footprints: number[] = [];
    for (const view of views) {
        for (let p = 0; p < view.depth.length; p += 7) {
            if (view.depth[p] > 0) {
                footprints.push(view.depth[p] / view.intrinsics.fx);
            }
        }
    }
    if (footprints.length === 0) {
        throw new Error("the views see nothing: no depth to build splats from");
    }
    footprints.sort((a, b) => a - b);
    return footprints[Math.floor(footprints.length / 2)];
}


/** The surface normal at a pixel from its neighbours' points, facing the camera; null across a depth edge. */
function NormalAt(points: Float32Array, view: LabelledDepthView, x: number, y: number): [number, number, number] | null {
    const w = view.intrinsics.width;
    const at = (px: number, py: number): number[] => [points[(py * w + px) * 3], points[(py * w + px) * 3 + 1], points[(py * w + px) * 3 + 2]];
    const [l, r, u, d, c] = [at(x - 1, y), at(x + 1, y), at(x, y - 1), at(x, y + 1), at(x, y)];
    if ([l, r, u, d].some((point) => Number.isNaN(point[0]))) {
        return null;
    }
    const dx = [r[0] - l[0], r[1] - l[1], r[2] - l[2]];
    const dy = [d[0] - u[0], d[1] - u[1], d[2] - u[2]];
    const depth = view.depth[y * w + x];
    // a depth edge: the neighbours lie much farther apart than a pixel's footprint
    if (Math.hypot(dx[0], dx[1], dx[2]) > (8 * depth) / view.intrinsics.fx || Math.hypot(dy[0], dy[1], dy[2]) > (8 * depth) / view.intrinsics.fy) {
        return null;
    }
    const n = Normalize([dx[1] * dy[2] - dx[2] * dy[1], dx[2] * dy[0] - dx[0] * dy[2], dx[0] * dy[1] - dx[1] * dy[0]]);
    const m = view.cameraToWorld;
    const toCamera = [m[3] - c[0], m[7] - c[1], m[11] - c[2]];
    return n[0] * toCamera[0] + n[1] * toCamera[1] + n[2] * toCamera[2] < 0 ? [-n[0], -n[1], -n[2]] : n;
}

function Normalize(v: readonly number[]): [number, number, number] {
    const length = Math.hypot(v[0], v[1], v[2]) || 1;
    return [v[0] / length, v[1] / length, v[2] / length];
}

/**
 * Mask choice across views: SAM gives three candidates per prompt (a part, the object, the object
 * with what it stands on) and its predicted IoU picks the wrong one in some views, confidently. The
 * other views know better: each view's candidate is chosen as the one that agrees most with what
 * the other views' chosen masks say about the same 3-D points. Babylon-free.
 *
 * How: every view's pixels (every `stride`-th in x and y) with a depth are lifted to world points
 * and binned in a vote grid over the candidates' extent (the 2nd to 98th percentile of the points
 * any candidate covers, per axis, widened by a quarter). Each grid cell counts the views' pixels
 * that land in it and how many of those their view's chosen mask covers. A candidate's agreement is
 * its soft IoU with the other views' consensus over its view's pixels (the cell's covered share
 * with the view's own votes taken out; cells no other view reaches are left out). Starting from
 * the top predicted IoU, the views in turn take their most agreeing candidate when it agrees better
 * than their current one by more than `margin`, moving their votes at once (one view at a time:
 * switching every view together let a whole object's views jump to the same wrong candidate), for
 * up to `rounds` passes or until no view switches.
 */
import type { CameraIntrinsics } from "../capture/captureTypes";
import { DepthToWorldPoints } from "../math/cameraProjection";

/** The long side (px) at which the pipeline renders each view's depth for the choice (RenderViewDepth's maxSide). */
export const CandidateChoiceDepthSide = 64;

/** One view's candidates and what places them in 3-D. */
export interface CandidateChoiceView {
    readonly cameraToWorld: ArrayLike<number>;
    /** Intrinsics of the depth's and the masks' size. */
    readonly intrinsics: CameraIntrinsics;
    /** Depth along the camera's -z per pixel, 0 where unknown. */
    readonly depth: ArrayLike<number>;
    /** The candidates: masks (> 0 inside) at the view's size, with their predicted IoU. */
    readonly candidates: readonly { readonly mask: ArrayLike<number>; readonly iou: number }[];
    /** The view keeps its top predicted IoU (the user prompted it by hand) but still votes. */
    readonly fixed?: boolean;
}

/** Options of {@link ChooseConsistentCandidates}. */
export interface CandidateChoiceOptions {
    /** Vote grid cells along the longest axis (default 48). */
    readonly gridResolution?: number;
    /** Most passes (default 4). */
    readonly rounds?: number;
    /** Pixel step in x and y (default 2). */
    readonly stride?: number;
    /** A view leaves its current candidate only for one that agrees better by more than this (default 0.02). */
    readonly margin?: number;
}

/** The choice per view. */
export interface CandidateChoice {
    /** Per view: the chosen candidate's index, -1 for a view without candidates. */
    readonly chosen: readonly number[];
    /** Per view: the chosen candidate's agreement with the other views (0 to 1; -1 without candidates or votes). */
    readonly agreement: readonly number[];
    /** Views whose choice differs from the top predicted IoU. */
    readonly changed: number;
}

/** One view's sampled pixels: their vote cells and their membership per candidate. */
interface SampledView {
    readonly cells: Int32Array;
    /** candidates x samples: 1 inside. */
    readonly inside: Uint8Array[];
    readonly ious: readonly number[];
    readonly fixed: boolean;
}

const TopIou = (ious: readonly number[]): number => ious.reduce((best, iou, k) => (iou > ious[best] ? k : best), 0);

/** World points (every stride-th pixel with a depth) of a view, with their pixel index. */
function SamplePoints(view: CandidateChoiceView, stride: number): { points: number[]; pixels: number[] } {
    const world = DepthToWorldPoints(view.cameraToWorld, view.intrinsics, view.depth);
    const { width, height } = view.intrinsics;
    const points: number[] = [];
    const pixels: number[] = [];
    for (let y = Math.floor(stride / 2); y < height; y += stride) {
        for (let x = Math.floor(stride / 2); x < width; x += stride) {
            const i = y * width + x;
            if (!Number.isNaN(world[i * 3])) {
                points.push(world[i * 3], world[i * 3 + 1], world[i * 3 + 2]);
                pixels.push(i);
            }
        }
    }
    return { points, pixels };
}

/** The vote grid's box: the covered points' 2nd-98th percentiles per axis, widened by a quarter. */
function GridBox(samples: readonly ({ points: number[]; pixels: number[] } | null)[], views: readonly (CandidateChoiceView | null)[]): { min: number[]; size: number[] } | null {
    const axes: number[][] = [[], [], []];
    samples.forEach((sample, v) => {
        const candidates = views[v]?.candidates ?? [];
        sample?.pixels.forEach((pixel, s) => {
            if (candidates.some((c) => c.mask[pixel] > 0)) {
                [0, 1, 2].forEach((a) => axes[a].push(sample.points[s * 3 + a]));
            }
        });
    });
    if (axes[0].length === 0) {
        return null;
    }
    const min: number[] = [];
    const size: number[] = [];
    for (const values of axes) {
        values.sort((a, b) => a - b);
        const lo = values[Math.floor(0.02 * (values.length - 1))];
        const hi = values[Math.ceil(0.98 * (values.length - 1))];
        const pad = 0.25 * Math.max(hi - lo, 1e-6);
        min.push(lo - pad);
        size.push(hi - lo + 2 * pad);
    }
    return { min, size };
}

/**
 * Chooses each view's candidate by its agreement with the other views (see the module's notes).
 * @param views per view its candidates, pose and depth; null for a view without candidates
 * @param options grid size, passes, pixel step
 * @returns the chosen candidate per view and its agreement
 */
export function ChooseConsistentCandidates(views: readonly (CandidateChoiceView | null)[], options: CandidateChoiceOptions = {}): CandidateChoice {
    const stride = Math.max(1, Math.round(options.stride ?? 2));
    const top = views.map((view) => (view && view.candidates.length > 0 ? TopIou(view.candidates.map((c) => c.iou)) : -1));
    const raw = views.map((view) => (view && view.candidates.length > 0 ? SamplePoints(view, stride) : null));
    const box = GridBox(raw, views);
    if (!box) {
        return { chosen: top, agreement: top.map(() => -1), changed: 0 };
    }
    const resolution = Math.max(4, Math.round(options.gridResolution ?? 48));
    const cell = Math.max(...box.size) / resolution;
    const dims = box.size.map((s) => Math.max(1, Math.ceil(s / cell)));
    const sampled: (SampledView | null)[] = raw.map((sample, v) => {
        if (!sample) {
            return null;
        }
        const cells = new Int32Array(sample.pixels.length);
        for (let s = 0; s < cells.length; s++) {
            const c = [0, 1, 2].map((a) => Math.floor((sample.points[s * 3 + a] - box.min[a]) / cell));
            cells[s] = c.every((value, a) => value >= 0 && value < dims[a]) ? (c[2] * dims[1] + c[1]) * dims[0] + c[0] : -1;
        }
        const candidates = views[v]!.candidates;
        return { cells, inside: candidates.map((c) => Uint8Array.from(sample.pixels, (pixel) => (c.mask[pixel] > 0 ? 1 : 0))), ious: candidates.map((c) => c.iou), fixed: views[v]!.fixed ?? false };
    });
    const cellCount = dims[0] * dims[1] * dims[2];
    const all = new Float32Array(cellCount);
    const covered = new Float32Array(cellCount);
    const ownAll = new Float32Array(cellCount);
    const ownCovered = new Float32Array(cellCount);
    const chosen = [...top];
    const agreement = views.map(() => -1);
    const margin = options.margin ?? 0.02;
    // every view's votes for its current choice; a view that switches moves its own votes at once
    sampled.forEach((view, v) => view?.cells.forEach((c, s) => c >= 0 && ((all[c] += 1), (covered[c] += view.inside[chosen[v]][s]))));
    for (let round = 0; round < (options.rounds ?? 4); round++) {
        let switched = 0;
        sampled.forEach((view, v) => {
            if (!view) {
                return;
            }
            view.cells.forEach((c, s) => c >= 0 && ((ownAll[c] += 1), (ownCovered[c] += view.inside[chosen[v]][s])));
            const scores = view.inside.map((inside) => {
                let intersection = 0;
                let union = 0;
                view.cells.forEach((c, s) => {
                    const others = c >= 0 ? all[c] - ownAll[c] : 0;
                    if (others > 0) {
                        const p = (covered[c] - ownCovered[c]) / others;
                        intersection += inside[s] * p;
                        union += inside[s] + p - inside[s] * p;
                    }
                });
                return union > 0 ? intersection / union : 0;
            });
            const current = chosen[v];
            let best = current;
            if (!view.fixed) {
                scores.forEach((score, k) => (best = score > scores[best] + margin && (best === current || score > scores[best]) ? k : best));
            }
            view.cells.forEach((c) => c >= 0 && ((ownAll[c] = 0), (ownCovered[c] = 0)));
            if (best !== current) {
                view.cells.forEach((c, s) => c >= 0 && (covered[c] += view.inside[best][s] - view.inside[current][s]));
                chosen[v] = best;
                switched++;
            }
            agreement[v] = scores[best];
        });
        if (switched === 0) {
            break;
        }
    }
    return { chosen, agreement, changed: chosen.filter((k, v) => k !== top[v]).length };
}

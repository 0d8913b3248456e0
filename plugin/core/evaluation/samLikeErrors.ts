/**
 * The SAM-like error model's plan: the errors a real SAM makes on an object, decided once per
 * object in 3-D, so that every view shows the same mistake (see samLikeMasks for how the plan is
 * projected into the views). Per object, seeded:
 * - a **leak**: a ball on the neighbouring surface the object touches whose colour is closest to
 *   the object's (another object, or the table it stands on); every view's mask takes what of the
 *   neighbour lies in the ball;
 * - a **missed thin part**: the object's thinnest protruding part (among its surface points farther
 *   than half its radius from its centre, the one whose surrounding surface is the most line-like)
 *   is dropped from every view; only where that surface is clearly a line (a stem, a wire, a
 *   handle), so a sphere or a box loses nothing;
 * - a **part plane** through the object's centre: the "part" candidate is the object's side of it,
 *   the same side in every view;
 * - a **support ball**: the "whole with its support" candidate adds the background surface within
 *   `supportRadius` object radii of the centre (the table under a mug).
 * An object's radius is the 90th percentile of its surface points' distances to their centroid.
 * Babylon-free.
 */
import type { RgbaImage } from "../image/rgbaImage";
import { SeededRandom } from "../math/seededRandom";

/** The SAM-like model's parameters (radii as shares of the object's radius). */
export interface SamLikeErrorParams {
    readonly seed: number;
    /** Radius of the leak ball on the neighbour. */
    readonly leakRadius: number;
    /** Radius of the missed thin part's ball. */
    readonly missedRadius: number;
    /** Radius around the centre within which the background joins the "whole with support" candidate. */
    readonly supportRadius: number;
    /** Share of (view, object) pairs where a wrong candidate (the part, or the whole with its support) gets the top predicted IoU. */
    readonly flipViews: number;
    /** Band (px) either side of a mask's boundary within which pixels go to the side of the closer colour. */
    readonly snapBand: number;
    /** Share of views without masks (the prompt was not propagated there). */
    readonly missingViews: number;
    /** Mean predicted IoU of the top candidate. */
    readonly scoreMean: number;
    /** How much the predicted IoU follows the true IoU (0: not at all). */
    readonly scoreSlope: number;
    /** Standard deviation of the predicted IoU's error. */
    readonly scoreNoise: number;
}

/** The benchmarks' SAM-like errors. */
export const DefaultSamLikeErrors: SamLikeErrorParams = { seed: 1, leakRadius: 0.3, missedRadius: 0.25, supportRadius: 1.5, flipViews: 0.15, snapBand: 2, missingViews: 0.05, scoreMean: 0.93, scoreSlope: 0.1, scoreNoise: 0.03 };

/** A ball in the capture's world. */
export interface WorldBall {
    readonly centre: readonly [number, number, number];
    readonly radius: number;
}

/** One view's geometry and truth, what the model reads. */
export interface SamLikeViewGeometry {
    /** Truth labels (0 background, k object k). */
    readonly labels: Uint8Array;
    /** World point per pixel (x, y, z), NaN without depth. */
    readonly points: Float32Array;
    readonly image: RgbaImage;
}

/** One object's planned errors. */
export interface SamLikeObjectPlan {
    readonly object: number;
    readonly centre: readonly [number, number, number];
    readonly radius: number;
    /** The neighbour's ball taken into the mask, and the neighbour's label (0: the background). */
    readonly leak: (WorldBall & { readonly neighbour: number }) | null;
    /** The thin part dropped from the mask. */
    readonly missed: WorldBall | null;
    /** The "part" candidate keeps the object's points p with (p - centre) . partNormal > 0. */
    readonly partNormal: readonly [number, number, number];
    /** The support ball of the "whole with support" candidate. */
    readonly support: WorldBall;
}

/** A sampled surface point: position, colour, label. */
interface SurfaceSample {
    readonly p: readonly [number, number, number];
    readonly rgb: readonly [number, number, number];
    readonly label: number;
}

/** Up to `limit` pixels with a world point whose label passes `keep`, spread over every view. */
function SampleSurface(views: readonly SamLikeViewGeometry[], keep: (label: number) => boolean, limit: number, random: () => number): SurfaceSample[] {
    let total = 0;
    views.forEach((view) => view.labels.forEach((label, i) => (total += keep(label) && !Number.isNaN(view.points[i * 3]) ? 1 : 0)));
    const share = Math.min(1, limit / Math.max(1, total));
    const samples: SurfaceSample[] = [];
    for (const view of views) {
        view.labels.forEach((label, i) => {
            if (keep(label) && !Number.isNaN(view.points[i * 3]) && random() < share) {
                const d = view.image.data;
                samples.push({ p: [view.points[i * 3], view.points[i * 3 + 1], view.points[i * 3 + 2]], rgb: [d[i * 4], d[i * 4 + 1], d[i * 4 + 2]], label });
            }
        });
    }
    return samples;
}

const Distance = (a: readonly number[], b: readonly number[]): number => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/**
 * How line-like the points are: the square root of the second-largest over the largest eigenvalue
 * of their covariance (0 for points along a line, 1 for a disc or a blob).
 */
function Flatness(points: readonly (readonly number[])[]): number {
    const mean = [0, 1, 2].map((a) => points.reduce((sum, p) => sum + p[a], 0) / points.length);
    const c = [0, 0, 0, 0, 0, 0, 0, 0, 0];
    for (const p of points) {
        for (let i = 0; i < 3; i++) {
            for (let j = 0; j < 3; j++) {
                c[i * 3 + j] += (p[i] - mean[i]) * (p[j] - mean[j]);
            }
        }
    }
    const multiply = (v: number[]): number[] => [0, 1, 2].map((i) => c[i * 3] * v[0] + c[i * 3 + 1] * v[1] + c[i * 3 + 2] * v[2]);
    const power = (start: number[], deflate: number[] | null): { value: number; vector: number[] } => {
        let v = start;
        let value = 0;
        for (let k = 0; k < 50; k++) {
            let w = multiply(v);
            if (deflate) {
                const d = w[0] * deflate[0] + w[1] * deflate[1] + w[2] * deflate[2];
                w = w.map((x, i) => x - d * deflate[i]);
            }
            value = Math.hypot(w[0], w[1], w[2]);
            if (value === 0) {
                break;
            }
            v = w.map((x) => x / value);
        }
        return { value, vector: v };
    };
    const first = power([0.577, 0.577, 0.577], null);
    const seed = Math.abs(first.vector[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
    const along = seed[0] * first.vector[0] + seed[1] * first.vector[1] + seed[2] * first.vector[2];
    const second = power(seed.map((x, i) => x - along * first.vector[i]), first.vector);
    return first.value > 0 ? Math.sqrt(second.value / first.value) : 1;
}

/**
 * The object's thinnest protruding part: among its surface points farther than half its radius
 * from its centre, the one whose surrounding surface (within `missedRadius` radii) is the most
 * line-like; only when that surface is clearly a line (flatness below 0.3: a stem, a wire, a
 * handle), else null: a sphere or a box has no thin part to drop.
 */
function ThinPart(samples: readonly SurfaceSample[], centre: readonly number[], radius: number, params: SamLikeErrorParams, random: () => number): WorldBall | null {
    const outer = samples.filter((s) => Distance(s.p, centre) > 0.5 * radius);
    const probes = outer.length <= 200 ? outer : Array.from({ length: 200 }, () => outer[Math.floor(random() * outer.length)]);
    const reach = params.missedRadius * radius;
    let best: { flatness: number; centre: readonly number[] } | null = null;
    for (const probe of probes) {
        const around = samples.filter((s) => Distance(s.p, probe.p) < reach).map((s) => s.p);
        const flatness = around.length >= 12 ? Flatness(around) : 1;
        if (!best || flatness < best.flatness) {
            best = { flatness, centre: probe.p };
        }
    }
    return best && best.flatness < 0.3 ? { centre: [...best.centre] as [number, number, number], radius: reach } : null;
}

/** A ball on the touching neighbour closest in colour to the object, or null when nothing touches it. */
function Leak(object: readonly SurfaceSample[], others: readonly SurfaceSample[], centre: readonly number[], radius: number, params: SamLikeErrorParams, random: () => number): SamLikeObjectPlan["leak"] {
    const mean = [0, 1, 2].map((c) => object.reduce((sum, s) => sum + s.rgb[c], 0) / object.length);
    const near = others.filter((s) => Distance(s.p, centre) < 1.3 * radius);
    const probe = object.length <= 1500 ? object : Array.from({ length: 1500 }, () => object[Math.floor(random() * object.length)]);
    const touching = near.filter((s) => probe.some((o) => Distance(o.p, s.p) < 0.1 * radius));
    if (touching.length === 0) {
        return null;
    }
    const colourGap = (s: SurfaceSample): number => Math.hypot(s.rgb[0] - mean[0], s.rgb[1] - mean[1], s.rgb[2] - mean[2]);
    const closest = [...touching].sort((a, b) => colourGap(a) - colourGap(b)).slice(0, 5);
    const pick = closest[Math.floor(random() * closest.length)];
    return { centre: [...pick.p] as [number, number, number], radius: params.leakRadius * radius, neighbour: pick.label };
}

/**
 * Plans each object's errors from the views' truth and geometry.
 * @param views every view's labels, world points and image
 * @param objects the objects' labels
 * @param params the model's parameters
 * @returns one plan per object that some view sees (objects without any surface point are left out)
 */
export function PlanSamLikeErrors(views: readonly SamLikeViewGeometry[], objects: readonly number[], params: SamLikeErrorParams = DefaultSamLikeErrors): SamLikeObjectPlan[] {
    const plans: SamLikeObjectPlan[] = [];
    for (const object of objects) {
        const random = SeededRandom((params.seed * 7919 + object * 104729) >>> 0);
        const samples = SampleSurface(views, (label) => label === object, 4000, random);
        if (samples.length === 0) {
            continue;
        }
        const centre = [0, 1, 2].map((a) => samples.reduce((sum, s) => sum + s.p[a], 0) / samples.length) as [number, number, number];
        const distances = samples.map((s) => Distance(s.p, centre)).sort((a, b) => a - b);
        const radius = Math.max(1e-6, distances[Math.floor(0.9 * (distances.length - 1))]);
        const others = SampleSurface(views, (label) => label !== object, 20000, random);
        const theta = 2 * Math.PI * random();
        const z = 2 * random() - 1;
        const partNormal: [number, number, number] = [Math.sqrt(1 - z * z) * Math.cos(theta), Math.sqrt(1 - z * z) * Math.sin(theta), z];
        plans.push({
            object,
            centre,
            radius,
            leak: Leak(samples, others, centre, radius, params, random),
            missed: ThinPart(samples, centre, radius, params, random),
            partNormal,
            support: { centre, radius: params.supportRadius * radius },
        });
    }
    return plans;
}

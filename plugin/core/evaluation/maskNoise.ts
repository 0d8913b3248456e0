/**
 * The noise model for benchmarking fusion without real SAM: a deterministic, seeded corruption of
 * ground-truth masks with the errors SAM makes across views. Per view and object (in this order):
 * - boundary jitter: dilate or erode by r pixels, r uniform in [-boundaryJitter, boundaryJitter];
 * - holes: `holes` discs of radius up to `holeRadius` px, centred on object pixels, cleared;
 * - false positives: `falsePositives` discs of radius up to `blobRadius` px, centred off the object, set;
 * then per view: with probability `wrongViews` the whole mask is wrong (shifted by a quarter of the
 * image, or, with several objects, two labels swapped), and with probability `missingViews` the
 * view has no mask (weight 0). Every other view gets a simulated predicted IoU as its weight, the
 * way SAM scores its masks: `scoreFloor + (1 - scoreFloor) * trueIou + N(0, scoreNoise)` clamped to
 * [scoreFloor / 2, 1], where trueIou is the corrupted mask's mean IoU against the truth over the
 * view's objects. SAM's scores sit in a compressed range (0.6 to 1 in practice) and are confidently
 * wrong at times; the floor keeps a wrong view's weight well above zero. Babylon-free.
 */
import { PcgHash, Random01 } from "../../../shaders/nerf/fieldMath";
import { MaskIou } from "./maskMetrics";

/** Noise parameters (pixels at the mask's resolution). */
export interface MaskNoiseParams {
    readonly seed: number;
    readonly boundaryJitter: number;
    readonly holes: number;
    readonly holeRadius: number;
    readonly falsePositives: number;
    readonly blobRadius: number;
    readonly wrongViews: number;
    readonly missingViews: number;
    /** Lowest simulated predicted IoU of a mask that is entirely wrong. */
    readonly scoreFloor: number;
    /** Standard deviation of the simulated predicted IoU's error. */
    readonly scoreNoise: number;
}

/** The default noise of the benchmarks (for 128 to 200 px views). */
export const DefaultMaskNoise: MaskNoiseParams = { seed: 1, boundaryJitter: 2, holes: 2, holeRadius: 3, falsePositives: 1, blobRadius: 4, wrongViews: 0.08, missingViews: 0.08, scoreFloor: 0.6, scoreNoise: 0.03 };

/** One corrupted view. */
export interface NoisyMask {
    readonly labels: Uint8Array;
    /** 0 when the view's mask went missing, else its simulated predicted IoU (see the module's notes). */
    readonly weight: number;
    /** What happened to the view as a whole. */
    readonly fate: "kept" | "wrong" | "missing";
}

/**
 * Corrupts one view's ground-truth labels.
 * @param truth labels per pixel (0 background, k object k)
 * @param width image width
 * @param height image height
 * @param view view index (mixed into the seed)
 * @param params noise parameters
 * @returns the noisy labels and the view's weight (simulated predicted IoU)
 */
export function CorruptMask(truth: Uint8Array, width: number, height: number, view: number, params: MaskNoiseParams = DefaultMaskNoise): NoisyMask {
    let draws = 0;
    const base = PcgHash((params.seed * 0x9e3779b1 + view * 0x85ebca77) >>> 0);
    const random = (): number => Random01(base, draws++);
    const objects = [...new Set(truth)].filter((label) => label > 0).sort((a, b) => a - b);
    const labels = new Uint8Array(truth.length);
    for (const object of objects) {
        let mask: Uint8Array = Uint8Array.from(truth, (label) => (label === object ? 1 : 0));
        const radius = Math.round((random() * 2 - 1) * params.boundaryJitter);
        mask = radius > 0 ? Morph(mask, width, height, radius, true) : radius < 0 ? Morph(mask, width, height, -radius, false) : mask;
        for (let h = 0; h < params.holes; h++) {
            const centre = RandomPixel(mask, 1, random);
            if (centre >= 0) {
                Disc(mask, width, height, centre, 1 + random() * (params.holeRadius - 1), 0);
            }
        }
        for (let b = 0; b < params.falsePositives; b++) {
            const centre = RandomPixel(mask, 0, random);
            if (centre >= 0) {
                Disc(mask, width, height, centre, 1 + random() * (params.blobRadius - 1), 1);
            }
        }
        mask.forEach((value, i) => value && (labels[i] = object));
    }
    const fate = random();
    if (fate < params.missingViews) {
        return { labels, weight: 0, fate: "missing" };
    }
    // the score's noise is drawn before the view's fate, so a view's score stays put when only its fate differs
    const scoreError = Gaussian(random) * params.scoreNoise;
    const scored = (result: Uint8Array, viewFate: NoisyMask["fate"]): NoisyMask => {
        const trueIou = objects.length === 0 ? 1 : objects.reduce((sum, object) => sum + MaskIou(result, truth, object), 0) / objects.length;
        const weight = Math.min(1, Math.max(params.scoreFloor / 2, params.scoreFloor + (1 - params.scoreFloor) * trueIou + scoreError));
        return { labels: result, weight, fate: viewFate };
    };
    if (fate < params.missingViews + params.wrongViews && objects.length > 0) {
        if (objects.length > 1) {
            const a = objects[Math.floor(random() * objects.length)];
            const b = objects.filter((o) => o !== a)[Math.floor(random() * (objects.length - 1))];
            return scored(labels.map((label) => (label === a ? b : label === b ? a : label)), "wrong");
        }
        const dx = Math.round(width / 4);
        return scored(labels.map((_, i) => ((i % width) - dx >= 0 ? labels[i - dx] : 0)), "wrong");
    }
    return scored(labels, "kept");
}

/**
 * A standard normal draw (Box-Muller) from two uniform draws.
 * @param random uniform draws in [0, 1)
 * @returns the draw
 */
export function Gaussian(random: () => number): number {
    const u = Math.max(1e-12, random());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** A uniformly drawn pixel whose mask value is `value`, or -1 when there is none. */
function RandomPixel(mask: Uint8Array, value: number, random: () => number): number {
    let count = 0;
    mask.forEach((v) => (count += v === value ? 1 : 0));
    if (count === 0) {
        return -1;
    }
    let pick = Math.floor(random() * count);
    for (let i = 0; i < mask.length; i++) {
        if (mask[i] === value && pick-- === 0) {
            return i;
        }
    }
    return -1;
}

/** Sets a disc of a mask to `value`. */
function Disc(mask: Uint8Array, width: number, height: number, centre: number, radius: number, value: number): void {
    const cx = centre % width;
    const cy = Math.floor(centre / width);
    const r = Math.ceil(radius);
    for (let y = Math.max(0, cy - r); y <= Math.min(height - 1, cy + r); y++) {
        for (let x = Math.max(0, cx - r); x <= Math.min(width - 1, cx + r); x++) {
            if ((x - cx) ** 2 + (y - cy) ** 2 <= radius * radius) {
                mask[y * width + x] = value;
            }
        }
    }
}

/** Dilation (grow) or erosion with a disc of radius r. */
function Morph(mask: Uint8Array, width: number, height: number, r: number, grow: boolean): Uint8Array {
    const out = new Uint8Array(mask.length);
    const target = grow ? 1 : 0;
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            let hit = false;
            for (let dy = -r; dy <= r && !hit; dy++) {
                for (let dx = -r; dx <= r && !hit; dx++) {
                    const xx = x + dx;
                    const yy = y + dy;
                    if (dx * dx + dy * dy <= r * r && xx >= 0 && yy >= 0 && xx < width && yy < height) {
                        hit = mask[yy * width + xx] === target;
                    }
                }
            }
            out[y * width + x] = grow ? (hit ? 1 : 0) : hit ? 0 : 1;
        }
    }
    return out;
}

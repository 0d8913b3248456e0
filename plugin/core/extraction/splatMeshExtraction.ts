/**
 * A triangle mesh from an object's Gaussian splats: the splats' opacity field sampled on a grid,
 * its iso-surface taken with the same surface code as a radiance field's objects (hollows no
 * straight line of clear space reaches filled, surface nets, small pieces dropped, colours,
 * budgets). Babylon-free (runs in the extraction worker).
 *
 * The opacity field: each splat i is a Gaussian G_i with its covariance R S² Rᵀ and its opacity
 * α_i, as the rasteriser blends it; the field at a point is 1 - Π_i (1 - α_i G_i(p)), the share of
 * light the splats around the point stop, and the surface is where that reaches `surfaceOpacity`.
 * A grid samples this field only at its points, so a splat thinner than the grid spacing h (the
 * flat discs 3DGS trains on surfaces) could fall between them: each covariance is widened by
 * (h/2)² on every axis first, the 3-D analogue of the 0.3-pixel dilation 3DGS's rasteriser gives
 * every splat, keeping its opacity. A surface of opaque splats then becomes a shell about one
 * spacing thick, whose inner sheet the hollow filling removes (gaps between a shell's splats,
 * where less than ShellOpacity of the light is stopped, do not count as openings).
 * Colours: the splats' base colours (SH DC) averaged with the same weights α_i G_i, read half a
 * spacing inside the surface.
 */
import { DropSmallPieces } from "../geometry/meshPieces";
import { SampleGrid, SurfaceNets, type ScalarGrid } from "../geometry/surfaceNets";
import { ReadSplat, type SplatCloud } from "../splats/splatCloud";
import { FillUnseenHollows } from "./cavityFill";
import { FinishExtractedMesh, type ExtractedMesh, type SurfaceGridOptions } from "./extractedMesh";

/** Settings of a splat extraction (grid and budgets as a radiance field's objects'; the grid no finer than the splats). */
export interface SplatExtractionOptions extends SurfaceGridOptions {
    /** The surface: where the splats stop this share of light (default 0.5). */
    readonly surfaceOpacity: number;
    /**
     * The scene's up direction in the splats' coordinates, when known (a capture's cameras, or the
     * splat mesh's placement in a scene): hollows are then looked for only along lines that do not
     * point down, so an object whose splats are open where it stood on its support (no view saw
     * under it) is filled there too. Null (default): lines in every direction; such an object then
     * keeps its inner wall (a closed shell about one spacing thick).
     */
    readonly up: readonly [number, number, number] | null;
}

/** Default splat extraction settings (budgets as for radiance-field objects). */
export const DefaultSplatExtractionOptions: SplatExtractionOptions = { resolution: 128, triangleBudget: 60000, collisionBudget: 400, minPieceFraction: 0.25, surfaceOpacity: 0.5, up: null };

/** Splats stopping less light than this (at their centre) are left out. */
const MinOpacity = 1 / 255;
/**
 * Hollows are looked for behind this opacity (below the surface's): light passing between the
 * splats of a sparsely covered shell does not make its inside seen.
 */
const ShellOpacity = 0.1;
/** A splat's Gaussian is evaluated out to this many (widened) standard deviations. */
const Reach = 3;
/** One splat stops at most this share of light at a point (keeps -log finite). */
const MaxPointOpacity = 0.999;
/** The share of splats (per axis, at each end) allowed outside the grid when far from the rest. */
const OutlierShare = 0.005;

/**
 * Extracts a triangle mesh from splats (an object's, after labelling).
 * @param cloud the splats, the file's coordinates
 * @param options resolution, surface level and budgets
 * @returns render and collision meshes in the splats' coordinates (no support cut: stats.support null)
 * @throws Error naming the cloud when it has no splats, or no surface at the level
 */
export function ExtractSplatMesh(cloud: SplatCloud, options: Partial<SplatExtractionOptions> = {}): ExtractedMesh {
    const started = performance.now();
    const o: SplatExtractionOptions = { ...DefaultSplatExtractionOptions, ...options };
    const splats = Array.from({ length: cloud.count }, (_, i) => ReadSplat(cloud, i)).filter((s) => s.opacity >= MinOpacity && s.position.every(Number.isFinite));
    if (splats.length === 0) {
        throw new Error(`${cloud.name}: no splats to extract a mesh from`);
    }
    const [lo, hi] = ContentBox(splats.map((s) => s.position));
    const extent = [0, 1, 2].map((a) => Math.max(hi[a] - lo[a], 1e-6));
    // no finer than the typical splat: a surface of splats holds no detail below their size, and a
    // finer grid resolves the gaps between them (holes that let the hollow filling see inside)
    const typicalScale = MedianLargestScale(splats);
    const spacing = Math.max(Math.max(...extent) / (o.resolution - 1), typicalScale);
    // room for the splats' reach past the outermost centres, and one empty layer so that the surface closes
    const margin = Math.ceil(Reach * Math.max(typicalScale, spacing / 2) / spacing) + 1;
    const size = extent.map((e) => Math.ceil(e / spacing) + 1 + 2 * margin) as [number, number, number];
    const boundsMin = [0, 1, 2].map((a) => lo[a] - margin * spacing) as [number, number, number];
    const opticalDepth = new Float32Array(size[0] * size[1] * size[2]);
    const colorSums = [0, 1, 2].map(() => new Float32Array(opticalDepth.length));
    const weights = new Float32Array(opticalDepth.length);
    const widen = (spacing / 2) ** 2;
    for (const splat of splats) {
        const inverse = InverseCovariance(splat.rotation, splat.scale, widen);
        const radius = [0, 1, 2].map((a) => Reach * Math.sqrt(inverse.variance[a]));
        const first = [0, 1, 2].map((a) => Math.max(0, Math.ceil((splat.position[a] - radius[a] - boundsMin[a]) / spacing)));
        const last = [0, 1, 2].map((a) => Math.min(size[a] - 1, Math.floor((splat.position[a] + radius[a] - boundsMin[a]) / spacing)));
        const m = inverse.matrix;
        for (let k = first[2]; k <= last[2]; k++) {
            const dz = boundsMin[2] + k * spacing - splat.position[2];
            for (let j = first[1]; j <= last[1]; j++) {
                const dy = boundsMin[1] + j * spacing - splat.position[1];
                for (let i = first[0]; i <= last[0]; i++) {
                    const dx = boundsMin[0] + i * spacing - splat.position[0];
                    const power = m[0] * dx * dx + m[3] * dy * dy + m[5] * dz * dz + 2 * (m[1] * dx * dy + m[2] * dx * dz + m[4] * dy * dz);
                    const alpha = Math.min(MaxPointOpacity, splat.opacity * Math.exp(-0.5 * power));
                    if (alpha < MinOpacity) {
                        continue;
                    }
                    const index = i + size[0] * (j + size[1] * k);
                    opticalDepth[index] -= Math.log(1 - alpha);
                    weights[index] += alpha;
                    colorSums[0][index] += alpha * splat.color[0];
                    colorSums[1][index] += alpha * splat.color[1];
                    colorSums[2][index] += alpha * splat.color[2];
                }
            }
        }
    }
    const grid: ScalarGrid = { size, boundsMin, spacing: [spacing, spacing, spacing], values: opticalDepth };
    const iso = -Math.log(1 - o.surfaceOpacity);
    // the inside of a closed shell of splats is no view's business: solid, so only the outer sheet remains
    FillUnseenHollows(grid, Math.min(iso, -Math.log(1 - ShellOpacity)), iso, 1e6, o.up ?? undefined);
    const raw = DropSmallPieces(SurfaceNets(grid, iso), o.minPieceFraction);
    if (raw.indices.length === 0) {
        throw new Error(`${cloud.name}: its splats never stop ${Math.round(o.surfaceOpacity * 100)}% of the light anywhere: no surface to extract`);
    }
    const gridOf = (values: Float32Array): ScalarGrid => ({ ...grid, values });
    const [red, green, blue, weight] = [...colorSums, weights].map(gridOf);
    const colorAt = (p: readonly number[]): number[] => {
        const w = SampleGrid(weight, p);
        return w > 1e-6 ? [SampleGrid(red, p) / w, SampleGrid(green, p) / w, SampleGrid(blue, p) / w] : NearestColor(splats, p);
    };
    return FinishExtractedMesh(raw, colorAt, spacing / 2, o, { resolution: size, started, support: null });
}

/**
 * The box the grid covers: the splats' centres, except where a few (OutlierShare at each end of an
 * axis) lie far out from the rest (stray splats a label took along), which would leave the object
 * a few grid points wide. Those are left out when the full range is more than twice the rest's.
 */
function ContentBox(centres: readonly (readonly number[])[]): [number[], number[]] {
    const lo = [0, 0, 0];
    const hi = [0, 0, 0];
    for (let a = 0; a < 3; a++) {
        const sorted = Float64Array.from(centres, (c) => c[a]).sort();
        const n = sorted.length;
        const [min, max] = [sorted[0], sorted[n - 1]];
        const [low, high] = [sorted[Math.floor(OutlierShare * (n - 1))], sorted[Math.ceil((1 - OutlierShare) * (n - 1))]];
        const core = high - low;
        const far = max - min > 2 * core && core > 0;
        lo[a] = far ? Math.max(min, low - core / 2) : min;
        hi[a] = far ? Math.min(max, high + core / 2) : max;
    }
    return [lo, hi];
}

/** The median over splats of each one's largest scale. */
function MedianLargestScale(splats: readonly { readonly scale: readonly number[] }[]): number {
    const largest = Float64Array.from(splats, (s) => Math.max(...s.scale.map(Math.abs))).sort();
    return largest[Math.floor(largest.length / 2)];
}

/**
 * The inverse of a splat's covariance R diag(scale²) Rᵀ + widen·I (upper triangle xx, xy, xz, yy,
 * yz, zz) and that covariance's diagonal (each axis's variance, for the evaluation box).
 */
function InverseCovariance(q: readonly number[], scale: readonly number[], widen: number): { matrix: number[]; variance: number[] } {
    const [w, x, y, z] = q;
    const r = [
        [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
        [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
        [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
    ];
    const s2 = scale.map((s) => s * s);
    const c = (a: number, b: number): number => r[a][0] * r[b][0] * s2[0] + r[a][1] * r[b][1] * s2[1] + r[a][2] * r[b][2] * s2[2] + (a === b ? widen : 0);
    const [xx, xy, xz, yy, yz, zz] = [c(0, 0), c(0, 1), c(0, 2), c(1, 1), c(1, 2), c(2, 2)];
    const cofactors = [yy * zz - yz * yz, xz * yz - xy * zz, xy * yz - xz * yy, xx * zz - xz * xz, xy * xz - xx * yz, xx * yy - xy * xy];
    const determinant = xx * cofactors[0] + xy * cofactors[1] + xz * cofactors[2];
    return { matrix: cofactors.map((v) => v / determinant), variance: [xx, yy, zz] };
}

/** The colour of the splat whose centre is nearest (where no splat's weight reaches a surface vertex). */
function NearestColor(splats: readonly { readonly position: readonly number[]; readonly color: readonly number[] }[], p: readonly number[]): number[] {
    let best = splats[0];
    let bestDistance = Infinity;
    for (const splat of splats) {
        const d = (splat.position[0] - p[0]) ** 2 + (splat.position[1] - p[1]) ** 2 + (splat.position[2] - p[2]) ** 2;
        if (d < bestDistance) {
            bestDistance = d;
            best = splat;
        }
    }
    return [...best.color];
}

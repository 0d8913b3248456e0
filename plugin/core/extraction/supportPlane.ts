/**
 * The surface an object stands on. Views never see under an object, so the object field cannot
 * tell the object's hidden underside from the hidden part of the table below it: both get the
 * object's label, and an extracted mesh would carry a slab of table under its footprint. The
 * table around the foot is seen, though: columns dropped along -up through a ring around the
 * object's footprint meet the scene's first surface there (at the depth a view from 45 degrees
 * above would see it), and a plane fitted to those hits (seeded RANSAC, then least squares on its
 * inliers) is the support. Extraction cuts the object there.
 * Babylon-free (runs in the extraction worker).
 */
import { SeededRandom } from "../math/seededRandom";

type Vec3 = [number, number, number];

/** What the search needs. */
export interface SupportSearch {
    /** Density of the whole scene (not masked by the object) at a capture point. */
    readonly sceneDensity: (point: ArrayLike<number>) => number;
    /** The surface level (density). */
    readonly iso: number;
    /** The object's points (x, y, z per point): where its masked density exceeds the surface level. */
    readonly objectPoints: Float32Array;
    /** The capture's up direction (need not be unit length). */
    readonly up: ArrayLike<number>;
    /** The radiance field's grid spacing: the footprint raster is half of it, the inlier tolerance one of it. */
    readonly radianceSpacing: number;
}

/** A support plane: points p with dot(normal, p) < offset lie below it. */
export interface SupportPlane {
    /** Unit normal, on the object's side (within 30 degrees of up). */
    readonly normal: Vec3;
    /** dot(normal, p) on the plane. */
    readonly offset: number;
    /** Ring columns dropped, those that met a surface, and those hits within tolerance of the plane. */
    readonly columns: number;
    readonly hits: number;
    readonly inliers: number;
    /**
     * How far above the plane the scene's density first reaches the surface level, median over the
     * inlier columns: the soft top of the support, where the table's own density still counts as
     * solid. Extraction rebuilds the object's foot across it.
     */
    readonly rise: number;
}

/** Fewest ring columns for a fit; fewer (a tiny object) gives no support. */
const MinColumns = 12;
/** Most ring columns dropped. */
const MaxColumns = 3000;
/** Most tilt of a support from up (a table, not a wall). */
const MaxTiltCos = Math.cos((30 * Math.PI) / 180);
/**
 * Transmittance down a column at the support's surface. A field's surfaces are soft (the density
 * rises over a grid spacing or two), so "where is the table" needs a viewpoint: the depth at which a
 * view from 45 degrees above the table has lost half its light, i.e. a vertical optical depth of
 * ln 2 * sin 45 degrees (transmittance 0.5^0.707 = 0.61). A straight-down view (0.5) puts the table
 * below the true one and the first rise of the density (the surface level) above it, on the
 * sample scenes by a quarter to two thirds of a grid spacing.
 */
export const SurfaceTransmittance = Math.pow(0.5, Math.SQRT1_2);
/** RANSAC trials. */
const Trials = 96;

const Dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const Cross = (a: ArrayLike<number>, b: ArrayLike<number>): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
function Normalize(a: ArrayLike<number>): Vec3 {
    const length = Math.hypot(a[0], a[1], a[2]);
    return [a[0] / length, a[1] / length, a[2] / length];
}

/** Unit up and two unit directions across it. */
function LocalFrame(upInput: ArrayLike<number>): { up: Vec3; across: Vec3; along: Vec3 } {
    const up = Normalize(upInput);
    const least = [0, 1, 2].reduce((best, axis) => (Math.abs(up[axis]) < Math.abs(up[best]) ? axis : best), 0);
    const axis: Vec3 = [0, 0, 0];
    axis[least] = 1;
    const across = Normalize(Cross(up, axis));
    return { up, across, along: Cross(up, across) };
}

/**
 * Ring cells around a footprint raster: chessboard distance (8-connected breadth-first search from
 * the footprint) in [inner, inner + width].
 */
function RingCells(footprint: Uint8Array, columns: number, rows: number, inner: number, width: number): number[] {
    const distance = new Int32Array(footprint.length).fill(-1);
    let frontier: number[] = [];
    footprint.forEach((inside, cell) => {
        if (inside) {
            distance[cell] = 0;
            frontier.push(cell);
        }
    });
    const ring: number[] = [];
    for (let d = 1; d <= inner + width && frontier.length > 0; d++) {
        const next: number[] = [];
        for (const cell of frontier) {
            const c = cell % columns;
            const r = (cell - c) / columns;
            for (let dr = -1; dr <= 1; dr++) {
                for (let dc = -1; dc <= 1; dc++) {
                    const cc = c + dc;
                    const rr = r + dr;
                    if (cc >= 0 && cc < columns && rr >= 0 && rr < rows && distance[rr * columns + cc] < 0) {
                        distance[rr * columns + cc] = d;
                        next.push(rr * columns + cc);
                        if (d >= inner) {
                            ring.push(rr * columns + cc);
                        }
                    }
                }
            }
        }
        frontier = next;
    }
    return ring;
}

/**
 * Fits a plane h = c0 + c1 s + c2 t (local frame) to points by least squares.
 * @returns the coefficients, or null when the points are degenerate
 */
function FitHeightPlane(points: readonly Vec3[]): Vec3 | null {
    const m = new Float64Array(9);
    const v = new Float64Array(3);
    for (const [s, t, h] of points) {
        const row = [1, s, t];
        for (let i = 0; i < 3; i++) {
            v[i] += row[i] * h;
            for (let j = 0; j < 3; j++) {
                m[i * 3 + j] += row[i] * row[j];
            }
        }
    }
    const det = Dot([m[0], m[1], m[2]], Cross([m[3], m[4], m[5]], [m[6], m[7], m[8]]));
    if (Math.abs(det) < 1e-12) {
        return null;
    }
    // Cramer's rule
    const column = (k: number): Vec3 => [m[k], m[3 + k], m[6 + k]];
    const solve = (k: number): number => {
        const cols = [column(0), column(1), column(2)];
        cols[k] = [v[0], v[1], v[2]];
        return Dot(cols[0], Cross(cols[1], cols[2])) / det;
    };
    return [solve(0), solve(1), solve(2)];
}

/**
 * Finds the plane an object stands on, or null when there is none (nothing under the ring around
 * its footprint, too few of the hits on one plane, or the plane tilted more than 30 degrees from up).
 * @param search the scene's density, the object's points and the capture's up
 * @returns the support plane or null
 */
export function FindSupportPlane(search: SupportSearch): SupportPlane | null {
    const { up, across, along } = LocalFrame(search.up);
    const points = search.objectPoints;
    const count = points.length / 3;
    if (count === 0) {
        return null;
    }
    const lo = [Infinity, Infinity, Infinity];
    const hi = [-Infinity, -Infinity, -Infinity];
    const local: Vec3 = [0, 0, 0];
    for (let i = 0; i < count; i++) {
        const p = points.subarray(i * 3, i * 3 + 3);
        local[0] = Dot(p, across);
        local[1] = Dot(p, along);
        local[2] = Dot(p, up);
        for (let a = 0; a < 3; a++) {
            lo[a] = Math.min(lo[a], local[a]);
            hi[a] = Math.max(hi[a], local[a]);
        }
    }
    const cell = search.radianceSpacing / 2;
    const inner = 2;
    const width = Math.max(4, Math.round((0.1 * Math.hypot(hi[0] - lo[0], hi[1] - lo[1])) / cell));
    const pad = inner + width + 1;
    const columns = Math.ceil((hi[0] - lo[0]) / cell) + 1 + 2 * pad;
    const rows = Math.ceil((hi[1] - lo[1]) / cell) + 1 + 2 * pad;
    const originS = lo[0] - pad * cell;
    const originT = lo[1] - pad * cell;
    const footprint = new Uint8Array(columns * rows);
    for (let i = 0; i < count; i++) {
        const p = points.subarray(i * 3, i * 3 + 3);
        footprint[Math.round((Dot(p, along) - originT) / cell) * columns + Math.round((Dot(p, across) - originS) / cell)] = 1;
    }
    const ring = RingCells(footprint, columns, rows, inner, width);
    if (ring.length < MinColumns) {
        return null;
    }
    const hits: Vec3[] = [];
    const rises: number[] = [];
    const step = cell;
    const top = hi[2] + search.radianceSpacing;
    const bottom = lo[2] - 3 * search.radianceSpacing;
    const point: Vec3 = [0, 0, 0];
    const densityAt = (s: number, t: number, h: number): number => {
        for (let a = 0; a < 3; a++) {
            point[a] = s * across[a] + t * along[a] + h * up[a];
        }
        return search.sceneDensity(point);
    };
    // a few thousand columns fix a plane; a big object's ring is thinned evenly
    const stride = Math.max(1, Math.floor(ring.length / MaxColumns));
    for (let r = 0; r < ring.length; r += stride) {
        const ringCell = ring[r];
        const s = originS + (ringCell % columns) * cell;
        const t = originT + Math.floor(ringCell / columns) * cell;
        let previous = densityAt(s, t, top);
        if (previous > search.iso) {
            continue; // the column starts inside something (a neighbour's overhang): no clean hit
        }
        // the surface as a view from 45 degrees above sees it (see SurfaceTransmittance), and the
        // first point at the surface level
        let transmittance = 1;
        let level = NaN;
        for (let h = top - step; h >= bottom; h -= step) {
            const density = densityAt(s, t, h);
            if (Number.isNaN(level) && density > search.iso) {
                level = h + (step * (density - search.iso)) / (density - previous);
            }
            previous = density;
            const before = transmittance;
            transmittance *= Math.exp(-density * step);
            if (transmittance <= SurfaceTransmittance) {
                const fraction = Math.log(before / SurfaceTransmittance) / Math.log(before / transmittance);
                const height = h + step / 2 - fraction * step;
                hits.push([s, t, height]);
                rises.push(Number.isNaN(level) ? 0 : Math.max(0, level - height));
                break;
            }
        }
    }
    const dropped = Math.ceil(ring.length / stride);
    if (hits.length < MinColumns || hits.length < dropped / 2) {
        return null;
    }
    const tolerance = search.radianceSpacing;
    const random = SeededRandom(hits.length);
    const all = hits.map((_, i) => i);
    let best: number[] = [];
    for (let trial = 0; trial < Trials; trial++) {
        const sample = [0, 1, 2].map(() => hits[Math.floor(random() * hits.length)]);
        const coefficients = FitHeightPlane(sample);
        if (!coefficients) {
            continue;
        }
        const inliers = all.filter((i) => Math.abs(hits[i][2] - (coefficients[0] + coefficients[1] * hits[i][0] + coefficients[2] * hits[i][1])) <= tolerance);
        if (inliers.length > best.length) {
            best = inliers;
        }
    }
    const fit = best.length >= 3 ? FitHeightPlane(best.map((i) => hits[i])) : null;
    if (!fit || best.length < 0.6 * hits.length || best.length < 0.4 * dropped) {
        return null;
    }
    // h = c0 + c1 s + c2 t  <=>  dot(up - c1 across - c2 along, p) = c0
    const raw: Vec3 = [0, 1, 2].map((a) => up[a] - fit[1] * across[a] - fit[2] * along[a]) as Vec3;
    const length = Math.hypot(...raw);
    const normal = Normalize(raw);
    if (Dot(normal, up) < MaxTiltCos) {
        return null;
    }
    const inlierRises = best.map((i) => rises[i]).sort((a, b) => a - b);
    const rise = inlierRises[Math.floor(inlierRises.length / 2)] * Dot(normal, up);
    return { normal, offset: fit[0] / length, columns: dropped, hits: hits.length, inliers: best.length, rise };
}

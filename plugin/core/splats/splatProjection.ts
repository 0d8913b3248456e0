import type { SplatCloud } from "./splatCloud";
import { SplatRowBytes } from "./splatCloud";
import { ProjectedSplatFloats, SplatTileSize } from "./splatView";
import type { ProjectedSplats, SplatView } from "./splatView";

/** Splats nearer than this (in scene units along the view axis) are not drawn. */
const NearDepth = 0.01;
/** Added to the projected covariance's diagonal (pixels^2): every splat covers at least about a pixel, as in 3DGS. */
const Dilation = 0.3;
/** Splats fainter than this never reach a pixel. */
const MinOpacity = 1 / 255;

/**
 * Projects every splat into a view (EWA splatting: the 3-D covariance R S S^T R^T through the
 * projection's Jacobian) and bins the visible ones into tiles, nearest first.
 * @param cloud the splats
 * @param view the camera, in the splats' coordinates
 * @returns the binned, projected splats
 */
export function ProjectSplats(cloud: SplatCloud, view: SplatView): ProjectedSplats {
    const { width, height, fx, fy, cx, cy } = view.intrinsics;
    const tilesX = Math.ceil(width / SplatTileSize);
    const tilesY = Math.ceil(height / SplatTileSize);
    const m = view.cameraToWorld;
    const floats = new Float32Array(cloud.rows);
    const bytes = new Uint8Array(cloud.rows);
    const limitX = (1.3 * Math.max(cx, width - cx)) / fx;
    const limitY = (1.3 * Math.max(cy, height - cy)) / fy;
    const entries = new Float32Array(cloud.count * ProjectedSplatFloats);
    const entryBits = new Uint32Array(entries.buffer);
    const rects = new Int32Array(cloud.count * 4);
    const depths = new Float32Array(cloud.count);
    let count = 0;
    for (let i = 0; i < cloud.count; i++) {
        const f = i * (SplatRowBytes / 4);
        const b = i * SplatRowBytes + 24;
        const opacity = bytes[b + 3] / 255;
        if (opacity < MinOpacity) {
            continue;
        }
        const dx = floats[f] - m[3];
        const dy = floats[f + 1] - m[7];
        const dz = floats[f + 2] - m[11];
        const x = m[0] * dx + m[4] * dy + m[8] * dz;
        const y = m[1] * dx + m[5] * dy + m[9] * dz;
        const depth = -(m[2] * dx + m[6] * dy + m[10] * dz);
        if (depth < NearDepth) {
            continue;
        }
        const cov = CameraCovariance(floats, bytes, f, b, m);
        // the Jacobian of (u, v) by camera (x, y, z), tangents clamped as 3DGS does for splats far outside the view
        const tx = Math.min(limitX, Math.max(-limitX, x / depth)) * depth;
        const ty = Math.min(limitY, Math.max(-limitY, y / depth)) * depth;
        const j00 = fx / depth;
        const j02 = (fx * tx) / (depth * depth);
        const j11 = -fy / depth;
        const j12 = (-fy * ty) / (depth * depth);
        // J C J^T with J = [[j00, 0, j02], [0, j11, j12]]
        const a = j00 * j00 * cov[0] + 2 * j00 * j02 * cov[2] + j02 * j02 * cov[5] + Dilation;
        const bb = j00 * j11 * cov[1] + j00 * j12 * cov[2] + j02 * j11 * cov[4] + j02 * j12 * cov[5];
        const c = j11 * j11 * cov[3] + 2 * j11 * j12 * cov[4] + j12 * j12 * cov[5] + Dilation;
        const det = a * c - bb * bb;
        if (!(det > 0)) {
            continue;
        }
        const mid = 0.5 * (a + c);
        const lambda = mid + Math.sqrt(Math.max(0.1, mid * mid - det));
        const radius = Math.ceil(3 * Math.sqrt(lambda));
        const u = cx + (fx * x) / depth;
        const v = cy - (fy * y) / depth;
        const x0 = Math.max(0, Math.floor((u - radius) / SplatTileSize));
        const x1 = Math.min(tilesX, Math.ceil((u + radius) / SplatTileSize));
        const y0 = Math.max(0, Math.floor((v - radius) / SplatTileSize));
        const y1 = Math.min(tilesY, Math.ceil((v + radius) / SplatTileSize));
        if (x0 >= x1 || y0 >= y1) {
            continue;
        }
        const e = count * ProjectedSplatFloats;
        entries[e] = u;
        entries[e + 1] = v;
        entries[e + 2] = depth;
        entries[e + 3] = opacity;
        entries[e + 4] = c / det;
        entries[e + 5] = -bb / det;
        entries[e + 6] = a / det;
        entryBits[e + 7] = i;
        entries[e + 8] = bytes[b] / 255;
        entries[e + 9] = bytes[b + 1] / 255;
        entries[e + 10] = bytes[b + 2] / 255;
        entries[e + 11] = Math.sqrt(Math.max(0, cov[5]));
        rects.set([x0, x1, y0, y1], count * 4);
        depths[count] = depth;
        count++;
    }
    const { tileRanges, tileEntries } = BinByTile(count, depths, rects, tilesX, tilesY);
    return { width, height, tilesX, tilesY, count, entries: entries.slice(0, count * ProjectedSplatFloats), tileRanges, tileEntries };
}

/**
 * A splat's covariance in camera space (6 numbers: xx, xy, xz, yy, yz, zz).
 * Σ = R S S^T R^T in the file's axes, then W Σ W^T with W the world-to-camera rotation.
 */
function CameraCovariance(floats: Float32Array, bytes: Uint8Array, f: number, b: number, m: ArrayLike<number>): number[] {
    let w = (bytes[b + 4] - 128) / 128;
    let qx = (bytes[b + 5] - 128) / 128;
    let qy = (bytes[b + 6] - 128) / 128;
    let qz = (bytes[b + 7] - 128) / 128;
    const length = Math.hypot(w, qx, qy, qz) || 1;
    w /= length;
    qx /= length;
    qy /= length;
    qz /= length;
    const r = [
        1 - 2 * (qy * qy + qz * qz), 2 * (qx * qy - w * qz), 2 * (qx * qz + w * qy),
        2 * (qx * qy + w * qz), 1 - 2 * (qx * qx + qz * qz), 2 * (qy * qz - w * qx),
        2 * (qx * qz - w * qy), 2 * (qy * qz + w * qx), 1 - 2 * (qx * qx + qy * qy),
    ];
    const s = [floats[f + 3], floats[f + 4], floats[f + 5]];
    // M = W R S, rows of W are the camera axes (columns of the camera-to-world rotation)
    const mm = new Array<number>(9);
    for (let row = 0; row < 3; row++) {
        for (let col = 0; col < 3; col++) {
            const wr = m[row] * r[col] + m[4 + row] * r[3 + col] + m[8 + row] * r[6 + col];
            mm[row * 3 + col] = wr * s[col];
        }
    }
    const dot = (p: number, q: number): number => mm[p * 3] * mm[q * 3] + mm[p * 3 + 1] * mm[q * 3 + 1] + mm[p * 3 + 2] * mm[q * 3 + 2];
    return [dot(0, 0), dot(0, 1), dot(0, 2), dot(1, 1), dot(1, 2), dot(2, 2)];
}

/** Counting sort of the depth-sorted entries into the tiles their rectangles cover. */
function BinByTile(count: number, depths: Float32Array, rects: Int32Array, tilesX: number, tilesY: number): { tileRanges: Uint32Array; tileEntries: Uint32Array } {
    // sort by depth: positive float bits are monotone; depth bits * 2^21 + index is exact in a double for up to 2^21 entries
    const order = new Uint32Array(count);
    if (count < 1 << 21) {
        const keys = new Float64Array(count);
        const depthBits = new Uint32Array(depths.buffer, 0, count);
        for (let k = 0; k < count; k++) {
            keys[k] = depthBits[k] * 2097152 + k;
        }
        keys.sort();
        for (let k = 0; k < count; k++) {
            order[k] = keys[k] % 2097152;
        }
    } else {
        const indices = Array.from({ length: count }, (_, k) => k).sort((p, q) => depths[p] - depths[q]);
        order.set(indices);
    }
    const tiles = tilesX * tilesY;
    const counts = new Uint32Array(tiles + 1);
    for (let k = 0; k < count; k++) {
        const [x0, x1, y0, y1] = rects.subarray(k * 4, k * 4 + 4);
        for (let ty = y0; ty < y1; ty++) {
            for (let tx = x0; tx < x1; tx++) {
                counts[ty * tilesX + tx + 1]++;
            }
        }
    }
    for (let t = 0; t < tiles; t++) {
        counts[t + 1] += counts[t];
    }
    const tileRanges = new Uint32Array(tiles * 2);
    for (let t = 0; t < tiles; t++) {
        tileRanges[t * 2] = counts[t];
        tileRanges[t * 2 + 1] = counts[t];
    }
    const tileEntries = new Uint32Array(counts[tiles]);
    for (const k of order) {
        const [x0, x1, y0, y1] = rects.subarray(k * 4, k * 4 + 4);
        for (let ty = y0; ty < y1; ty++) {
            for (let tx = x0; tx < x1; tx++) {
                const t = ty * tilesX + tx;
                tileEntries[tileRanges[t * 2 + 1]++] = k;
            }
        }
    }
    return { tileRanges, tileEntries };
}

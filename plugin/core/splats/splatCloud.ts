/**
 * A Gaussian-splat scene in Babylon's row layout (what `GaussianSplattingMesh.splatsData` holds):
 * 32 bytes per splat, position f32 x3, linear scale f32 x3, colour and opacity u8 x4 (RGBA, the SH
 * DC term as a colour), rotation u8 x4 (quaternion w, x, y, z mapped from [-1, 1] to [0, 255]).
 * Coordinates are the file's own. Splat `i` is the file's splat `i`.
 */
export interface SplatCloud {
    /** Where the splats came from (a file name), shown in messages. */
    readonly name: string;
    /** Number of splats. */
    readonly count: number;
    /** count * 32 bytes. */
    readonly rows: ArrayBuffer;
    /** Spherical-harmonics degree of the source file (0-3); only the DC term is in the rows. */
    readonly shDegree: number;
}

/** Bytes per splat row. */
export const SplatRowBytes = 32;

/** The zeroth-order SH basis constant: colour = 0.5 + SH_C0 * f_dc. */
export const ShC0 = 0.28209479177387814;

/** One splat decoded from its row. */
export interface SplatRecord {
    readonly position: [number, number, number];
    readonly scale: [number, number, number];
    /** Unit quaternion w, x, y, z. */
    readonly rotation: [number, number, number, number];
    /** Linear RGB in [0, 1]. */
    readonly color: [number, number, number];
    /** In [0, 1]. */
    readonly opacity: number;
}

/**
 * Decodes one splat.
 * @param cloud the splats
 * @param index which one
 * @returns its position, scale, rotation, colour and opacity
 */
export function ReadSplat(cloud: SplatCloud, index: number): SplatRecord {
    const f = new Float32Array(cloud.rows, index * SplatRowBytes, 6);
    const b = new Uint8Array(cloud.rows, index * SplatRowBytes + 24, 8);
    const q = [b[4], b[5], b[6], b[7]].map((v) => (v - 128) / 128);
    const length = Math.hypot(q[0], q[1], q[2], q[3]) || 1;
    return {
        position: [f[0], f[1], f[2]],
        scale: [f[3], f[4], f[5]],
        rotation: [q[0] / length, q[1] / length, q[2] / length, q[3] / length],
        color: [b[0] / 255, b[1] / 255, b[2] / 255],
        opacity: b[3] / 255,
    };
}

/**
 * Encodes one splat into a row buffer (the layout Babylon reads).
 * @param rows count * 32 bytes
 * @param index which row
 * @param splat the splat; the rotation need not be unit length
 */
export function WriteSplat(rows: ArrayBuffer, index: number, splat: SplatRecord): void {
    const f = new Float32Array(rows, index * SplatRowBytes, 6);
    const b = new Uint8Array(rows, index * SplatRowBytes + 24, 8);
    f.set(splat.position, 0);
    f.set(splat.scale, 3);
    const toByte = (v: number): number => Math.max(0, Math.min(255, Math.round(v)));
    b[0] = toByte(splat.color[0] * 255);
    b[1] = toByte(splat.color[1] * 255);
    b[2] = toByte(splat.color[2] * 255);
    b[3] = toByte(splat.opacity * 255);
    const [w, x, y, z] = splat.rotation;
    const length = Math.hypot(w, x, y, z) || 1;
    b[4] = toByte((w / length) * 128 + 128);
    b[5] = toByte((x / length) * 128 + 128);
    b[6] = toByte((y / length) * 128 + 128);
    b[7] = toByte((z / length) * 128 + 128);
}

/**
 * The splats whose mask entry is set, in their original order.
 * @param cloud the splats
 * @param keep one flag per splat
 * @param name the new cloud's name
 * @returns a cloud of the kept rows
 */
export function SelectSplats(cloud: SplatCloud, keep: ArrayLike<boolean | number>, name: string): SplatCloud {
    const source = new Uint8Array(cloud.rows);
    let count = 0;
    for (let i = 0; i < cloud.count; i++) {
        count += keep[i] ? 1 : 0;
    }
    const rows = new Uint8Array(count * SplatRowBytes);
    let next = 0;
    for (let i = 0; i < cloud.count; i++) {
        if (keep[i]) {
            rows.set(source.subarray(i * SplatRowBytes, (i + 1) * SplatRowBytes), next * SplatRowBytes);
            next++;
        }
    }
    return { name, count, rows: rows.buffer, shDegree: cloud.shDegree };
}

/**
 * The axis-aligned box of the splats' centres.
 * @param cloud the splats
 * @returns min and max corners
 */
export function SplatCentreBounds(cloud: SplatCloud): { min: [number, number, number]; max: [number, number, number] } {
    const min: [number, number, number] = [Infinity, Infinity, Infinity];
    const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
    const f = new Float32Array(cloud.rows);
    for (let i = 0; i < cloud.count; i++) {
        for (let a = 0; a < 3; a++) {
            const v = f[i * 8 + a];
            min[a] = Math.min(min[a], v);
            max[a] = Math.max(max[a], v);
        }
    }
    return { min, max };
}

/**
 * The unit quaternion (w, x, y, z) that turns +z onto a unit vector: a flat splat (thin along its
 * local z) lying in the plane with that normal.
 * @param n the unit normal
 * @returns the rotation
 */
export function QuaternionTakingZTo(n: readonly number[]): [number, number, number, number] {
    // half-way between z and n: (1 + z.n, z x n), normalised
    const length = Math.hypot(n[0], n[1], n[2] + 1);
    return length < 1e-6 ? [0, 1, 0, 0] : [(n[2] + 1) / length, -n[1] / length, n[0] / length, 0];
}

import { ReadSplat, ShC0, SplatRowBytes, WriteSplat } from "./splatCloud";
import type { SplatCloud } from "./splatCloud";
import { SplatFileError } from "./splatFileError";

/**
 * The SPZ format (Niantic's compressed splats, versions 2 and 3): a gzip stream holding a 16-byte
 * header (magic "NGSP" as u32 0x5053474e, version, count, SH degree, fractional bits, flags, 0)
 * then, each as one block over all splats, 24-bit fixed-point positions, opacity bytes, DC colour
 * bytes (dc * 0.15 * 255 + 127.5), log-scale bytes ((ln s + 10) * 16), rotations (v2: x, y, z of
 * the quaternion with w >= 0, one byte each; v3: the smallest three in 10 bits each and the
 * largest's index in 2 bits) and SH coefficients. Only the DC colour reaches the rows.
 */
const SpzMagic = 0x5053474e;
const SpzHeaderBytes = 16;
const ColorScale = 0.15;

/** SH coefficients besides DC for a degree. */
function ShRestCoefficients(degree: number): number {
    return (degree + 1) * (degree + 1) - 1;
}

/**
 * Un-gzips bytes.
 * @param bytes gzip data
 * @param file the file's name, for messages
 * @returns the inflated bytes
 */
async function GunzipAsync(bytes: Uint8Array, file: string): Promise<Uint8Array> {
    try {
        const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("gzip"));
        return new Uint8Array(await new Response(stream).arrayBuffer());
    } catch (error) {
        throw new SplatFileError(file, `SPZ data is not a complete gzip stream (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    }
}

/**
 * Decodes an SPZ file (gzip, version 2 or 3) into splat rows.
 * @param bytes the file
 * @param file its name, for messages
 * @returns the splats
 * @throws SplatFileError for a bad stream, a wrong magic or version, zero splats or a truncated body
 */
export async function DecodeSpzAsync(bytes: Uint8Array, file: string): Promise<SplatCloud> {
    const data = await GunzipAsync(bytes, file);
    if (data.length < SpzHeaderBytes) {
        throw new SplatFileError(file, `SPZ header is truncated (${data.length} of ${SpzHeaderBytes} bytes)`);
    }
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const magic = view.getUint32(0, true);
    const version = view.getUint32(4, true);
    const count = view.getUint32(8, true);
    const shDegree = data[12];
    const fractionalBits = data[13];
    if (magic !== SpzMagic) {
        throw new SplatFileError(file, `not an SPZ stream (magic 0x${magic.toString(16)}, expected 0x${SpzMagic.toString(16)})`);
    }
    if (version !== 2 && version !== 3) {
        throw new SplatFileError(file, `SPZ version ${version} is not supported (versions 2 and 3 are)`);
    }
    if (count === 0) {
        throw new SplatFileError(file, "the file holds zero splats");
    }
    if (shDegree > 3) {
        throw new SplatFileError(file, `SPZ SH degree ${shDegree} is not supported (0-3)`);
    }
    const rotationBytes = version === 3 ? 4 : 3;
    const expected = SpzHeaderBytes + count * (9 + 1 + 3 + 3 + rotationBytes + ShRestCoefficients(shDegree) * 3);
    if (data.length < expected) {
        throw new SplatFileError(file, `SPZ body is truncated: ${data.length} bytes for ${count} splats, expected ${expected}`);
    }
    const rows = new ArrayBuffer(count * SplatRowBytes);
    const positionScale = 1 / (1 << fractionalBits);
    const positionsAt = SpzHeaderBytes;
    const alphasAt = positionsAt + count * 9;
    const colorsAt = alphasAt + count;
    const scalesAt = colorsAt + count * 3;
    const rotationsAt = scalesAt + count * 3;
    const fixed = (at: number): number => {
        const value = data[at] | (data[at + 1] << 8) | (data[at + 2] << 16);
        return ((value << 8) >> 8) * positionScale;
    };
    for (let i = 0; i < count; i++) {
        const p = positionsAt + i * 9;
        const c = colorsAt + i * 3;
        const s = scalesAt + i * 3;
        const rotation = version === 3 ? SmallestThree(data, rotationsAt + i * 4) : WFromXyz(data, rotationsAt + i * 3);
        const dc = (k: number): number => Math.max(0, Math.min(1, 0.5 + ShC0 * ((data[c + k] - 127.5) / (ColorScale * 255))));
        WriteSplat(rows, i, {
            position: [fixed(p), fixed(p + 3), fixed(p + 6)],
            scale: [Math.exp(data[s] / 16 - 10), Math.exp(data[s + 1] / 16 - 10), Math.exp(data[s + 2] / 16 - 10)],
            rotation,
            color: [dc(0), dc(1), dc(2)],
            opacity: data[alphasAt + i] / 255,
        });
    }
    return { name: file, count, rows, shDegree };
}

/** Version 2 rotation: x, y, z bytes, w = sqrt(1 - |xyz|^2). */
function WFromXyz(data: Uint8Array, at: number): [number, number, number, number] {
    const x = data[at] / 127.5 - 1;
    const y = data[at + 1] / 127.5 - 1;
    const z = data[at + 2] / 127.5 - 1;
    return [Math.sqrt(Math.max(0, 1 - x * x - y * y - z * z)), x, y, z];
}

/** Version 3 rotation: the largest component's index (x, y, z, w order) in the top 2 bits, the others as sign + 9-bit magnitude. */
function SmallestThree(data: Uint8Array, at: number): [number, number, number, number] {
    const word = (data[at] | (data[at + 1] << 8) | (data[at + 2] << 16) | (data[at + 3] << 24)) >>> 0;
    const largest = word >>> 30;
    const xyzw = [0, 0, 0, 0];
    let remaining = word;
    let sum = 0;
    for (let k = 3; k >= 0; k--) {
        if (k !== largest) {
            const magnitude = remaining & 511;
            const negative = (remaining >>> 9) & 1;
            remaining >>>= 10;
            xyzw[k] = Math.SQRT1_2 * (magnitude / 511) * (negative ? -1 : 1);
            sum += xyzw[k] * xyzw[k];
        }
    }
    xyzw[largest] = Math.sqrt(Math.max(0, 1 - sum));
    return [xyzw[3], xyzw[0], xyzw[1], xyzw[2]];
}

/**
 * Encodes splats as SPZ version 2 (DC colour only: SH degree 0), gzip-compressed.
 * @param cloud the splats
 * @param options.flipYZ turn the splats 180 degrees about x (3DGS PLY axes, y down and z forward, to SPZ's y up and z back)
 * @returns the file's bytes
 */
export async function EncodeSpzAsync(cloud: SplatCloud, options: { flipYZ?: boolean } = {}): Promise<Uint8Array> {
    const count = cloud.count;
    const flip = options.flipYZ ? -1 : 1;
    let largest = 0;
    for (let i = 0; i < count; i++) {
        for (const v of ReadSplat(cloud, i).position) {
            largest = Math.max(largest, Math.abs(v));
        }
    }
    let fractionalBits = 12;
    while (fractionalBits > 0 && largest * (1 << fractionalBits) >= (1 << 23) - 1) {
        fractionalBits--;
    }
    const data = new Uint8Array(SpzHeaderBytes + count * (9 + 1 + 3 + 3 + 3));
    const view = new DataView(data.buffer);
    view.setUint32(0, SpzMagic, true);
    view.setUint32(4, 2, true);
    view.setUint32(8, count, true);
    data[13] = fractionalBits;
    const byte = (v: number): number => Math.max(0, Math.min(255, Math.round(v)));
    const alphasAt = SpzHeaderBytes + count * 9;
    const colorsAt = alphasAt + count;
    const scalesAt = colorsAt + count * 3;
    const rotationsAt = scalesAt + count * 3;
    for (let i = 0; i < count; i++) {
        const splat = ReadSplat(cloud, i);
        const position = [splat.position[0], splat.position[1] * flip, splat.position[2] * flip];
        for (let a = 0; a < 3; a++) {
            const fixed = Math.round(position[a] * (1 << fractionalBits));
            data[SpzHeaderBytes + i * 9 + a * 3] = fixed & 255;
            data[SpzHeaderBytes + i * 9 + a * 3 + 1] = (fixed >> 8) & 255;
            data[SpzHeaderBytes + i * 9 + a * 3 + 2] = (fixed >> 16) & 255;
            data[colorsAt + i * 3 + a] = byte(((splat.color[a] - 0.5) / ShC0) * ColorScale * 255 + 127.5);
            data[scalesAt + i * 3 + a] = byte((Math.log(Math.max(splat.scale[a], 1e-30)) + 10) * 16);
        }
        data[alphasAt + i] = byte(splat.opacity * 255);
        const [w, x, y, z] = splat.rotation;
        // q and -q are the same rotation: store the one with w >= 0, whose w the reader recovers
        const sign = w < 0 ? -1 : 1;
        data[rotationsAt + i * 3] = byte(sign * x * 127.5 + 127.5);
        data[rotationsAt + i * 3 + 1] = byte(sign * y * flip * 127.5 + 127.5);
        data[rotationsAt + i * 3 + 2] = byte(sign * z * flip * 127.5 + 127.5);
    }
    const stream = new Blob([data]).stream().pipeThrough(new CompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
}

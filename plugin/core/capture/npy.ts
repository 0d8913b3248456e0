/**
 * NumPy .npy files (format versions 1.0-3.0): parse little- or big-endian float64/float32/int/uint
 * arrays in C order, and write little-endian float32 arrays. Errors name the file.
 */

/** A parsed .npy array: values as float64, its shape and its dtype string. */
export interface NpyArray {
    /** Values in C (row-major) order. */
    readonly data: Float64Array;
    /** Shape, e.g. [N, 17]. */
    readonly shape: readonly number[];
    /** The header's descr, e.g. "<f8". */
    readonly dtype: string;
}

const Magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/**
 * Parses a .npy file.
 * @param bytes the file
 * @param name the file's name, for error messages
 * @returns the array
 */
export function ParseNpy(bytes: ArrayBuffer, name: string): NpyArray {
    const view = new DataView(bytes);
    const fail = (problem: string): never => {
        throw new Error(`${name}: ${problem}`);
    };
    if (bytes.byteLength < 10 || Magic.some((byte, i) => view.getUint8(i) !== byte)) {
        fail("not a .npy file (bad magic bytes)");
    }
    const major = view.getUint8(6);
    if (major < 1 || major > 3) {
        fail(`unsupported .npy version ${major}.${view.getUint8(7)}`);
    }
    const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
    const headerStart = major === 1 ? 10 : 12;
    if (headerStart + headerLength > bytes.byteLength) {
        fail("truncated header");
    }
    const header = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(new Uint8Array(bytes, headerStart, headerLength));
    const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
    const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
    const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
    if (!descr || !fortran || shapeText === undefined) {
        return fail(`unreadable header: ${header.trim()}`);
    }
    if (fortran === "True") {
        fail("Fortran-ordered arrays are not supported (save with C order)");
    }
    const shape = shapeText
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0)
        .map(Number);
    const count = shape.reduce((a, b) => a * b, 1);
    const little = descr[0] !== ">";
    const kind = descr.slice(1);
    const readers: Record<string, [number, (offset: number) => number]> = {
        f8: [8, (o) => view.getFloat64(o, little)],
        f4: [4, (o) => view.getFloat32(o, little)],
        i8: [8, (o) => Number(view.getBigInt64(o, little))],
        i4: [4, (o) => view.getInt32(o, little)],
        i2: [2, (o) => view.getInt16(o, little)],
        u8: [8, (o) => Number(view.getBigUint64(o, little))],
        u4: [4, (o) => view.getUint32(o, little)],
        u2: [2, (o) => view.getUint16(o, little)],
        u1: [1, (o) => view.getUint8(o)],
        i1: [1, (o) => view.getInt8(o)],
        b1: [1, (o) => view.getUint8(o)],
    };
    const reader = readers[kind];
    if (!reader) {
        return fail(`unsupported dtype '${descr}'`);
    }
    const [size, read] = reader;
    const dataStart = headerStart + headerLength;
    if (dataStart + count * size > bytes.byteLength) {
        fail(`truncated data: shape (${shape.join(", ")}) needs ${count * size} bytes, the file has ${bytes.byteLength - dataStart}`);
    }
    const data = new Float64Array(count);
    for (let i = 0; i < count; i++) {
        data[i] = read(dataStart + i * size);
    }
    return { data, shape, dtype: descr };
}

/**
 * Writes a little-endian float32 .npy file (version 1.0, C order).
 * @param data the values, C order
 * @param shape the shape (its product must equal data.length)
 * @returns the file's bytes
 */
export function WriteNpyFloat32(data: Float32Array, shape: readonly number[]): Uint8Array {
    const count = shape.reduce((a, b) => a * b, 1);
    if (count !== data.length) {
        throw new RangeError(`WriteNpyFloat32: shape (${shape.join(", ")}) holds ${count} values, data has ${data.length}`);
    }
    const shapeText = shape.length === 1 ? `${shape[0]},` : shape.join(", ");
    let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shapeText}), }`;
    const unpadded = 10 + header.length + 1;
    header += " ".repeat((64 - (unpadded % 64)) % 64) + "\n";
    const out = new Uint8Array(10 + header.length + data.byteLength);
    out.set(Magic, 0);
    out[6] = 1;
    out[7] = 0;
    new DataView(out.buffer).setUint16(8, header.length, true);
    for (let i = 0; i < header.length; i++) {
        out[10 + i] = header.charCodeAt(i);
    }
    const floats = new DataView(out.buffer, 10 + header.length);
    for (let i = 0; i < data.length; i++) {
        floats.setFloat32(i * 4, data[i], true);
    }
    return out;
}

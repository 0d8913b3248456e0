/**
 * The object-field file (".sobj", objectfield.bin in the pipeline): one versioned little-endian
 * binary file holding a fused {@link ObjectFieldData}. Babylon- and DOM-free.
 *
 * Header (64 bytes in format versions 1 to 3):
 *
 * | offset | type    | field                                                                |
 * |-------:|---------|----------------------------------------------------------------------|
 * |      0 | u8[4]   | magic "SOBJ"                                                         |
 * |      4 | u32     | format version (3; 1 and 2 are still read)                           |
 * |      8 | u32     | header length in bytes (64)                                          |
 * |     12 | u32     | bit 0 mode: 0 = sigmoid (one object), 1 = softmax (channel 0 =       |
 * |        |         | background); bit 1 (version 3): the grid spans a contracted field    |
 * |     16 | f32 × 3 | boundsMin                                                            |
 * |     28 | f32 × 3 | boundsMax                                                            |
 * |     40 | u32 × 3 | gridSize (2..1024 per axis)                                          |
 * |     52 | u32     | C = channels (1 for sigmoid, 3..8 for softmax)                       |
 * |     56 | u32     | M = metadata length in bytes                                         |
 * |     60 | u32     | CRC-32 (zlib) of header bytes 0..59, the M metadata bytes and the    |
 * |        |         | payload (version 1: metadata and payload only)                       |
 * |     64 | u8[M]   | metadata: UTF-8 JSON { objects: [{ id, name }], metadata }           |
 * |   64+M | u8[...] | payload: raw DEFLATE of the logits as f16 × (gx·gy·gz·C)             |
 *
 * Logits are stored as IEEE half floats (relative 2^-11, clamped to ±65504). A bad file is refused
 * with an {@link ObjectFieldFileError} naming the file and the problem; nothing half-read is returned.
 */
import { Crc32, Crc32Update } from "../binary/crc32";
import { DeflateRawAsync, InflateRawExactAsync } from "../binary/deflateRaw";
import { DecodeFloat16, EncodeFloat16Saturated, IsLittleEndian } from "../binary/float16";
import type { ObjectFieldData, ObjectFieldMetadata, ObjectFieldObject } from "./objectFieldTypes";

const Magic = [0x53, 0x4f, 0x42, 0x4a];
/**
 * Format version written: 3 (adds the contraction bit). Versions 1 (whose CRC does not cover the
 * header) and 2 are still read, as grids over their box.
 */
export const ObjectFieldFormatVersion = 3;
const HeaderBytes = 64;

/** An object-field file that cannot be read; the message names the file and the problem. */
export class ObjectFieldFileError extends Error {
    /** @param file the file's name @param problem what is wrong */
    public constructor(file: string, problem: string) {
        super(`${file}: ${problem}`);
        this.name = "ObjectFieldFileError";
    }
}

/**
 * Writes an object field.
 * @param field the field
 * @returns the file's bytes
 */
export async function WriteObjectFieldAsync(field: ObjectFieldData): Promise<Uint8Array> {
    const { grid } = field;
    const count = grid.gridSize[0] * grid.gridSize[1] * grid.gridSize[2] * grid.channels;
    if (field.logits.length !== count) {
        throw new RangeError(`WriteObjectFieldAsync: ${field.logits.length} logits for a ${grid.gridSize.join("x")} grid of ${grid.channels} channel(s) (${count} expected)`);
    }
    const half = new Uint16Array(count);
    EncodeFloat16Saturated(field.logits, half);
    const raw = new Uint8Array(half.buffer);
    if (!IsLittleEndian) {
        SwapPairs(raw);
    }
    const payload = await DeflateRawAsync(raw);
    const metadata = new TextEncoder().encode(JSON.stringify({ objects: field.objects.map(({ id, name }) => ({ id, name })), metadata: field.metadata }));
    const file = new Uint8Array(HeaderBytes + metadata.length + payload.length);
    const view = new DataView(file.buffer);
    file.set(Magic, 0);
    view.setUint32(4, ObjectFieldFormatVersion, true);
    view.setUint32(8, HeaderBytes, true);
    view.setUint32(12, (grid.mode === "softmax" ? 1 : 0) | (grid.contracted ? 2 : 0), true);
    [...grid.boundsMin, ...grid.boundsMax].forEach((v, i) => view.setFloat32(16 + i * 4, v, true));
    grid.gridSize.forEach((v, i) => view.setUint32(40 + i * 4, v, true));
    view.setUint32(52, grid.channels, true);
    view.setUint32(56, metadata.length, true);
    view.setUint32(60, Crc32Update(Crc32Update(Crc32(file.subarray(0, 60)), metadata), payload), true);
    file.set(metadata, HeaderBytes);
    file.set(payload, HeaderBytes + metadata.length);
    return file;
}

/**
 * Reads an object field, checking everything first; version-1 files (whose CRC does not cover the
 * header) load with a warning.
 * @param bytes the file
 * @param name its name, for messages
 * @param onWarning called with a message for a file that loads but should be saved again (default console.warn)
 * @returns the field
 * @throws ObjectFieldFileError naming the file and the problem
 */
export async function ReadObjectFieldAsync(bytes: ArrayBuffer, name: string, onWarning: (message: string) => void = console.warn): Promise<ObjectFieldData> {
    const fail = (problem: string): never => {
        throw new ObjectFieldFileError(name, problem);
    };
    const file = new Uint8Array(bytes);
    if (file.length < 4 || Magic.some((byte, i) => file[i] !== byte)) {
        fail('not a SANeRF-HQ object field file (its first bytes are not "SOBJ")');
    }
    if (file.length < HeaderBytes) {
        fail(`truncated header: expected ${HeaderBytes} bytes, found ${file.length}`);
    }
    const view = new DataView(bytes);
    const version = view.getUint32(4, true);
    if (version < 1 || version > ObjectFieldFormatVersion) {
        fail(`format version ${version}; this build reads versions 1 to ${ObjectFieldFormatVersion}`);
    }
    if (view.getUint32(8, true) !== HeaderBytes) {
        fail(`header length ${view.getUint32(8, true)} does not match format version ${version} (${HeaderBytes} bytes)`);
    }
    const modeWord = view.getUint32(12, true);
    if (modeWord > (version >= 3 ? 3 : 1)) {
        fail(`unknown mode ${modeWord} (${version >= 3 ? "bit 0: sigmoid / softmax, bit 1: contracted" : "0 = sigmoid, 1 = softmax"})`);
    }
    const modeCode = modeWord & 1;
    const contracted = (modeWord & 2) !== 0;
    const bounds = Array.from({ length: 6 }, (_, i) => view.getFloat32(16 + i * 4, true));
    const gridSize = [0, 1, 2].map((i) => view.getUint32(40 + i * 4, true)) as [number, number, number];
    const channels = view.getUint32(52, true);
    if (!bounds.every(Number.isFinite) || bounds.slice(0, 3).some((v, i) => !(v < bounds[3 + i]))) {
        fail(`bad bounds [${bounds.slice(0, 3).join(", ")}] .. [${bounds.slice(3).join(", ")}]`);
    }
    if (gridSize.some((g) => g < 2 || g > 1024)) {
        fail(`bad grid size ${gridSize.join("x")} (2..1024 per axis)`);
    }
    if (modeCode === 0 ? channels !== 1 : channels < 3 || channels > 8) {
        fail(`${channels} channel(s) do not fit the ${modeCode === 0 ? "sigmoid mode (1)" : "softmax mode (3..8)"}`);
    }
    const metadataLength = view.getUint32(56, true);
    if (file.length < HeaderBytes + metadataLength) {
        fail(`truncated: the metadata needs ${metadataLength} bytes after the header, the file has ${file.length - HeaderBytes}`);
    }
    const metadataBytes = file.subarray(HeaderBytes, HeaderBytes + metadataLength);
    const payload = file.subarray(HeaderBytes + metadataLength);
    const crc = Crc32Update(Crc32Update(version === 1 ? 0 : Crc32(file.subarray(0, 60)), metadataBytes), payload);
    if (crc !== view.getUint32(60, true)) {
        fail("corrupt or truncated: CRC-32 mismatch");
    }
    if (version === 1) {
        onWarning(`${name}: format version 1, whose CRC does not cover the header (grid, bounds); save it again to protect it all`);
    }
    let parsed: { objects: ObjectFieldObject[]; metadata: ObjectFieldMetadata };
    try {
        parsed = JSON.parse(new TextDecoder().decode(metadataBytes));
    } catch (error) {
        return fail(`the metadata is not JSON (${(error as Error).message})`);
    }
    const objects = parsed.objects;
    if (!Array.isArray(objects) || objects.length !== (channels === 1 ? 1 : channels - 1) || objects.some((o) => !Number.isInteger(o?.id) || typeof o.name !== "string")) {
        fail(`the metadata must list ${channels === 1 ? 1 : channels - 1} object(s) with an integer id and a name`);
    }
    const count = gridSize[0] * gridSize[1] * gridSize[2] * channels;
    const inflated = await InflateRawExactAsync(payload, count * 2);
    if (inflated.kind !== "ok") {
        return fail(inflated.kind === "invalid" ? `corrupt: the payload is not valid raw DEFLATE data (${inflated.reason})` : `the payload does not hold ${count} logits`);
    }
    const raw = Uint8Array.from(inflated.bytes);
    if (!IsLittleEndian) {
        SwapPairs(raw);
    }
    const logits = new Float32Array(count);
    DecodeFloat16(new Uint16Array(raw.buffer), logits);
    return {
        grid: { boundsMin: bounds.slice(0, 3) as [number, number, number], boundsMax: bounds.slice(3) as [number, number, number], gridSize, ...(contracted ? { contracted } : {}), channels, mode: modeCode === 1 ? "softmax" : "sigmoid" },
        logits,
        objects: objects.map(({ id, name }) => ({ id, name })),
        metadata: { iterations: Number(parsed.metadata?.iterations) || 0, rayPair: parsed.metadata?.rayPair === true, captureName: typeof parsed.metadata?.captureName === "string" ? parsed.metadata.captureName : undefined },
    };
}

function SwapPairs(bytes: Uint8Array): void {
    for (let i = 0; i + 1 < bytes.length; i += 2) {
        const a = bytes[i];
        bytes[i] = bytes[i + 1];
        bytes[i + 1] = a;
    }
}

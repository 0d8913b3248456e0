/**
 * The radiance-field file (".snrf"): one versioned little-endian binary file holding a trained
 * {@link RadianceFieldData}. Babylon- and DOM-free, so workers can read and write it.
 *
 * Header (104 bytes in format versions 1 to 3):
 *
 * | offset | type    | field                                                                  |
 * |-------:|---------|------------------------------------------------------------------------|
 * |      0 | u8[4]   | magic "SNRF"                                                           |
 * |      4 | u32     | format version (3; 1 and 2 are still read, as bounded fields)          |
 * |      8 | u32     | header length in bytes (104)                                           |
 * |     12 | u32     | flags: bit 0 = payload is raw DEFLATE (always set); bit 1 (version 3)  |
 * |        |         | = contracted (whole-scene) field; other bits 0                         |
 * |     16 | f32 × 3 | boundsMin                                                              |
 * |     28 | f32 × 3 | boundsMax                                                              |
 * |     40 | f32     | stepSize                                                               |
 * |     44 | f32     | densityShift                                                           |
 * |     48 | u32 × 3 | gridSize (2..1024 per axis)                                            |
 * |     60 | u32 × 3 | occupancySize (1..1024 per axis)                                       |
 * |     72 | u32     | background: 0 = white, 1 = black                                       |
 * |     76 | u32     | M = metadata length in bytes                                           |
 * |     80 | u64     | P = payload length in bytes, as stored (compressed)                    |
 * |     88 | u64     | U = payload length in bytes, uncompressed                              |
 * |     96 | u32     | CRC-32 (zlib) of header bytes 0..95 (version 3: then bytes 100..103),  |
 * |        |         | then the M metadata bytes and the P payload bytes (version 1: metadata |
 * |        |         | and payload only)                                                      |
 * |    100 | f32     | version 3: near, where contracted rays start; versions 1, 2: reserved 0 |
 * |    104 | u8[M]   | metadata: UTF-8 JSON object (FieldMetadata)                            |
 * |  104+M | u8[P]   | payload, raw DEFLATE (RFC 1951) of the uncompressed payload below      |
 *
 * Uncompressed payload (N = gx·gy·gz grid points, W = ceil(ox·oy·oz / 32) occupancy words):
 *
 * | offset  | type         | field                                                       |
 * |--------:|--------------|-------------------------------------------------------------|
 * |       0 | u32 × W      | occupancy bits, as RadianceFieldData.occupancy              |
 * |      4W | f16 × N      | raw density, as RadianceFieldData.density                   |
 * |  4W+2N  | f16 × 12N    | SH coefficients, as RadianceFieldData.sh                    |
 * |         |              | U = 4W + 26N                                                |
 *
 * Precision: bounds, stepSize and densityShift are stored as float32 (what the GPU uses); density and
 * SH as IEEE half floats, rounded to nearest even, so a value comes back within a relative 2^-11
 * (about 5e-4; 1e-3 is a safe tolerance) for |x| >= 6.1e-5, within 3e-8 absolute below that, and
 * values beyond ±65504 (infinities included) are clamped to ±65504. NaN stays NaN. Occupancy words,
 * sizes, background and metadata round-trip exactly (a non-finite metadata.psnr is left out).
 *
 * Reading checks everything before building anything: a bad file throws a
 * {@link RadianceFieldFileError} whose message starts with the file's name; no half-read field is
 * ever returned.
 */
import { Crc32, Crc32Update } from "../binary/crc32";
import { DeflateRawAsync, InflateRawExactAsync } from "../binary/deflateRaw";
import { DecodeFloat16, EncodeFloat16Saturated, IsLittleEndian } from "../binary/float16";
import type { FieldParams } from "../../../shaders/nerf/fieldMath";
import type { FieldMetadata, RadianceFieldData } from "./radianceFieldData";
import { ShCoefficientsPerPoint } from "./radianceFieldData";
import { RadianceFieldFileError } from "./radianceFieldFileError";
import {
    BackgroundCodes,
    FieldParamsProblem,
    HeaderOffset,
    PayloadDeflateFlag,
    ContractedFlag,
    PayloadLayoutOf,
    RadianceFieldFormatVersion,
    RadianceFieldHeaderBytes,
    RadianceFieldMagic,
    SizeText,
    type PayloadLayout,
} from "./radianceFieldFileLayout";

export { RadianceFieldFileError };

/** File name extension of radiance-field files. */
export const RadianceFieldFileExtension = ".snrf";

/**
 * Writes a field as a radiance-field file (format version 3; see the layout at the top of this file).
 * @param field the field; its array lengths must match its grid sizes
 * @returns the file's bytes
 * @throws RangeError when the field is inconsistent (array lengths, sizes, bounds, metadata)
 */
export async function WriteRadianceFieldAsync(field: RadianceFieldData): Promise<Uint8Array> {
    const fail = (problem: string): never => {
        throw new RangeError(`WriteRadianceFieldAsync: ${problem}`);
    };
    const params = StoredParams(field.params);
    const problem = FieldParamsProblem(params);
    if (problem) {
        fail(problem);
    }
    const layout = PayloadLayoutOf(params);
    const arrays: [string, number, number][] = [
        ["density", field.density.length, layout.voxelCount],
        ["sh", field.sh.length, layout.voxelCount * ShCoefficientsPerPoint],
        ["occupancy", field.occupancy.length, layout.occupancyWords],
    ];
    for (const [name, length, expected] of arrays) {
        if (length !== expected) {
            fail(`${name} has ${length} values, a ${SizeText(params.gridSize)} grid with ${SizeText(params.occupancySize)} occupancy cells needs ${expected}`);
        }
    }
    const backgroundCode = BackgroundCodes.indexOf(field.background);
    if (backgroundCode < 0) {
        fail(`unknown background "${String(field.background)}"`);
    }
    if (!Number.isFinite(field.metadata.iterations)) {
        fail(`metadata.iterations (${field.metadata.iterations}) is not finite`);
    }
    const metadata = new TextEncoder().encode(JSON.stringify(StorableMetadata(field.metadata)));
    const payload = await DeflateRawAsync(EncodePayload(field, layout));

    const file = new Uint8Array(RadianceFieldHeaderBytes + metadata.length + payload.length);
    const view = new DataView(file.buffer);
    file.set(RadianceFieldMagic, HeaderOffset.magic);
    view.setUint32(HeaderOffset.version, RadianceFieldFormatVersion, true);
    view.setUint32(HeaderOffset.headerLength, RadianceFieldHeaderBytes, true);
    view.setUint32(HeaderOffset.flags, PayloadDeflateFlag | (params.contracted ? ContractedFlag : 0), true);
    view.setFloat32(HeaderOffset.near, params.near ?? 0, true);
    params.boundsMin.forEach((v, i) => view.setFloat32(HeaderOffset.boundsMin + 4 * i, v, true));
    params.boundsMax.forEach((v, i) => view.setFloat32(HeaderOffset.boundsMax + 4 * i, v, true));
    view.setFloat32(HeaderOffset.stepSize, params.stepSize, true);
    view.setFloat32(HeaderOffset.densityShift, params.densityShift, true);
    params.gridSize.forEach((v, i) => view.setUint32(HeaderOffset.gridSize + 4 * i, v, true));
    params.occupancySize.forEach((v, i) => view.setUint32(HeaderOffset.occupancySize + 4 * i, v, true));
    view.setUint32(HeaderOffset.background, backgroundCode, true);
    view.setUint32(HeaderOffset.metadataLength, metadata.length, true);
    view.setBigUint64(HeaderOffset.payloadLength, BigInt(payload.length), true);
    view.setBigUint64(HeaderOffset.uncompressedLength, BigInt(layout.byteLength), true);
    view.setUint32(HeaderOffset.crc32, Crc32Update(Crc32Update(HeaderCrc(file, RadianceFieldFormatVersion), metadata), payload), true);
    file.set(metadata, RadianceFieldHeaderBytes);
    file.set(payload, RadianceFieldHeaderBytes + metadata.length);
    return file;
}

/**
 * Reads a radiance-field file, checking magic, version, sizes, CRC and grid consistency first.
 * Version-1 files (whose CRC does not cover the header) still load, with a warning.
 * @param bytes the file
 * @param name the file's name, for error messages
 * @param onWarning called with a message for a file that loads but should be saved again (default console.warn)
 * @returns the field (whole, or an error)
 * @throws RadianceFieldFileError (message `${name}: problem`) when the file is not a readable field
 */
export async function ReadRadianceFieldAsync(bytes: ArrayBuffer, name: string, onWarning: (message: string) => void = console.warn): Promise<RadianceFieldData> {
    const fail = (problem: string): never => {
        throw new RadianceFieldFileError(name, problem);
    };
    const file = new Uint8Array(bytes);
    const view = new DataView(bytes);
    if (file.length < 4 || RadianceFieldMagic.some((byte, i) => file[i] !== byte)) {
        fail(`not a SANeRF-HQ radiance field file (its first bytes are not "SNRF")`);
    }
    const truncatedHeader = (): never => fail(`truncated header: expected ${RadianceFieldHeaderBytes} bytes, found ${file.length}`);
    if (file.length < 8) {
        truncatedHeader();
    }
    const version = view.getUint32(HeaderOffset.version, true);
    if (version < 1 || version > RadianceFieldFormatVersion) {
        const age = version > RadianceFieldFormatVersion ? "newer than this build: update the plugin to read it" : "older than this build, which cannot read it";
        fail(`format version ${version}; this build reads versions 1 to ${RadianceFieldFormatVersion} (the file is ${age})`);
    }
    if (file.length < RadianceFieldHeaderBytes) {
        truncatedHeader();
    }
    const headerLength = view.getUint32(HeaderOffset.headerLength, true);
    if (headerLength !== RadianceFieldHeaderBytes) {
        fail(`header length ${headerLength} does not match format version ${version} (${RadianceFieldHeaderBytes} bytes)`);
    }
    const flags = view.getUint32(HeaderOffset.flags, true);
    const knownFlags = version >= 3 ? PayloadDeflateFlag | ContractedFlag : PayloadDeflateFlag;
    if ((flags & PayloadDeflateFlag) === 0 || (flags & ~knownFlags) !== 0) {
        fail(`unsupported flags 0x${flags.toString(16)} (format version ${version} has bit 0x${PayloadDeflateFlag.toString(16)}: a raw-DEFLATE payload${version >= 3 ? ", and bit 0x2: contracted" : ""})`);
    }
    const params = ReadParams(view, (flags & ContractedFlag) !== 0);
    const paramsProblem = FieldParamsProblem(params);
    if (paramsProblem) {
        fail(paramsProblem);
    }
    const background = BackgroundCodes[view.getUint32(HeaderOffset.background, true)];
    if (!background) {
        fail(`unknown background code ${view.getUint32(HeaderOffset.background, true)} (0 = white, 1 = black)`);
    }
    const layout = PayloadLayoutOf(params);
    const uncompressedLength = Number(view.getBigUint64(HeaderOffset.uncompressedLength, true));
    if (uncompressedLength !== layout.byteLength) {
        fail(
            `grid sizes do not match the payload: a ${SizeText(params.gridSize)} grid (${layout.voxelCount} points × 13 values) with ` +
                `${SizeText(params.occupancySize)} occupancy cells (${layout.occupancyWords} words) needs ${layout.byteLength} bytes, the header declares ${uncompressedLength}`
        );
    }
    const metadataLength = view.getUint32(HeaderOffset.metadataLength, true);
    const payloadLength = Number(view.getBigUint64(HeaderOffset.payloadLength, true));
    const declaredLength = RadianceFieldHeaderBytes + metadataLength + payloadLength;
    if (file.length < declaredLength) {
        fail(
            `truncated: expected ${declaredLength} bytes (header ${RadianceFieldHeaderBytes} + metadata ${metadataLength} + payload ${payloadLength}), found ${file.length}`
        );
    }
    if (file.length > declaredLength) {
        fail(`${file.length - declaredLength} unexpected bytes after the declared end: expected ${declaredLength} bytes, found ${file.length}`);
    }
    const metadataBytes = file.subarray(RadianceFieldHeaderBytes, RadianceFieldHeaderBytes + metadataLength);
    const payload = file.subarray(RadianceFieldHeaderBytes + metadataLength);
    const storedCrc = view.getUint32(HeaderOffset.crc32, true);
    const headerCrc = HeaderCrc(file, version);
    const actualCrc = Crc32Update(Crc32Update(headerCrc, metadataBytes), payload);
    if (storedCrc !== actualCrc) {
        fail(`corrupt: CRC-32 mismatch (the header says 0x${Hex32(storedCrc)}, the ${version === 1 ? "data" : "header and data"} give 0x${Hex32(actualCrc)})`);
    }
    if (version === 1) {
        onWarning(`${name}: format version 1, whose CRC does not cover the header (grid, bounds, step size); save it again to protect it all`);
    }
    const metadata = ParseMetadata(metadataBytes, fail);
    const inflated = await InflateRawExactAsync(payload, layout.byteLength);
    if (inflated.kind === "invalid") {
        return fail(`corrupt: the payload is not valid raw DEFLATE data (${inflated.reason})`);
    }
    if (inflated.kind === "size-mismatch") {
        const found = inflated.length === undefined ? `more than ${layout.byteLength}` : `${inflated.length}`;
        return fail(`decompressed size mismatch: the header declares ${layout.byteLength} bytes, the payload inflates to ${found}`);
    }
    return { params, ...DecodePayload(inflated.bytes, layout), background: background!, metadata };
}

/** The params as the file stores them: float32 bounds and constants, sizes as given. */
function StoredParams(params: FieldParams): FieldParams {
    const f32 = (v: readonly number[]): [number, number, number] => [Math.fround(v[0]), Math.fround(v[1]), Math.fround(v[2])];
    return {
        boundsMin: f32(params.boundsMin),
        boundsMax: f32(params.boundsMax),
        stepSize: Math.fround(params.stepSize),
        densityShift: Math.fround(params.densityShift),
        gridSize: [...params.gridSize] as [number, number, number],
        occupancySize: [...params.occupancySize] as [number, number, number],
        ...(params.contracted ? { contracted: true, near: Math.fround(params.near ?? 0) } : {}),
    };
}

/** The CRC-32 of the header bytes a format version protects (none in version 1). */
function HeaderCrc(file: Uint8Array, version: number): number {
    if (version === 1) {
        return 0;
    }
    const crc = Crc32(file.subarray(0, HeaderOffset.crc32));
    return version >= 3 ? Crc32Update(crc, file.subarray(HeaderOffset.near, HeaderOffset.near + 4)) : crc;
}

/** FieldParams from the header. */
function ReadParams(view: DataView, contracted: boolean): FieldParams {
    const triple = (offset: number, read: (o: number) => number): [number, number, number] => [read(offset), read(offset + 4), read(offset + 8)];
    const f32 = (o: number): number => view.getFloat32(o, true);
    const u32 = (o: number): number => view.getUint32(o, true);
    return {
        boundsMin: triple(HeaderOffset.boundsMin, f32),
        boundsMax: triple(HeaderOffset.boundsMax, f32),
        stepSize: f32(HeaderOffset.stepSize),
        densityShift: f32(HeaderOffset.densityShift),
        gridSize: triple(HeaderOffset.gridSize, u32),
        occupancySize: triple(HeaderOffset.occupancySize, u32),
        ...(contracted ? { contracted: true, near: f32(HeaderOffset.near) } : {}),
    };
}

/** Metadata as JSON can hold it: a non-finite psnr is dropped (JSON would turn it into null). */
function StorableMetadata(metadata: FieldMetadata): FieldMetadata {
    if (metadata.psnr === undefined || Number.isFinite(metadata.psnr)) {
        return metadata;
    }
    const storable: Record<string, unknown> = { ...metadata };
    delete storable.psnr;
    return storable as unknown as FieldMetadata;
}

/** Parses and checks the metadata JSON block. */
function ParseMetadata(bytes: Uint8Array, fail: (problem: string) => never): FieldMetadata {
    let value: unknown;
    try {
        value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    } catch (error) {
        return fail(`metadata is not valid UTF-8 JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return fail("metadata is not a JSON object");
    }
    const record = value as Record<string, unknown>;
    if (typeof record.iterations !== "number") {
        fail("metadata.iterations is missing or not a number");
    }
    if (record.psnr !== undefined && typeof record.psnr !== "number") {
        fail("metadata.psnr is not a number");
    }
    if (record.captureName !== undefined && typeof record.captureName !== "string") {
        fail("metadata.captureName is not a string");
    }
    if (record.objectName !== undefined && typeof record.objectName !== "string") {
        fail("metadata.objectName is not a string");
    }
    const up = record.up;
    if (up !== undefined && !(Array.isArray(up) && up.length === 3 && up.every((v) => typeof v === "number" && Number.isFinite(v)) && Math.abs(Math.hypot(up[0], up[1], up[2]) - 1) < 1e-3)) {
        fail("metadata.up is not a unit vector of 3 numbers");
    }
    return record as unknown as FieldMetadata;
}

/** The uncompressed payload of a field (little-endian). */
function EncodePayload(field: RadianceFieldData, layout: PayloadLayout): Uint8Array {
    const payload = new Uint8Array(layout.byteLength);
    new Uint32Array(payload.buffer, 0, layout.occupancyWords).set(field.occupancy);
    EncodeFloat16Saturated(field.density, new Uint16Array(payload.buffer, layout.densityOffset, layout.voxelCount));
    EncodeFloat16Saturated(field.sh, new Uint16Array(payload.buffer, layout.shOffset, layout.voxelCount * ShCoefficientsPerPoint));
    if (!IsLittleEndian) {
        SwapByteOrder(payload, 0, layout.densityOffset, 4);
        SwapByteOrder(payload, layout.densityOffset, layout.byteLength, 2);
    }
    return payload;
}

/** The arrays of an uncompressed payload (consumes `payload`: it may be byte-swapped in place). */
function DecodePayload(payload: Uint8Array, layout: PayloadLayout): Pick<RadianceFieldData, "density" | "sh" | "occupancy"> {
    if (!IsLittleEndian) {
        SwapByteOrder(payload, 0, layout.densityOffset, 4);
        SwapByteOrder(payload, layout.densityOffset, layout.byteLength, 2);
    }
    const occupancy = new Uint32Array(payload.buffer.slice(0, layout.densityOffset));
    const density = new Float32Array(layout.voxelCount);
    DecodeFloat16(new Uint16Array(payload.buffer, layout.densityOffset, layout.voxelCount), density);
    const sh = new Float32Array(layout.voxelCount * ShCoefficientsPerPoint);
    DecodeFloat16(new Uint16Array(payload.buffer, layout.shOffset, sh.length), sh);
    return { density, sh, occupancy };
}

/** Reverses the bytes of each `size`-byte word in [start, end) (big-endian platforms only). */
function SwapByteOrder(bytes: Uint8Array, start: number, end: number, size: number): void {
    for (let i = start; i < end; i += size) {
        bytes.subarray(i, i + size).reverse();
    }
}

/** An unsigned 32-bit number as 8 hex digits. */
function Hex32(value: number): string {
    return value.toString(16).padStart(8, "0");
}

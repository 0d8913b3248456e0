/**
 * Fixed parts of the radiance-field file format (layout documented in radianceFieldFile.ts): header
 * offsets, the payload layout a grid implies, and the checks that grid parameters are sane.
 */
import { OccupancyCellCount, VoxelCount, type FieldParams } from "../../../shaders/nerf/fieldMath";
import type { FieldBackground } from "./radianceFieldData";
import { ShCoefficientsPerPoint } from "./radianceFieldData";

/** "SNRF" in ASCII: the first four bytes of every file. */
export const RadianceFieldMagic = [0x53, 0x4e, 0x52, 0x46] as const;
/**
 * The format version this build writes: 3 (whole-scene fields: the contracted flag and near). It
 * also reads versions 2 and 1 (whose CRC does not cover the header), as bounded fields.
 */
export const RadianceFieldFormatVersion = 3;
/** Bytes of the fixed header in format versions 1 to 3. */
export const RadianceFieldHeaderBytes = 104;
/** Flag bit: the payload is raw-DEFLATE compressed (always set). */
export const PayloadDeflateFlag = 1;
/** Flag bit (version 3): a contracted, whole-scene field (FieldParams.contracted). */
export const ContractedFlag = 2;
/** Largest uncompressed payload this build reads or writes (2 GiB: beyond it typed arrays fail). */
export const MaxPayloadBytes = 2 ** 31;
/** Largest grid or occupancy size per axis. */
export const MaxAxisSize = 1024;

/** Byte offsets of the header fields (see the table in radianceFieldFile.ts). */
export const HeaderOffset = {
    magic: 0,
    version: 4,
    headerLength: 8,
    flags: 12,
    boundsMin: 16,
    boundsMax: 28,
    stepSize: 40,
    densityShift: 44,
    gridSize: 48,
    occupancySize: 60,
    background: 72,
    metadataLength: 76,
    payloadLength: 80,
    uncompressedLength: 88,
    crc32: 96,
    near: 100,
} as const;

/** Background codes in the header. */
export const BackgroundCodes: readonly FieldBackground[] = ["white", "black"];

/** Where each array sits in the uncompressed payload, and its total size. */
export interface PayloadLayout {
    /** Grid points (density values; SH values are 12 per point). */
    readonly voxelCount: number;
    /** u32 words of the occupancy bitfield: ceil(cells / 32). */
    readonly occupancyWords: number;
    /** Byte offset of the f16 density values (occupancy words come first, at 0). */
    readonly densityOffset: number;
    /** Byte offset of the f16 SH coefficients. */
    readonly shOffset: number;
    /** Uncompressed payload bytes. */
    readonly byteLength: number;
}

/**
 * The payload layout of a grid: occupancy words (u32), then density (f16), then SH (f16).
 * @param params grid parameters (sizes already validated)
 * @returns offsets and size
 */
export function PayloadLayoutOf(params: FieldParams): PayloadLayout {
    const voxelCount = VoxelCount(params);
    const occupancyWords = Math.ceil(OccupancyCellCount(params) / 32);
    const densityOffset = occupancyWords * 4;
    const shOffset = densityOffset + voxelCount * 2;
    return { voxelCount, occupancyWords, densityOffset, shOffset, byteLength: shOffset + voxelCount * ShCoefficientsPerPoint * 2 };
}

/** Formats a size triple as "64×64×32". */
export function SizeText(size: readonly number[]): string {
    return size.join("×");
}

/**
 * Checks grid parameters as stored (float32 bounds and constants, integer sizes).
 * @param params the parameters
 * @returns what is wrong with them, or undefined when they are usable
 */
export function FieldParamsProblem(params: FieldParams): string | undefined {
    const { boundsMin, boundsMax, gridSize, occupancySize } = params;
    if (![...boundsMin, ...boundsMax].every(Number.isFinite)) {
        return `bounds are not finite (min ${SizeText(boundsMin)}, max ${SizeText(boundsMax)})`;
    }
    for (let axis = 0; axis < 3; axis++) {
        if (boundsMin[axis] >= boundsMax[axis]) {
            return `bounds are empty on the ${"xyz"[axis]} axis (min ${boundsMin[axis]} >= max ${boundsMax[axis]})`;
        }
    }
    if (!Number.isFinite(params.stepSize) || params.stepSize <= 0) {
        return `step size ${params.stepSize} is not a positive finite number`;
    }
    if (!Number.isFinite(params.densityShift)) {
        return `density shift ${params.densityShift} is not finite`;
    }
    if (params.contracted && !(Number.isFinite(params.near) && (params.near ?? -1) >= 0)) {
        return `near ${params.near} of a contracted field is not a finite number >= 0`;
    }
    if (!gridSize.every((n) => Number.isInteger(n) && n >= 2 && n <= MaxAxisSize)) {
        return `grid size ${SizeText(gridSize)} is out of range (each axis needs 2 to ${MaxAxisSize} points)`;
    }
    if (!occupancySize.every((n) => Number.isInteger(n) && n >= 1 && n <= MaxAxisSize)) {
        return `occupancy size ${SizeText(occupancySize)} is out of range (each axis needs 1 to ${MaxAxisSize} cells)`;
    }
    const layout = PayloadLayoutOf(params);
    if (layout.byteLength > MaxPayloadBytes) {
        return `a ${SizeText(gridSize)} grid needs ${layout.byteLength} payload bytes, more than the ${MaxPayloadBytes} this build handles`;
    }
    return undefined;
}

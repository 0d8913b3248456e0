import { DecodeGltfSplats, IsGltfFile } from "./gltfSplats";
import { DecodePlyGaussians } from "./plyGaussians";
import { ParsePlyHeader } from "./plyHeader";
import type { PlyHeader } from "./plyHeader";
import { SplatRowBytes } from "./splatCloud";
import type { SplatCloud } from "./splatCloud";
import { SplatFileError } from "./splatFileError";
import { DecodeSpzAsync } from "./spzCodec";

/** The formats a splat file can have. */
export type SplatFileFormat = "ply" | "splat" | "spz" | "sog" | "gltf";

/**
 * Whether a format's coordinates are y-up (SPZ, glTF) rather than 3DGS's y-down (PLY, .splat,
 * SOG), for writing its splats into a format of the other kind.
 * @param format the file's format
 * @returns true for y-up formats
 */
export function SplatFormatIsYUp(format: SplatFileFormat): boolean {
    return format === "spz" || format === "gltf";
}

/** A splat file read for segmentation: the splats in Babylon's rows, and what is needed to write parts of it back. */
export interface SplatFile {
    readonly format: SplatFileFormat;
    readonly cloud: SplatCloud;
    /** The PLY's header and bytes when the file is a standard (uncompressed) 3DGS PLY, so objects are written with their records unchanged. */
    readonly ply?: { readonly header: PlyHeader; readonly bytes: Uint8Array };
}

/** Properties a 3DGS PLY's vertex element must have. */
const RequiredPlyProperties = ["x", "y", "z"];

/** Turns a compressed PLY (PlayCanvas / SuperSplat chunked layout) into splat rows; the scene layer passes Babylon's converter. */
export type CompressedPlyConverter = (bytes: ArrayBuffer) => Promise<ArrayBuffer>;

/** Turns a SOG bundle (a zip of meta.json and WebP images) into splat rows; the scene layer passes Babylon's SOG parser (it decodes images). */
export type SogDecoder = (bytes: Uint8Array) => Promise<{ rows: ArrayBuffer; shDegree: number }>;

/** Decoders of the formats that need more than this module (images, Babylon's converters). */
export interface SplatFileDecoders {
    readonly compressedPly?: CompressedPlyConverter;
    readonly sog?: SogDecoder;
}

/**
 * Reads a Gaussian-splat file: a 3DGS PLY (SH degree 0-3; the compressed PLY layout through the
 * given converter), an SPZ (versions 2-3), a `.splat` (32-byte rows), a glTF with a
 * KHR_gaussian_splatting primitive (GLB, or `.gltf` with embedded buffers) or a SOG bundle (`.sog`,
 * through the given decoder). Splat `i` here is splat `i` of the mesh Babylon's loader builds from
 * the same file.
 * @param bytes the file
 * @param file its name (the extension tells `.splat` rows from the rest)
 * @param decoders decoders for compressed PLY and SOG files (without them those are refused with a message)
 * @returns the splats
 * @throws SplatFileError for an empty, truncated or unrecognised file, zero splats or non-finite values
 */
export async function ReadSplatFileAsync(bytes: Uint8Array, file: string, decoders: SplatFileDecoders = {}): Promise<SplatFile> {
    if (bytes.length === 0) {
        throw new SplatFileError(file, "the file is empty");
    }
    let result: SplatFile;
    if (bytes[0] === 0x70 && bytes[1] === 0x6c && bytes[2] === 0x79) {
        result = await ReadPlyAsync(bytes, file, decoders.compressedPly);
    } else if (IsGltfFile(bytes, file)) {
        result = { format: "gltf", cloud: DecodeGltfSplats(bytes, file) };
    } else if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
        if (!decoders.sog) {
            throw new SplatFileError(file, "a SOG bundle (zip) needs Babylon's SOG parser: load it through the plugin's scene loader");
        }
        const { rows, shDegree } = await decoders.sog(bytes);
        result = { format: "sog", cloud: { name: file, count: rows.byteLength / SplatRowBytes, rows, shDegree } };
    } else if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
        result = { format: "spz", cloud: await DecodeSpzAsync(bytes, file) };
    } else if (bytes[0] === 0x4e && bytes[1] === 0x47 && bytes[2] === 0x53 && bytes[3] === 0x50) {
        throw new SplatFileError(file, "SPZ version 4 (uncompressed NGSP stream) is not supported: save it as SPZ version 2 or 3, or as PLY");
    } else if (/\.splat$/i.test(file)) {
        if (bytes.length % SplatRowBytes !== 0) {
            throw new SplatFileError(file, `a .splat file holds 32-byte rows, but its ${bytes.length} bytes are not a multiple of 32 (truncated?)`);
        }
        const rows = bytes.slice().buffer;
        result = { format: "splat", cloud: { name: file, count: bytes.length / SplatRowBytes, rows, shDegree: 0 } };
    } else {
        throw new SplatFileError(file, "not a splat file: expected a PLY header, a gzip-compressed SPZ, a SOG zip, a glTF with KHR_gaussian_splatting, or a .splat file of 32-byte rows");
    }
    if (result.cloud.count === 0) {
        throw new SplatFileError(file, "the file holds zero splats");
    }
    CheckFinite(result.cloud);
    return result;
}

async function ReadPlyAsync(bytes: Uint8Array, file: string, convertCompressedPly?: CompressedPlyConverter): Promise<SplatFile> {
    const header = ParsePlyHeader(bytes, file);
    const vertex = header.elements.find((element) => element.name === "vertex");
    if (!vertex) {
        throw new SplatFileError(file, "PLY has no 'vertex' element, so it holds no splats");
    }
    if (vertex.count === 0) {
        throw new SplatFileError(file, "the file holds zero splats");
    }
    const compressed = header.elements.some((element) => element.name === "chunk");
    const missing = RequiredPlyProperties.filter((name) => !vertex.properties.some((property) => property.name === name));
    if (!compressed && missing.length > 0) {
        throw new SplatFileError(file, `PLY vertex element lacks ${missing.join(", ")}: not a Gaussian-splat PLY`);
    }
    if (!compressed && !vertex.properties.some((property) => property.name.startsWith("scale_"))) {
        throw new SplatFileError(file, "PLY vertices have no scale_0..2: a point cloud, not Gaussian splats");
    }
    const expected = header.headerBytes + header.dataBytes;
    if (bytes.length < expected) {
        throw new SplatFileError(file, `PLY body is truncated: ${bytes.length} bytes for ${vertex.count} splats, expected ${expected}`);
    }
    const rest = vertex.properties.filter((property) => property.name.startsWith("f_rest_")).length;
    const shDegree = rest >= 45 ? 3 : rest >= 24 ? 2 : rest >= 9 ? 1 : 0;
    const standard = !compressed && header.elements[0] === vertex;
    let rows: ArrayBuffer;
    if (compressed) {
        if (!convertCompressedPly) {
            throw new SplatFileError(file, "compressed PLY (chunked layout) needs Babylon's converter: load it through the plugin's scene loader");
        }
        rows = await convertCompressedPly(bytes.slice().buffer);
        if (rows.byteLength !== vertex.count * SplatRowBytes) {
            throw new SplatFileError(file, `the compressed PLY converter gave ${rows.byteLength / SplatRowBytes} splats for ${vertex.count} vertices`);
        }
    } else if (!standard) {
        throw new SplatFileError(file, `PLY's first element is "${header.elements[0].name}", not "vertex": not a Gaussian-splat PLY`);
    } else {
        rows = DecodePlyGaussians(bytes, header, vertex);
    }
    return { format: "ply", cloud: { name: file, count: vertex.count, rows, shDegree }, ...(standard ? { ply: { header, bytes } } : {}) };
}

/** Throws on the first splat with a non-finite position or scale. */
function CheckFinite(cloud: SplatCloud): void {
    const f = new Float32Array(cloud.rows);
    for (let i = 0; i < cloud.count; i++) {
        for (let k = 0; k < 6; k++) {
            if (!Number.isFinite(f[i * 8 + k])) {
                throw new SplatFileError(cloud.name, `splat ${i} has a non-finite ${k < 3 ? "position" : "scale"} (${f[i * 8 + k]})`);
            }
        }
    }
}

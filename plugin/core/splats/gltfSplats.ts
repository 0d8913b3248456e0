import { SplatRowBytes, ShC0 } from "./splatCloud";
import type { SplatCloud } from "./splatCloud";
import { SplatFileError } from "./splatFileError";

/** The extension a glTF primitive of Gaussian splats carries. */
export const GltfSplatExtension = "KHR_gaussian_splatting";

const GlbMagic = 0x46546c67; // "glTF"

/** Required extensions the reader handles (quantised accessors are read as glTF defines them; the rest do not touch splat data). */
const ReadableRequiredExtensions = new Set([GltfSplatExtension, "KHR_mesh_quantization", "KHR_materials_unlit", "KHR_texture_transform"]);
const JsonChunk = 0x4e4f534a;
const BinChunk = 0x004e4942;

/** Floats per element of each accessor type. */
const TypeSizes: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4 };
/** Bytes per component of each glTF component type. */
const ComponentBytes: Record<number, number> = { 5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4 };

interface GltfAccessor {
    readonly bufferView?: number;
    readonly byteOffset?: number;
    readonly componentType: number;
    readonly normalized?: boolean;
    readonly count: number;
    readonly type: string;
    readonly sparse?: unknown;
}

interface GltfDocument {
    readonly asset?: { readonly version?: string };
    readonly extensionsRequired?: readonly string[];
    readonly buffers?: readonly { readonly uri?: string; readonly byteLength: number }[];
    readonly bufferViews?: readonly { readonly buffer: number; readonly byteOffset?: number; readonly byteLength: number; readonly byteStride?: number }[];
    readonly accessors?: readonly GltfAccessor[];
    readonly meshes?: readonly { readonly primitives: readonly { readonly attributes: Record<string, number>; readonly mode?: number; readonly extensions?: Record<string, unknown> }[] }[];
}

/**
 * Whether the bytes are a glTF file: a binary GLB, or a JSON glTF whose name ends in `.gltf`.
 * @param bytes the file
 * @param file its name
 * @returns true for glTF
 */
export function IsGltfFile(bytes: Uint8Array, file: string): boolean {
    return (bytes.length >= 4 && new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true) === GlbMagic) || /\.gltf$/i.test(file);
}

/**
 * Whether a glTF file holds Gaussian splats (lists KHR_gaussian_splatting among its extensions).
 * @param bytes the file
 * @param file its name
 * @returns false for a glTF of meshes only, or one that cannot be parsed
 */
export function IsGltfSplatFile(bytes: Uint8Array, file: string): boolean {
    if (!IsGltfFile(bytes, file)) {
        return false;
    }
    try {
        const { json } = ParseGltfContainer(bytes, file);
        return (json as { extensionsUsed?: string[] }).extensionsUsed?.includes(GltfSplatExtension) ?? false;
    } catch {
        return false;
    }
}

/**
 * Reads the Gaussian splats of a glTF file (GLB, or `.gltf` with its buffers embedded as data URIs)
 * whose one mesh primitive carries KHR_gaussian_splatting, into Babylon's rows exactly as Babylon's
 * glTF extension converts them (linear scale, colour from the SH DC term or COLOR_0, linear opacity,
 * quaternion x, y, z, w): splat `i` here is splat `i` of the mesh Babylon's loader builds. The
 * coordinates are the primitive's own (node transforms are the scene placement's business).
 * @param bytes the file
 * @param file its name, for messages
 * @returns the splats
 * @throws SplatFileError naming the file: truncated, external buffers, no or several splat primitives, missing or mismatched attributes
 */
export function DecodeGltfSplats(bytes: Uint8Array, file: string): SplatCloud {
    const { json, bin } = ParseGltfContainer(bytes, file);
    const unreadable = (json.extensionsRequired ?? []).filter((name) => !ReadableRequiredExtensions.has(name));
    if (unreadable.length > 0) {
        throw new SplatFileError(file, `glTF requires ${unreadable.join(", ")}, which the splat reader does not decode: save it without that compression`);
    }
    const primitives = (json.meshes ?? []).flatMap((mesh) => mesh.primitives ?? []).filter((primitive) => primitive.extensions?.[GltfSplatExtension] !== undefined);
    if (primitives.length === 0) {
        throw new SplatFileError(file, `glTF holds no ${GltfSplatExtension} primitive: no Gaussian splats (a mesh glTF goes to the Objects section's import)`);
    }
    if (primitives.length > 1) {
        throw new SplatFileError(file, `glTF holds ${primitives.length} Gaussian-splat primitives: one splat scene per file can be segmented (merge them, or save each as its own file)`);
    }
    const primitive = primitives[0];
    if (primitive.mode !== undefined && primitive.mode !== 0) {
        throw new SplatFileError(file, `its Gaussian-splat primitive has mode ${primitive.mode}: the extension requires POINTS (0)`);
    }
    const buffers = LoadBuffers(json, bin, file);
    const read = (attribute: string, size: number): Float32Array | null => {
        const index = primitive.attributes[attribute];
        return index === undefined ? null : ReadFloatAccessor(json, buffers, index, attribute, size, file);
    };
    const positions = read("POSITION", 3);
    if (!positions) {
        throw new SplatFileError(file, "its Gaussian-splat primitive has no POSITION attribute");
    }
    const count = positions.length / 3;
    if (count === 0) {
        throw new SplatFileError(file, "the file holds zero splats");
    }
    const rotations = read(`${GltfSplatExtension}:ROTATION`, 4);
    const scales = read(`${GltfSplatExtension}:SCALE`, 3);
    const opacities = read(`${GltfSplatExtension}:OPACITY`, 1);
    const dc = read(`${GltfSplatExtension}:SH_DEGREE_0_COEF_0`, 3);
    const colorAccessor = primitive.attributes.COLOR_0;
    const colorStride = colorAccessor === undefined ? 0 : (TypeSizes[json.accessors?.[colorAccessor]?.type ?? ""] ?? 0);
    const colors = colorAccessor === undefined ? null : read("COLOR_0", colorStride);
    for (const [name, values, size] of [["ROTATION", rotations, 4], ["SCALE", scales, 3], ["OPACITY", opacities, 1], ["SH_DEGREE_0_COEF_0", dc, 3], ["COLOR_0", colors, colorStride]] as const) {
        if (values && values.length !== count * size) {
            throw new SplatFileError(file, `its ${name} attribute holds ${values.length / size} values for ${count} splats`);
        }
    }
    let shDegree = 0;
    while (shDegree < 3 && primitive.attributes[`${GltfSplatExtension}:SH_DEGREE_${shDegree + 1}_COEF_0`] !== undefined) {
        shDegree++;
    }
    const rows = new ArrayBuffer(count * SplatRowBytes);
    const f = new Float32Array(rows);
    const b = new Uint8Array(rows);
    for (let i = 0; i < count; i++) {
        const p = i * 3;
        f.set([positions[p], positions[p + 1], positions[p + 2]], i * 8);
        f.set(scales ? [scales[p], scales[p + 1], scales[p + 2]] : [1, 1, 1], i * 8 + 3);
        const o = i * SplatRowBytes + 24;
        for (let c = 0; c < 3; c++) {
            b[o + c] = dc ? Clamp255((0.5 + ShC0 * dc[p + c]) * 255) : colors ? Clamp255(colors[i * colorStride + c] * 255) : 255;
        }
        b[o + 3] = opacities ? Clamp255(opacities[i] * 255) : colors && colorStride >= 4 ? Clamp255(colors[i * colorStride + 3] * 255) : 255;
        const r = i * 4;
        const [qx, qy, qz, qw] = rotations ? [rotations[r], rotations[r + 1], rotations[r + 2], rotations[r + 3]] : [0, 0, 0, 1];
        b.set([Clamp255(qw * 127.5 + 127.5), Clamp255(qx * 127.5 + 127.5), Clamp255(qy * 127.5 + 127.5), Clamp255(qz * 127.5 + 127.5)], o + 4);
    }
    return { name: file, count, rows, shDegree };
}

/** Babylon's glTF extension's byte rounding. */
function Clamp255(value: number): number {
    return value <= 0 ? 0 : value >= 255 ? 255 : (value + 0.5) | 0;
}

function ParseGltfContainer(bytes: Uint8Array, file: string): { json: GltfDocument; bin: Uint8Array | null } {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let text: string;
    let bin: Uint8Array | null = null;
    if (bytes.length >= 4 && view.getUint32(0, true) === GlbMagic) {
        if (bytes.length < 20) {
            throw new SplatFileError(file, `GLB is truncated: ${bytes.length} bytes, not even a header and a chunk`);
        }
        const version = view.getUint32(4, true);
        if (version !== 2) {
            throw new SplatFileError(file, `GLB version ${version}: only glTF 2.0 is read`);
        }
        const length = view.getUint32(8, true);
        if (length > bytes.length) {
            throw new SplatFileError(file, `GLB is truncated: its header says ${length} bytes, the file has ${bytes.length}`);
        }
        let offset = 12;
        text = "";
        while (offset + 8 <= length) {
            const chunkLength = view.getUint32(offset, true);
            const chunkType = view.getUint32(offset + 4, true);
            if (offset + 8 + chunkLength > length) {
                throw new SplatFileError(file, `GLB is truncated: a chunk of ${chunkLength} bytes runs past the file's end`);
            }
            const chunk = bytes.subarray(offset + 8, offset + 8 + chunkLength);
            if (chunkType === JsonChunk) {
                text = new TextDecoder().decode(chunk);
            } else if (chunkType === BinChunk && !bin) {
                bin = chunk;
            }
            offset += 8 + chunkLength;
        }
        if (!text) {
            throw new SplatFileError(file, "GLB has no JSON chunk");
        }
    } else {
        text = new TextDecoder().decode(bytes);
    }
    try {
        return { json: JSON.parse(text) as GltfDocument, bin };
    } catch (error) {
        throw new SplatFileError(file, `its glTF JSON cannot be parsed (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    }
}

function LoadBuffers(json: GltfDocument, bin: Uint8Array | null, file: string): Uint8Array[] {
    return (json.buffers ?? []).map((buffer, index) => {
        let data: Uint8Array;
        if (buffer.uri === undefined) {
            if (!bin) {
                throw new SplatFileError(file, `glTF buffer ${index} has no URI and the file has no binary chunk`);
            }
            data = bin;
        } else if (buffer.uri.startsWith("data:")) {
            const comma = buffer.uri.indexOf(",");
            if (comma < 0 || !buffer.uri.slice(0, comma).endsWith(";base64")) {
                throw new SplatFileError(file, `glTF buffer ${index}'s data URI is not base64`);
            }
            data = Uint8Array.from(atob(buffer.uri.slice(comma + 1)), (c) => c.charCodeAt(0));
        } else {
            throw new SplatFileError(file, `glTF buffer ${index} is the external file "${buffer.uri}": save the scene as one .glb (or embed its buffers)`);
        }
        if (data.length < buffer.byteLength) {
            throw new SplatFileError(file, `glTF buffer ${index} is truncated: ${data.length} bytes of ${buffer.byteLength}`);
        }
        return data;
    });
}

function ReadFloatAccessor(json: GltfDocument, buffers: readonly Uint8Array[], index: number, attribute: string, size: number, file: string): Float32Array {
    const accessor = json.accessors?.[index];
    if (!accessor) {
        throw new SplatFileError(file, `${attribute} names accessor ${index}, which the file does not have`);
    }
    if (TypeSizes[accessor.type] !== size) {
        throw new SplatFileError(file, `${attribute} is ${accessor.type}, expected ${size === 1 ? "SCALAR" : `VEC${size}`}`);
    }
    if (accessor.sparse !== undefined || accessor.bufferView === undefined) {
        throw new SplatFileError(file, `${attribute}'s accessor is sparse or has no buffer view, which splat files do not use`);
    }
    const bufferView = json.bufferViews?.[accessor.bufferView];
    const componentBytes = ComponentBytes[accessor.componentType];
    const buffer = bufferView ? buffers[bufferView.buffer] : undefined;
    if (!bufferView || !buffer || !componentBytes) {
        throw new SplatFileError(file, `${attribute}'s accessor points at a missing buffer view or buffer, or has component type ${accessor.componentType}`);
    }
    const stride = bufferView.byteStride ?? componentBytes * size;
    const start = (bufferView.byteOffset ?? 0) + (accessor.byteOffset ?? 0);
    const end = start + (accessor.count - 1) * stride + componentBytes * size;
    if (accessor.count > 0 && (end > (bufferView.byteOffset ?? 0) + bufferView.byteLength || end > buffer.length)) {
        throw new SplatFileError(file, `${attribute} runs past the end of its buffer (truncated file?)`);
    }
    const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    const out = new Float32Array(accessor.count * size);
    for (let i = 0; i < accessor.count; i++) {
        for (let c = 0; c < size; c++) {
            out[i * size + c] = ReadComponent(view, start + i * stride + c * componentBytes, accessor.componentType, accessor.normalized ?? false);
        }
    }
    return out;
}

function ReadComponent(view: DataView, offset: number, type: number, normalized: boolean): number {
    switch (type) {
        case 5126:
            return view.getFloat32(offset, true);
        case 5121:
            return normalized ? view.getUint8(offset) / 255 : view.getUint8(offset);
        case 5120:
            return normalized ? Math.max(view.getInt8(offset) / 127, -1) : view.getInt8(offset);
        case 5123:
            return normalized ? view.getUint16(offset, true) / 65535 : view.getUint16(offset, true);
        case 5122:
            return normalized ? Math.max(view.getInt16(offset, true) / 32767, -1) : view.getInt16(offset, true);
        default:
            return view.getUint32(offset, true);
    }
}

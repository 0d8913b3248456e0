import type { PlyElement, PlyHeader } from "./plyHeader";
import { ShC0, SplatRowBytes, WriteSplat } from "./splatCloud";

/** Reads one scalar of a PLY record by its type. */
type ScalarReader = (view: DataView, at: number) => number;

const Readers: Readonly<Record<string, ScalarReader>> = {
    char: (v, at) => v.getInt8(at), int8: (v, at) => v.getInt8(at),
    uchar: (v, at) => v.getUint8(at), uint8: (v, at) => v.getUint8(at),
    short: (v, at) => v.getInt16(at, true), int16: (v, at) => v.getInt16(at, true),
    ushort: (v, at) => v.getUint16(at, true), uint16: (v, at) => v.getUint16(at, true),
    int: (v, at) => v.getInt32(at, true), int32: (v, at) => v.getInt32(at, true),
    uint: (v, at) => v.getUint32(at, true), uint32: (v, at) => v.getUint32(at, true),
    float: (v, at) => v.getFloat32(at, true), float32: (v, at) => v.getFloat32(at, true),
    double: (v, at) => v.getFloat64(at, true), float64: (v, at) => v.getFloat64(at, true),
};

/**
 * Decodes the vertex records of a standard 3DGS PLY (x, y, z, f_dc_0..2 or red/green/blue,
 * opacity as a logit, scale_0..2 as logs, rot_0..3 as w, x, y, z) into splat rows, as Babylon's
 * PLY converter does: colour 0.5 + SH_C0 * f_dc, opacity sigmoid, scale exp, rotation normalised.
 * Missing properties take Babylon's defaults (white, opaque, unit scale, no rotation).
 * @param bytes the whole file
 * @param header its header
 * @param vertex the vertex element (the first element)
 * @returns count * 32 bytes
 */
export function DecodePlyGaussians(bytes: Uint8Array, header: PlyHeader, vertex: PlyElement): ArrayBuffer {
    const view = new DataView(bytes.buffer, bytes.byteOffset + header.headerBytes, vertex.count * vertex.stride);
    const field = (name: string): ((record: number) => number) | null => {
        const property = vertex.properties.find((p) => p.name === name);
        if (!property) {
            return null;
        }
        const read = Readers[property.type];
        return (record) => read(view, record + property.offset);
    };
    const get = (names: readonly string[]): ((record: number) => number) | null => names.map(field).find((f) => f !== null) ?? null;
    const position = [field("x"), field("y"), field("z")];
    const dc = [get(["f_dc_0"]), get(["f_dc_1"]), get(["f_dc_2"])];
    const byteColor = [get(["red", "diffuse_red"]), get(["green", "diffuse_green"]), get(["blue", "diffuse_blue"])];
    const opacity = field("opacity");
    const scale = [field("scale_0"), field("scale_1"), field("scale_2")];
    const rotation = [field("rot_0"), field("rot_1"), field("rot_2"), field("rot_3")];
    const rows = new ArrayBuffer(vertex.count * SplatRowBytes);
    for (let i = 0; i < vertex.count; i++) {
        const record = i * vertex.stride;
        const color = [0, 1, 2].map((c) => {
            const f = dc[c];
            if (f) {
                return 0.5 + ShC0 * f(record);
            }
            const b = byteColor[c];
            return b ? b(record) / 255 : 1;
        });
        WriteSplat(rows, i, {
            position: [position[0]?.(record) ?? 0, position[1]?.(record) ?? 0, position[2]?.(record) ?? 0],
            scale: [0, 1, 2].map((a) => Math.exp(scale[a]?.(record) ?? 0)) as [number, number, number],
            rotation: rotation[0] ? (rotation.map((r) => r?.(record) ?? 0) as [number, number, number, number]) : [1, 0, 0, 0],
            color: color as [number, number, number],
            opacity: opacity ? 1 / (1 + Math.exp(-opacity(record))) : 1,
        });
    }
    return rows;
}

/**
 * One scalar property of every vertex of a PLY (e.g. a label written beside the splats).
 * @param bytes the whole file
 * @param header its header
 * @param name the property
 * @returns one value per vertex, or null when the vertex element lacks the property
 */
export function ReadPlyVertexProperty(bytes: Uint8Array, header: PlyHeader, name: string): Float64Array | null {
    const vertex = header.elements[0];
    const property = vertex?.name === "vertex" ? vertex.properties.find((p) => p.name === name) : undefined;
    if (!property) {
        return null;
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset + header.headerBytes, vertex.count * vertex.stride);
    const read = Readers[property.type];
    return Float64Array.from({ length: vertex.count }, (_, i) => read(view, i * vertex.stride + property.offset));
}

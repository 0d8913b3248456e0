import { WritePlyHeader } from "./plyHeader";
import type { PlyProperty } from "./plyHeader";
import { ReadSplat, ShC0 } from "./splatCloud";
import type { SplatCloud } from "./splatCloud";
import type { SplatFile } from "./splatFile";

/** The standard 3DGS vertex layout this writer produces for clouds that did not come from a PLY. */
const StandardProperties: readonly PlyProperty[] = ["x", "y", "z", "nx", "ny", "nz", "f_dc_0", "f_dc_1", "f_dc_2", "opacity", "scale_0", "scale_1", "scale_2", "rot_0", "rot_1", "rot_2", "rot_3"].map(
    (name, index) => ({ name, type: "float", size: 4, offset: index * 4 }),
);

/**
 * Writes the chosen splats of a file as a 3DGS PLY in the file's coordinates. When the file is a
 * standard PLY its header is kept (the vertex count changed, other elements dropped) and each
 * kept vertex record is copied byte for byte, SH and extra properties included; otherwise the
 * splats are written in the standard layout from their rows (SH degree 0).
 * @param file the splat file read by ReadSplatFileAsync
 * @param keep one flag per splat
 * @returns the PLY's bytes
 */
export function WriteSplatsAsPly(file: SplatFile, keep: ArrayLike<boolean | number>): Uint8Array {
    const count = CountKept(file.cloud.count, keep);
    if (!file.ply) {
        return WriteCloudAsPly(file.cloud, keep, count);
    }
    const vertex = file.ply.header.elements[0];
    const header = WritePlyHeader([{ name: vertex.name, count, properties: vertex.properties }], file.ply.header.otherLines);
    const out = new Uint8Array(header.length + count * vertex.stride);
    out.set(header, 0);
    const records = file.ply.bytes.subarray(file.ply.header.headerBytes);
    let next = header.length;
    for (let i = 0; i < file.cloud.count; i++) {
        if (keep[i]) {
            out.set(records.subarray(i * vertex.stride, (i + 1) * vertex.stride), next);
            next += vertex.stride;
        }
    }
    return out;
}

/**
 * Writes splats in the standard 3DGS PLY layout (floats; log scales, logit opacity, SH DC colour),
 * with optional extra one-byte properties per splat (readers that do not know them skip them).
 * @param cloud the splats
 * @param keep one flag per splat (all when omitted)
 * @param count how many flags are set, when known
 * @param extra extra uchar properties by name, one value per splat of the cloud
 * @returns the PLY's bytes
 */
export function WriteCloudAsPly(cloud: SplatCloud, keep?: ArrayLike<boolean | number>, count = keep ? CountKept(cloud.count, keep) : cloud.count, extra: Readonly<Record<string, ArrayLike<number>>> = {}): Uint8Array {
    const extraNames = Object.keys(extra);
    const properties = [...StandardProperties, ...extraNames.map((name, k) => ({ name, type: "uchar", size: 1, offset: StandardProperties.length * 4 + k }))];
    const header = WritePlyHeader([{ name: "vertex", count, properties }], ["comment written by babylon-sanerf-hq"]);
    const stride = StandardProperties.length * 4 + extraNames.length;
    const out = new Uint8Array(header.length + count * stride);
    out.set(header, 0);
    const view = new DataView(out.buffer, header.length);
    let row = 0;
    for (let i = 0; i < cloud.count; i++) {
        if (keep && !keep[i]) {
            continue;
        }
        const splat = ReadSplat(cloud, i);
        const opacity = Math.min(Math.max(splat.opacity, 1 / 512), 1 - 1 / 512);
        const values = [
            ...splat.position, 0, 0, 0,
            ...splat.color.map((c) => (c - 0.5) / ShC0),
            Math.log(opacity / (1 - opacity)),
            ...splat.scale.map((s) => Math.log(Math.max(s, 1e-30))),
            ...splat.rotation,
        ];
        values.forEach((value, k) => view.setFloat32(row * stride + k * 4, value, true));
        extraNames.forEach((name, k) => view.setUint8(row * stride + StandardProperties.length * 4 + k, extra[name][i]));
        row++;
    }
    return out;
}

function CountKept(total: number, keep: ArrayLike<boolean | number>): number {
    let count = 0;
    for (let i = 0; i < total; i++) {
        count += keep[i] ? 1 : 0;
    }
    return count;
}

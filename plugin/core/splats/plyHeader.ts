import { SplatFileError } from "./splatFileError";

/** A scalar property of a PLY element. */
export interface PlyProperty {
    readonly name: string;
    /** PLY type name as written (float, uchar, ...). */
    readonly type: string;
    /** Bytes. */
    readonly size: number;
    /** Byte offset inside the element's record. */
    readonly offset: number;
}

/** One element of a PLY file (binary, scalar properties only). */
export interface PlyElement {
    readonly name: string;
    readonly count: number;
    readonly properties: readonly PlyProperty[];
    /** Bytes per record. */
    readonly stride: number;
}

/** A binary little-endian PLY header. */
export interface PlyHeader {
    readonly elements: readonly PlyElement[];
    /** Header lines other than format, element and property (comments, obj_info), kept for writing. */
    readonly otherLines: readonly string[];
    /** Bytes up to and including `end_header\n`. */
    readonly headerBytes: number;
    /** Bytes of all elements' records. */
    readonly dataBytes: number;
}

const TypeSizes: Readonly<Record<string, number>> = {
    char: 1, int8: 1, uchar: 1, uint8: 1, short: 2, int16: 2, ushort: 2, uint16: 2,
    int: 4, int32: 4, uint: 4, uint32: 4, float: 4, float32: 4, double: 8, float64: 8,
};

/**
 * Reads the header of a binary little-endian PLY file.
 * @param bytes the whole file
 * @param file its name, for messages
 * @returns the elements, their record layout and where the data starts
 * @throws SplatFileError when the header is missing, unterminated, ASCII or big-endian, or has list properties
 */
export function ParsePlyHeader(bytes: Uint8Array, file: string): PlyHeader {
    const limit = Math.min(bytes.length, 1 << 16);
    const text = new TextDecoder("latin1").decode(bytes.subarray(0, limit));
    if (!text.startsWith("ply\n") && !text.startsWith("ply\r\n")) {
        throw new SplatFileError(file, "not a PLY file (it does not start with 'ply')");
    }
    const end = text.indexOf("end_header\n");
    if (end < 0) {
        throw new SplatFileError(file, "PLY header has no 'end_header' line (truncated or not a PLY file)");
    }
    const headerBytes = end + "end_header\n".length;
    const lines = text.slice(0, end).split(/\r?\n/).slice(1).map((line) => line.trim()).filter((line) => line.length > 0);
    const elements: { name: string; count: number; properties: PlyProperty[]; stride: number }[] = [];
    const otherLines: string[] = [];
    let format = "";
    for (const line of lines) {
        const words = line.split(/\s+/);
        if (words[0] === "format") {
            format = words[1] ?? "";
        } else if (words[0] === "element") {
            const count = Number(words[2]);
            if (!words[1] || !Number.isInteger(count) || count < 0) {
                throw new SplatFileError(file, `PLY header line "${line}" has no valid element count`);
            }
            elements.push({ name: words[1], count, properties: [], stride: 0 });
        } else if (words[0] === "property") {
            const element = elements.at(-1);
            if (!element) {
                throw new SplatFileError(file, `PLY header line "${line}" comes before any element`);
            }
            if (words[1] === "list") {
                throw new SplatFileError(file, `PLY element "${element.name}" has a list property (${words.at(-1)}); splat files have scalar properties only`);
            }
            const size = TypeSizes[words[1] ?? ""];
            if (!size || !words[2]) {
                throw new SplatFileError(file, `PLY header line "${line}" has an unknown property type`);
            }
            element.properties.push({ name: words[2], type: words[1], size, offset: element.stride });
            element.stride += size;
        } else {
            otherLines.push(line);
        }
    }
    if (format !== "binary_little_endian") {
        throw new SplatFileError(file, `PLY format "${format || "missing"}" is not supported: splat files are binary_little_endian`);
    }
    const dataBytes = elements.reduce((sum, element) => sum + element.count * element.stride, 0);
    return { elements, otherLines, headerBytes, dataBytes };
}

/**
 * Writes a header for elements laid out as given (format binary_little_endian 1.0).
 * @param elements the elements with their counts and properties
 * @param otherLines comment and obj_info lines to keep
 * @returns the header's bytes
 */
export function WritePlyHeader(elements: readonly Pick<PlyElement, "name" | "count" | "properties">[], otherLines: readonly string[] = []): Uint8Array {
    const lines = ["ply", "format binary_little_endian 1.0", ...otherLines];
    for (const element of elements) {
        lines.push(`element ${element.name} ${element.count}`);
        for (const property of element.properties) {
            lines.push(`property ${property.type} ${property.name}`);
        }
    }
    lines.push("end_header", "");
    return new TextEncoder().encode(lines.join("\n"));
}

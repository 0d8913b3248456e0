/**
 * What an image file's header says without decoding it: its stored pixel size and its EXIF
 * orientation (JPEG APP1 "Exif", PNG eXIf), and a copy of the file with that orientation set to
 * 1 so a decoder that applies EXIF orientation (browsers do; createImageBitmap's
 * `imageOrientation: "none"` is gone from the standard) gives the pixels as stored.
 */
import { Crc32 } from "../binary/crc32";

/** Header facts of an image file. */
export interface ImageFileInfo {
    /** Stored width and height (before any EXIF rotation), or 0 when the format is not known here. */
    readonly width: number;
    readonly height: number;
    /** EXIF orientation 1..8 (1 when absent): 5..8 turn the displayed image a quarter turn. */
    readonly orientation: number;
    /** Byte offset of the orientation value (2 bytes, in the TIFF's byte order), or -1. */
    readonly orientationOffset: number;
    /** True for big-endian ("MM") TIFF data. */
    readonly bigEndian: boolean;
    /** For PNG: the offset of the eXIf chunk's length field, to rewrite its CRC; else -1. */
    readonly pngChunkOffset: number;
}

const None: ImageFileInfo = { width: 0, height: 0, orientation: 1, orientationOffset: -1, bigEndian: false, pngChunkOffset: -1 };

/**
 * Reads an image file's stored size and EXIF orientation from its header (JPEG and PNG; other
 * formats give size 0 and orientation 1).
 * @param bytes the file
 * @returns what the header says
 */
export function ReadImageFileInfo(bytes: Uint8Array): ImageFileInfo {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.length > 24 && view.getUint32(0) === 0x89504e47 && view.getUint32(4) === 0x0d0a1a0a) {
        return ReadPng(bytes, view);
    }
    if (bytes.length > 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
        return ReadJpeg(bytes, view);
    }
    return None;
}

/**
 * A copy of an image file whose EXIF orientation says 1 (as stored), or the same bytes when it
 * has none (or already 1). PNG chunks get their CRC rewritten.
 * @param bytes the file
 * @param info its header facts
 * @returns bytes a decoder shows as stored
 */
export function WithStoredOrientation(bytes: Uint8Array, info: ImageFileInfo = ReadImageFileInfo(bytes)): Uint8Array {
    if (info.orientationOffset < 0 || info.orientation === 1) {
        return bytes;
    }
    const copy = bytes.slice();
    const view = new DataView(copy.buffer);
    view.setUint16(info.orientationOffset, 1, !info.bigEndian);
    if (info.pngChunkOffset >= 0) {
        const length = view.getUint32(info.pngChunkOffset);
        view.setUint32(info.pngChunkOffset + 8 + length, Crc32(copy.subarray(info.pngChunkOffset + 4, info.pngChunkOffset + 8 + length)));
    }
    return copy;
}

/**
 * The size an image is displayed at after its EXIF orientation (width and height swapped for 5..8).
 * @param info header facts
 * @returns the displayed size
 */
export function DisplayedSize(info: ImageFileInfo): { width: number; height: number } {
    return info.orientation >= 5 ? { width: info.height, height: info.width } : { width: info.width, height: info.height };
}

function ReadPng(bytes: Uint8Array, view: DataView): ImageFileInfo {
    const width = view.getUint32(16);
    const height = view.getUint32(20);
    let offset = 8;
    while (offset + 12 <= bytes.length) {
        const length = view.getUint32(offset);
        const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
        if (type === "eXIf" && offset + 8 + length <= bytes.length) {
            const tiff = ReadTiffOrientation(view, offset + 8, length);
            return { width, height, ...tiff, pngChunkOffset: tiff.orientationOffset >= 0 ? offset : -1 };
        }
        if (type === "IDAT" || type === "IEND") {
            break;
        }
        offset += 12 + length;
    }
    return { ...None, width, height };
}

function ReadJpeg(bytes: Uint8Array, view: DataView): ImageFileInfo {
    let offset = 2;
    let width = 0;
    let height = 0;
    let exif: Pick<ImageFileInfo, "orientation" | "orientationOffset" | "bigEndian"> = None;
    while (offset + 4 <= bytes.length && bytes[offset] === 0xff) {
        const marker = bytes[offset + 1];
        if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0xff) {
            offset += marker === 0xff ? 1 : 2;
            continue;
        }
        const length = view.getUint16(offset + 2);
        const start = offset + 4;
        if (marker === 0xe1 && length >= 8 && start + length - 2 <= bytes.length && view.getUint32(start) === 0x45786966 && view.getUint16(start + 4) === 0) {
            exif = ReadTiffOrientation(view, start + 6, length - 8);
        }
        // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC): precision, height, width
        if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc && start + 5 <= bytes.length) {
            height = view.getUint16(start + 1);
            width = view.getUint16(start + 3);
            break;
        }
        if (marker === 0xda) {
            break;
        }
        offset += 2 + length;
    }
    return { width, height, ...exif, pngChunkOffset: -1 };
}

/** The orientation entry of a TIFF block's first IFD. */
function ReadTiffOrientation(view: DataView, start: number, length: number): Pick<ImageFileInfo, "orientation" | "orientationOffset" | "bigEndian"> {
    const end = Math.min(view.byteLength, start + length);
    if (start + 8 > end) {
        return None;
    }
    const order = view.getUint16(start);
    if (order !== 0x4949 && order !== 0x4d4d) {
        return None;
    }
    const little = order === 0x4949;
    const ifd = start + view.getUint32(start + 4, little);
    if (ifd + 2 > end) {
        return None;
    }
    const entries = view.getUint16(ifd, little);
    for (let i = 0; i < entries; i++) {
        const entry = ifd + 2 + 12 * i;
        if (entry + 12 > end) {
            break;
        }
        if (view.getUint16(entry, little) === 0x0112 && view.getUint16(entry + 2, little) === 3) {
            const orientation = view.getUint16(entry + 8, little);
            return { orientation: orientation >= 1 && orientation <= 8 ? orientation : 1, orientationOffset: entry + 8, bigEndian: !little };
        }
    }
    return None;
}

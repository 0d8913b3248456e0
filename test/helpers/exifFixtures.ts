import { Crc32 } from "@plugin/core/binary/crc32";

/** A TIFF block (as EXIF holds) whose first IFD has one entry: Orientation = `orientation`. */
export function TiffWithOrientation(orientation: number, bigEndian: boolean): Uint8Array {
    const bytes = new Uint8Array(8 + 2 + 12 + 4);
    const view = new DataView(bytes.buffer);
    const little = !bigEndian;
    view.setUint16(0, bigEndian ? 0x4d4d : 0x4949);
    view.setUint16(2, 42, little);
    view.setUint32(4, 8, little);
    view.setUint16(8, 1, little);
    view.setUint16(10, 0x0112, little);
    view.setUint16(12, 3, little);
    view.setUint32(14, 1, little);
    view.setUint16(18, orientation, little);
    view.setUint32(22, 0, little);
    return bytes;
}

/** A JPEG file with an APP1 Exif segment (orientation) inserted after its SOI marker. */
export async function JpegWithOrientationAsync(jpeg: Blob, orientation: number, bigEndian = true): Promise<Uint8Array<ArrayBuffer>> {
    const original = new Uint8Array(await jpeg.arrayBuffer());
    const tiff = TiffWithOrientation(orientation, bigEndian);
    const segment = new Uint8Array(4 + 6 + tiff.length);
    const view = new DataView(segment.buffer);
    view.setUint16(0, 0xffe1);
    view.setUint16(2, 2 + 6 + tiff.length);
    segment.set([0x45, 0x78, 0x69, 0x66, 0, 0], 4);
    segment.set(tiff, 10);
    const out = new Uint8Array(original.length + segment.length);
    out.set(original.subarray(0, 2), 0);
    out.set(segment, 2);
    out.set(original.subarray(2), 2 + segment.length);
    return out;
}

/** A PNG file with an eXIf chunk (orientation) inserted after its IHDR chunk. */
export async function PngWithOrientationAsync(png: Blob, orientation: number): Promise<Uint8Array<ArrayBuffer>> {
    const original = new Uint8Array(await png.arrayBuffer());
    const tiff = TiffWithOrientation(orientation, false);
    const chunk = new Uint8Array(12 + tiff.length);
    const view = new DataView(chunk.buffer);
    view.setUint32(0, tiff.length);
    chunk.set([0x65, 0x58, 0x49, 0x66], 4);
    chunk.set(tiff, 8);
    view.setUint32(8 + tiff.length, Crc32(chunk.subarray(4, 8 + tiff.length)));
    const ihdrEnd = 8 + 12 + 13;
    const out = new Uint8Array(original.length + chunk.length);
    out.set(original.subarray(0, ihdrEnd), 0);
    out.set(chunk, ihdrEnd);
    out.set(original.subarray(ihdrEnd), ihdrEnd + chunk.length);
    return out;
}

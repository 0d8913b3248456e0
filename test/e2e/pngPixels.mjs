// Decodes the 8-bit, non-interlaced PNG files the pipeline writes (grey, RGB or RGBA) into their
// pixels, with node's zlib: the end-to-end tests compare outputs pixel for pixel.
import zlib from "node:zlib";

const channelsOf = { 0: 1, 2: 3, 6: 4 };

/**
 * @param {Buffer} file the PNG file
 * @returns {{ width: number, height: number, channels: number, pixels: Uint8Array }}
 */
export function decodePng(file) {
    if (file.subarray(1, 4).toString() !== "PNG") {
        throw new Error("not a PNG file");
    }
    let offset = 8;
    let width = 0;
    let height = 0;
    let channels = 0;
    const idat = [];
    while (offset < file.length) {
        const length = file.readUInt32BE(offset);
        const type = file.subarray(offset + 4, offset + 8).toString();
        const data = file.subarray(offset + 8, offset + 8 + length);
        if (type === "IHDR") {
            width = data.readUInt32BE(0);
            height = data.readUInt32BE(4);
            channels = channelsOf[data[9]];
            if (data[8] !== 8 || !channels || data[12] !== 0) {
                throw new Error(`unsupported PNG: bit depth ${data[8]}, colour type ${data[9]}, interlace ${data[12]}`);
            }
        } else if (type === "IDAT") {
            idat.push(data);
        }
        offset += 12 + length;
    }
    const raw = zlib.inflateSync(Buffer.concat(idat));
    const stride = width * channels;
    const pixels = new Uint8Array(height * stride);
    for (let y = 0; y < height; y++) {
        const filter = raw[y * (stride + 1)];
        const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
        for (let x = 0; x < stride; x++) {
            const left = x >= channels ? pixels[y * stride + x - channels] : 0;
            const up = y > 0 ? pixels[(y - 1) * stride + x] : 0;
            const upLeft = y > 0 && x >= channels ? pixels[(y - 1) * stride + x - channels] : 0;
            const p = left + up - upLeft;
            const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
            const paeth = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
            const predictor = [0, left, up, (left + up) >> 1, paeth][filter];
            if (predictor === undefined) {
                throw new Error(`bad PNG filter ${filter} in row ${y}`);
            }
            pixels[y * stride + x] = (row[x] + predictor) & 0xff;
        }
    }
    return { width, height, channels, pixels };
}

/**
 * Encodes 8-bit grey pixels as a PNG file (no filtering), for test inputs.
 * @param {number} width
 * @param {number} height
 * @param {Uint8Array} pixels width × height grey values
 * @returns {Buffer}
 */
export function encodeGreyPng(width, height, pixels) {
    const crcTable = Array.from({ length: 256 }, (_, n) => {
        let c = n;
        for (let k = 0; k < 8; k++) {
            c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
        }
        return c >>> 0;
    });
    const crc = (bytes) => (bytes.reduce((c, b) => crcTable[(c ^ b) & 0xff] ^ (c >>> 8), 0xffffffff) ^ 0xffffffff) >>> 0;
    const chunk = (type, data) => {
        const out = Buffer.alloc(12 + data.length);
        out.writeUInt32BE(data.length, 0);
        out.write(type, 4, "latin1");
        data.copy(out, 8);
        out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length);
        return out;
    };
    const header = Buffer.alloc(13);
    header.writeUInt32BE(width, 0);
    header.writeUInt32BE(height, 4);
    header[8] = 8;
    const raw = Buffer.alloc(height * (width + 1));
    for (let y = 0; y < height; y++) {
        Buffer.from(pixels.subarray(y * width, (y + 1) * width)).copy(raw, y * (width + 1) + 1);
    }
    return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", zlib.deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

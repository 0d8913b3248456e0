/**
 * CRC-32 as in zlib, PNG and ZIP (reflected polynomial 0xEDB88320, initial value and final XOR
 * 0xFFFFFFFF): Crc32 of the ASCII bytes "123456789" is 0xCBF43926. Slicing-by-8 tables, built once,
 * so large payloads (tens of MB) take tens of milliseconds.
 */

let tables: Uint32Array[] | undefined;

/** The eight 256-entry lookup tables of slicing-by-8. */
function Crc32Tables(): Uint32Array[] {
    if (tables) {
        return tables;
    }
    const built = Array.from({ length: 8 }, () => new Uint32Array(256));
    for (let byte = 0; byte < 256; byte++) {
        let crc = byte;
        for (let bit = 0; bit < 8; bit++) {
            crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
        }
        built[0][byte] = crc >>> 0;
    }
    for (let byte = 0; byte < 256; byte++) {
        for (let slice = 1; slice < 8; slice++) {
            const previous = built[slice - 1][byte];
            built[slice][byte] = (built[0][previous & 0xff] ^ (previous >>> 8)) >>> 0;
        }
    }
    tables = built;
    return built;
}

/**
 * Continues a CRC-32 over more bytes (start with 0; feeding parts one after another gives the CRC
 * of their concatenation).
 * @param crc the CRC of the bytes so far (0 for none)
 * @param bytes the next bytes
 * @returns the CRC of everything so far, as an unsigned 32-bit integer
 */
export function Crc32Update(crc: number, bytes: Uint8Array): number {
    const [t0, t1, t2, t3, t4, t5, t6, t7] = Crc32Tables();
    let c = ~crc >>> 0;
    let i = 0;
    const fastEnd = bytes.length - (bytes.length % 8);
    for (; i < fastEnd; i += 8) {
        const low = c ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
        c =
            t7[low & 0xff] ^
            t6[(low >>> 8) & 0xff] ^
            t5[(low >>> 16) & 0xff] ^
            t4[low >>> 24] ^
            t3[bytes[i + 4]] ^
            t2[bytes[i + 5]] ^
            t1[bytes[i + 6]] ^
            t0[bytes[i + 7]];
    }
    for (; i < bytes.length; i++) {
        c = t0[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
    }
    return ~c >>> 0;
}

/**
 * CRC-32 of some bytes.
 * @param bytes the bytes
 * @returns the CRC as an unsigned 32-bit integer
 */
export function Crc32(bytes: Uint8Array): number {
    return Crc32Update(0, bytes);
}

/**
 * IEEE 754 binary16 (half precision) conversion, without Float16Array (not in every browser).
 *
 * Encoding rounds to nearest, ties to even, straight from the float64 bits of the value (no double
 * rounding through float32), produces subnormals down to 2^-24 and keeps the sign of zero.
 * NaN stays NaN (quiet, sign kept). Half precision keeps 11 significant bits: a value round-trips
 * with a relative error of at most 2^-11 (about 4.9e-4) in the normal range (|x| >= 2^-14), and an
 * absolute error of at most 2^-25 below it.
 */

/** Largest finite half-precision value. */
export const Float16Max = 65504;

/** Bit pattern of +Infinity in half precision. */
const Float16Infinity = 0x7c00;
/** Bit pattern of the largest finite half-precision value. */
const Float16MaxBits = 0x7bff;
/** Bit pattern of a quiet NaN in half precision. */
const Float16QuietNaN = 0x7e00;

/** True on little-endian platforms (every browser in practice; typed arrays use platform order). */
export const IsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const scratch = new DataView(new ArrayBuffer(8));

/**
 * Half-precision bits of a float64 given as its two 32-bit words (IEEE semantics: overflow gives
 * infinity).
 * @param high sign, 11 exponent bits and the top 20 mantissa bits
 * @param low the low 32 mantissa bits
 * @returns the 16-bit pattern
 */
function Float16BitsFromWords(high: number, low: number): number {
    const sign = (high >>> 16) & 0x8000;
    const biasedExponent = (high >>> 20) & 0x7ff;
    const mantissaHigh = high & 0xfffff;
    if (biasedExponent === 0x7ff) {
        return sign | (mantissaHigh !== 0 || low !== 0 ? Float16QuietNaN : Float16Infinity);
    }
    const exponent = biasedExponent - 1023;
    if (exponent > 15) {
        return sign | Float16Infinity;
    }
    if (exponent >= -14) {
        // Normal: keep the top 10 mantissa bits, round on the 10 bits below them plus the sticky low word.
        const rest = mantissaHigh & 0x3ff;
        let bits = ((exponent + 15) << 10) | (mantissaHigh >>> 10);
        if (rest > 0x200 || (rest === 0x200 && (low !== 0 || (bits & 1) !== 0))) {
            bits++; // a carry into the exponent is right, up to infinity
        }
        return sign | bits;
    }
    if (exponent < -25) {
        return sign; // below half the smallest subnormal: rounds to (signed) zero
    }
    // Subnormal: the value in units of 2^-24 is the 21-bit significand shifted right by `shift`.
    const significand = 0x100000 | mantissaHigh;
    const shift = -4 - exponent; // 11..21
    const half = 1 << (shift - 1);
    const rest = significand & ((1 << shift) - 1);
    let bits = significand >>> shift;
    if (rest > half || (rest === half && (low !== 0 || (bits & 1) !== 0))) {
        bits++; // 0x3ff + 1 becomes the smallest normal, as it should
    }
    return sign | bits;
}

/**
 * Half-precision bit pattern of a number, IEEE style: values of magnitude >= 65520 become infinity.
 * @param value any number
 * @returns the 16-bit pattern
 */
export function Float16BitsFromNumber(value: number): number {
    scratch.setFloat64(0, value, true);
    return Float16BitsFromWords(scratch.getUint32(4, true), scratch.getUint32(0, true));
}

/**
 * Half-precision bit pattern of a number, saturating: finite or infinite values beyond the half
 * range become ±65504 instead of infinity; NaN stays NaN.
 * @param value any number
 * @returns the 16-bit pattern, never an infinity
 */
export function Float16BitsFromNumberSaturated(value: number): number {
    const bits = Float16BitsFromNumber(value);
    return (bits & 0x7fff) === Float16Infinity ? (bits & 0x8000) | Float16MaxBits : bits;
}

/**
 * The number a half-precision bit pattern stands for.
 * @param bits 16-bit pattern
 * @returns the value (exact: every half is a float32 and a float64)
 */
export function NumberFromFloat16Bits(bits: number): number {
    const sign = bits & 0x8000 ? -1 : 1;
    const exponent = (bits >>> 10) & 0x1f;
    const mantissa = bits & 0x3ff;
    if (exponent === 0) {
        return sign * mantissa * 2 ** -24;
    }
    if (exponent === 0x1f) {
        return mantissa === 0 ? sign * Infinity : NaN;
    }
    return sign * (1024 + mantissa) * 2 ** (exponent - 25);
}

let decodeTable: Float32Array | undefined;

/**
 * Encodes float32 values as saturated half-precision bit patterns (see Float16BitsFromNumberSaturated).
 * @param source the values
 * @param target receives the bit patterns; at least source.length long
 */
export function EncodeFloat16Saturated(source: Float32Array, target: Uint16Array): void {
    if (target.length < source.length) {
        throw new RangeError(`EncodeFloat16Saturated: the target holds ${target.length} values, the source has ${source.length}`);
    }
    // A float32 widens to float64 exactly, so going through the float64 words is correctly rounded.
    const words = new Float64Array(1);
    const halves = new Uint32Array(words.buffer);
    const highIndex = IsLittleEndian ? 1 : 0;
    for (let i = 0; i < source.length; i++) {
        words[0] = source[i];
        const bits = Float16BitsFromWords(halves[highIndex], halves[1 - highIndex]);
        target[i] = (bits & 0x7fff) === Float16Infinity ? (bits & 0x8000) | Float16MaxBits : bits;
    }
}

/**
 * Decodes half-precision bit patterns into float32 values (through a 64K-entry table built once).
 * @param source the bit patterns
 * @param target receives the values; at least source.length long
 */
export function DecodeFloat16(source: Uint16Array, target: Float32Array): void {
    if (target.length < source.length) {
        throw new RangeError(`DecodeFloat16: the target holds ${target.length} values, the source has ${source.length}`);
    }
    if (!decodeTable) {
        decodeTable = new Float32Array(65536);
        for (let bits = 0; bits < 65536; bits++) {
            decodeTable[bits] = NumberFromFloat16Bits(bits);
        }
    }
    const table = decodeTable;
    for (let i = 0; i < source.length; i++) {
        target[i] = table[source[i]];
    }
}

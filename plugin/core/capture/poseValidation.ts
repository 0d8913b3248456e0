import { CaptureError } from "./captureError";

/**
 * Reads a 4x4 camera-to-world matrix written as nested rows (or 16 numbers / 3x4 rows) and checks
 * it: finite, rigid (orthonormal rotation with determinant +1, within tolerance), last row 0 0 0 1.
 * Uniformly scaled rotations are refused too: the capture's world must be metric-consistent.
 * @param value the JSON value
 * @param file the file it came from
 * @param where where in the file ("frames[3].transform_matrix")
 * @returns 16 numbers, capture layout
 */
export function ParseCameraToWorld(value: unknown, file: string, where: string): Float64Array {
    let flat: unknown[];
    if (Array.isArray(value) && value.every((row) => Array.isArray(row))) {
        flat = (value as unknown[][]).flat();
        if (value.length === 3) {
            flat.push(0, 0, 0, 1);
        }
    } else if (Array.isArray(value)) {
        flat = value;
    } else {
        throw new CaptureError(file, `${where} is not a matrix (expected 4 rows of 4 numbers)`);
    }
    if (flat.length !== 16) {
        throw new CaptureError(file, `${where} has ${flat.length} numbers, expected 16 (a 4x4 matrix)`);
    }
    const m = new Float64Array(16);
    flat.forEach((entry, i) => {
        const number = typeof entry === "number" ? entry : typeof entry === "string" ? Number(entry) : NaN;
        if (!Number.isFinite(number)) {
            throw new CaptureError(file, `${where} has a non-finite value (${String(entry)}) at row ${Math.floor(i / 4)}, column ${i % 4}`);
        }
        m[i] = number;
    });
    CheckRigid(m, file, where);
    return m;
}

/**
 * Checks that a capture-layout 4x4 matrix is a rigid transform.
 * @param m 16 numbers, capture layout
 * @param file the file it came from
 * @param where where in the file
 * @param tolerance allowed deviation of R^T R from identity
 */
export function CheckRigid(m: Float64Array, file: string, where: string, tolerance = 1e-3): void {
    if (Math.abs(m[12]) > 1e-6 || Math.abs(m[13]) > 1e-6 || Math.abs(m[14]) > 1e-6 || Math.abs(m[15] - 1) > 1e-6) {
        throw new CaptureError(file, `${where} is not an affine pose: its last row is [${[m[12], m[13], m[14], m[15]].join(", ")}], expected [0, 0, 0, 1]`);
    }
    let worst = 0;
    for (let a = 0; a < 3; a++) {
        for (let b = 0; b < 3; b++) {
            let dot = 0;
            for (let r = 0; r < 3; r++) {
                dot += m[r * 4 + a] * m[r * 4 + b];
            }
            worst = Math.max(worst, Math.abs(dot - (a === b ? 1 : 0)));
        }
    }
    const det =
        m[0] * (m[5] * m[10] - m[6] * m[9]) - m[1] * (m[4] * m[10] - m[6] * m[8]) + m[2] * (m[4] * m[9] - m[5] * m[8]);
    if (worst > tolerance) {
        throw new CaptureError(file, `${where} is not rigid: its rotation part is not orthonormal (|R^T R - I| = ${worst.toPrecision(3)}); scaled or sheared poses are not supported`);
    }
    if (det < 0) {
        throw new CaptureError(file, `${where} is a reflection (determinant ${det.toFixed(3)}), not a rotation`);
    }
}

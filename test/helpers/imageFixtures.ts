/**
 * Encodes an RGBA image made by `fill` as a PNG blob (browser canvas encoder). Use alpha 0 or 255
 * for exact round trips (canvas stores premultiplied colour).
 * @param width image width
 * @param height image height
 * @param fill pixel colour at (x, y)
 * @returns the PNG file
 */
export async function PngFromPixels(width: number, height: number, fill: (x: number, y: number) => [number, number, number, number]): Promise<Blob> {
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext("2d")!;
    const image = context.createImageData(width, height);
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            image.data.set(fill(x, y), (y * width + x) * 4);
        }
    }
    context.putImageData(image, 0, 0);
    return canvas.convertToBlob({ type: "image/png" });
}

/**
 * A JSON file as a blob.
 * @param value the value to serialize
 * @returns the file
 */
export function JsonBlob(value: unknown): Blob {
    return new Blob([JSON.stringify(value)], { type: "application/json" });
}

/**
 * A little-endian float64 .npy file (what LLFF's poses_bounds.npy is).
 * @param data values, C order
 * @param shape array shape
 * @returns the file
 */
export function NpyFloat64Blob(data: number[], shape: number[]): Blob {
    let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${shape.join(", ")}${shape.length === 1 ? "," : ""}), }`;
    header += " ".repeat((64 - ((10 + header.length + 1) % 64)) % 64) + "\n";
    const bytes = new Uint8Array(10 + header.length + data.length * 8);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
    new DataView(bytes.buffer).setUint16(8, header.length, true);
    for (let i = 0; i < header.length; i++) {
        bytes[10 + i] = header.charCodeAt(i);
    }
    const view = new DataView(bytes.buffer, 10 + header.length);
    data.forEach((v, i) => view.setFloat64(i * 8, v, true));
    return new Blob([bytes]);
}

/**
 * A camera-to-world matrix (capture layout, OpenGL) looking from `eye` at `target`, upright
 * with respect to `worldUp` (default +y).
 * @param eye camera position
 * @param target point looked at
 * @param worldUp the world's up direction
 * @returns 4 rows of 4 numbers (transforms.json layout)
 */
export function LookAtRows(eye: [number, number, number], target: [number, number, number], worldUp: [number, number, number] = [0, 1, 0]): number[][] {
    const back = Normalize([eye[0] - target[0], eye[1] - target[1], eye[2] - target[2]]);
    const right = Normalize(Cross(worldUp, back));
    const up = Cross(back, right);
    return [
        [right[0], up[0], back[0], eye[0]],
        [right[1], up[1], back[1], eye[1]],
        [right[2], up[2], back[2], eye[2]],
        [0, 0, 0, 1],
    ];
}

function Cross(a: number[], b: number[]): [number, number, number] {
    return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

function Normalize(v: number[]): [number, number, number] {
    const l = Math.hypot(v[0], v[1], v[2]);
    return [v[0] / l, v[1] / l, v[2] / l];
}

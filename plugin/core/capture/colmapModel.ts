/**
 * COLMAP's sparse model files (cameras, images, points3D) in their text (.txt) and binary (.bin)
 * forms, as COLMAP writes them (src/colmap/scene/reconstruction_io.cc): little-endian, cameras
 * with a model id or name and its parameters, images with a world-to-camera quaternion
 * (w, x, y, z) and translation, their camera and name and the 3-D points they observe, points
 * with their position and track. Truncated or malformed files throw a CaptureError naming the
 * file, and the line or byte offset.
 */
import { CaptureError } from "./captureError";

/** COLMAP's camera models by id, with their parameter counts. */
export const ColmapCameraModels: readonly { readonly name: string; readonly parameters: number }[] = [
    { name: "SIMPLE_PINHOLE", parameters: 3 },
    { name: "PINHOLE", parameters: 4 },
    { name: "SIMPLE_RADIAL", parameters: 4 },
    { name: "RADIAL", parameters: 5 },
    { name: "OPENCV", parameters: 8 },
    { name: "OPENCV_FISHEYE", parameters: 8 },
    { name: "FULL_OPENCV", parameters: 12 },
    { name: "FOV", parameters: 5 },
    { name: "SIMPLE_RADIAL_FISHEYE", parameters: 4 },
    { name: "RADIAL_FISHEYE", parameters: 5 },
    { name: "THIN_PRISM_FISHEYE", parameters: 12 },
    { name: "RAD_TAN_THIN_PRISM_FISHEYE", parameters: 16 },
];

/** One camera of cameras.txt / cameras.bin. */
export interface ColmapCamera {
    readonly id: number;
    /** Model name (SIMPLE_PINHOLE, PINHOLE, ...). */
    readonly model: string;
    readonly width: number;
    readonly height: number;
    /** The model's parameters in COLMAP's order. */
    readonly parameters: readonly number[];
}

/** One registered image of images.txt / images.bin. */
export interface ColmapImage {
    readonly id: number;
    /** World-to-camera rotation, (w, x, y, z). */
    readonly rotation: readonly [number, number, number, number];
    /** World-to-camera translation. */
    readonly translation: readonly [number, number, number];
    readonly cameraId: number;
    /** File name relative to the images folder. */
    readonly name: string;
    /** Ids of the 3-D points it observes (unmatched keypoints left out). */
    readonly pointIds: readonly number[];
}

/** The 3-D points of points3D.txt / points3D.bin: id -> position. */
export type ColmapPoints = ReadonlyMap<number, readonly [number, number, number]>;

/** Reads little-endian values from a binary model file; running past its end names the file. */
class BinaryModelReader {
    private readonly _view: DataView;
    private _offset = 0;

    public constructor(
        bytes: ArrayBuffer,
        private readonly _file: string
    ) {
        this._view = new DataView(bytes);
    }

    public get done(): boolean {
        return this._offset === this._view.byteLength;
    }

    public uint8(): number {
        return this._read(1, (at) => this._view.getUint8(at));
    }

    public uint32(): number {
        return this._read(4, (at) => this._view.getUint32(at, true));
    }

    public int32(): number {
        return this._read(4, (at) => this._view.getInt32(at, true));
    }

    /** A uint64 as a number (counts and ids; values past 2^53 are refused). */
    public uint64(what: string): number {
        const at = this._offset;
        const value = this._read(8, (offset) => this._view.getBigUint64(offset, true));
        if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
            throw new CaptureError(this._file, `${what} at byte ${at} is ${value}, not a plausible value (corrupt file?)`);
        }
        return Number(value);
    }

    /** An int64 point id; -1 (no point) as -1. */
    public int64(): number {
        return Number(this._read(8, (at) => this._view.getBigInt64(at, true)));
    }

    public float64(): number {
        return this._read(8, (at) => this._view.getFloat64(at, true));
    }

    public skip(bytes: number): void {
        this._need(bytes);
        this._offset += bytes;
    }

    /** A NUL-terminated UTF-8 string. */
    public string(): string {
        const bytes = new Uint8Array(this._view.buffer, this._view.byteOffset);
        const end = bytes.indexOf(0, this._offset);
        if (end < 0) {
            throw new CaptureError(this._file, `truncated: a name starting at byte ${this._offset} has no terminating NUL`);
        }
        const text = new TextDecoder().decode(bytes.subarray(this._offset, end));
        this._offset = end + 1;
        return text;
    }

    /** A count of records, each at least `recordBytes` long: refuses counts the file cannot hold. */
    public count(what: string, recordBytes: number): number {
        const count = this.uint64(what);
        if (count * recordBytes > this._view.byteLength - this._offset) {
            throw new CaptureError(this._file, `truncated: ${what} is ${count} but only ${this._view.byteLength - this._offset} bytes follow at byte ${this._offset}`);
        }
        return count;
    }

    private _read<T>(bytes: number, read: (at: number) => T): T {
        this._need(bytes);
        const value = read(this._offset);
        this._offset += bytes;
        return value;
    }

    private _need(bytes: number): void {
        if (this._offset + bytes > this._view.byteLength) {
            throw new CaptureError(this._file, `truncated: ${this._view.byteLength} bytes, needed ${bytes} more at byte ${this._offset}`);
        }
    }
}

/**
 * Lines of a text model with their 1-based line numbers; comments dropped, blank lines kept
 * (images.txt writes an image's empty list of 2-D points as an empty line, the last one too).
 */
function ModelLines(text: string): { line: number; tokens: string[] }[] {
    const lines: { line: number; tokens: string[] }[] = [];
    const contents = text.split(/\r?\n/);
    if (contents[contents.length - 1] === "") {
        contents.pop(); // the file's final newline
    }
    contents.forEach((content, index) => {
        if (!content.trimStart().startsWith("#")) {
            lines.push({ line: index + 1, tokens: content.trim() === "" ? [] : content.trim().split(/\s+/) });
        }
    });
    return lines;
}

function Numbers(tokens: readonly string[], file: string, line: number, what: string): number[] {
    return tokens.map((token) => {
        const value = Number(token);
        if (!Number.isFinite(value)) {
            throw new CaptureError(file, `line ${line}: ${what} holds "${token}", not a finite number`);
        }
        return value;
    });
}

function ModelByName(name: string, file: string, where: string): { name: string; parameters: number } {
    const model = ColmapCameraModels.find((candidate) => candidate.name === name);
    if (!model) {
        throw new CaptureError(file, `${where}: unknown camera model "${name}"`);
    }
    return model;
}

/**
 * Reads cameras.txt or cameras.bin.
 * @param bytes the file
 * @param file its capture path (names it in errors; its extension picks the form)
 * @returns cameras by id
 */
export function ReadColmapCameras(bytes: ArrayBuffer, file: string): Map<number, ColmapCamera> {
    const cameras = new Map<number, ColmapCamera>();
    if (file.endsWith(".bin")) {
        const reader = new BinaryModelReader(bytes, file);
        const count = reader.count("the camera count", 24);
        for (let i = 0; i < count; i++) {
            const id = reader.uint32();
            const modelId = reader.int32();
            const model = ColmapCameraModels[modelId];
            if (!model) {
                throw new CaptureError(file, `camera ${id}: unknown camera model id ${modelId}`);
            }
            const width = reader.uint64("a width");
            const height = reader.uint64("a height");
            const parameters = Array.from({ length: model.parameters }, () => reader.float64());
            cameras.set(id, { id, model: model.name, width, height, parameters });
        }
        return cameras;
    }
    for (const { line, tokens } of ModelLines(new TextDecoder().decode(bytes))) {
        if (tokens.length === 0) {
            continue;
        }
        const where = `line ${line}`;
        if (tokens.length < 4) {
            throw new CaptureError(file, `${where}: expected CAMERA_ID MODEL WIDTH HEIGHT PARAMS[], found ${tokens.length} values`);
        }
        const model = ModelByName(tokens[1], file, where);
        const [id, width, height] = Numbers([tokens[0], tokens[2], tokens[3]], file, line, "CAMERA_ID, WIDTH or HEIGHT");
        const parameters = Numbers(tokens.slice(4), file, line, "a parameter");
        if (parameters.length !== model.parameters) {
            throw new CaptureError(file, `${where}: ${model.name} takes ${model.parameters} parameters, found ${parameters.length}`);
        }
        cameras.set(id, { id, model: model.name, width, height, parameters });
    }
    return cameras;
}

/**
 * Reads images.txt or images.bin.
 * @param bytes the file
 * @param file its capture path
 * @returns the registered images in file order
 */
export function ReadColmapImages(bytes: ArrayBuffer, file: string): ColmapImage[] {
    const images: ColmapImage[] = [];
    if (file.endsWith(".bin")) {
        const reader = new BinaryModelReader(bytes, file);
        const count = reader.count("the image count", 73);
        for (let i = 0; i < count; i++) {
            const id = reader.uint32();
            const q = [reader.float64(), reader.float64(), reader.float64(), reader.float64()] as const;
            const t = [reader.float64(), reader.float64(), reader.float64()] as const;
            const cameraId = reader.uint32();
            const name = reader.string();
            const points = reader.count(`image ${id}'s keypoint count`, 24);
            const pointIds: number[] = [];
            for (let p = 0; p < points; p++) {
                reader.skip(16);
                const pointId = reader.int64();
                if (pointId >= 0) {
                    pointIds.push(pointId);
                }
            }
            images.push({ id, rotation: q, translation: t, cameraId, name, pointIds });
        }
        return images;
    }
    const lines = ModelLines(new TextDecoder().decode(bytes));
    for (let i = 0; i < lines.length; i += 2) {
        const { line, tokens } = lines[i];
        if (tokens.length === 0 && lines.slice(i).every((rest) => rest.tokens.length === 0)) {
            break; // blank lines at the end
        }
        if (tokens.length < 10) {
            throw new CaptureError(file, `line ${line}: expected IMAGE_ID QW QX QY QZ TX TY TZ CAMERA_ID NAME, found ${tokens.length} values`);
        }
        const [id, qw, qx, qy, qz, tx, ty, tz, cameraId] = Numbers(tokens.slice(0, 9), file, line, "an id or pose value");
        const pointLine = lines[i + 1];
        if (!pointLine) {
            throw new CaptureError(file, `truncated: image ${id} (line ${line}) has no line of 2-D points after it`);
        }
        const point = Numbers(pointLine.tokens, file, pointLine.line, "a 2-D point");
        if (point.length % 3 !== 0) {
            throw new CaptureError(file, `line ${pointLine.line}: 2-D points come as X Y POINT3D_ID triples, found ${point.length} values`);
        }
        const pointIds: number[] = [];
        for (let p = 2; p < point.length; p += 3) {
            if (point[p] >= 0) {
                pointIds.push(point[p]);
            }
        }
        images.push({ id, rotation: [qw, qx, qy, qz], translation: [tx, ty, tz], cameraId, name: tokens.slice(9).join(" "), pointIds });
    }
    return images;
}

/**
 * Reads points3D.txt or points3D.bin (positions only; colours, errors and tracks are skipped).
 * @param bytes the file
 * @param file its capture path
 * @returns positions by point id
 */
export function ReadColmapPoints(bytes: ArrayBuffer, file: string): Map<number, readonly [number, number, number]> {
    const points = new Map<number, readonly [number, number, number]>();
    if (file.endsWith(".bin")) {
        const reader = new BinaryModelReader(bytes, file);
        const count = reader.count("the point count", 51);
        for (let i = 0; i < count; i++) {
            const id = reader.uint64("a point id");
            const position = [reader.float64(), reader.float64(), reader.float64()] as const;
            reader.skip(3 + 8);
            const track = reader.count(`point ${id}'s track length`, 8);
            reader.skip(track * 8);
            points.set(id, position);
        }
        return points;
    }
    for (const { line, tokens } of ModelLines(new TextDecoder().decode(bytes))) {
        if (tokens.length === 0) {
            continue;
        }
        if (tokens.length < 8) {
            throw new CaptureError(file, `line ${line}: expected POINT3D_ID X Y Z R G B ERROR TRACK[], found ${tokens.length} values`);
        }
        const [id, x, y, z] = Numbers(tokens.slice(0, 4), file, line, "an id or coordinate");
        points.set(id, [x, y, z]);
    }
    return points;
}

import { DecodeImageBytesAsync } from "../image/decodeImageBytes";
import type { DecodedImage, ImageDecodeFunction } from "../image/imageDecodeTypes";
import { ReadImageFileInfo } from "../image/imageFileInfo";
import { PixelBudget } from "../image/pixelBudget";
import { UndistortImage } from "../image/undistortImage";
import { CaptureError } from "./captureError";
import type { CaptureManifest, ManifestFrame } from "./captureManifest";
import { ReadCaptureJsonAsync, type CaptureSource } from "./captureSource";
import type { Capture, CaptureBackground, CaptureFrame, CameraIntrinsics, SceneBounds } from "./captureTypes";
import { FindColmapModelAsync, ParseColmapCaptureAsync } from "./colmapParser";
import { ParseLlffCaptureAsync } from "./llffParser";
import { ParseNpy } from "./npy";
import { WholeSceneRegionOf } from "./wholeSceneRegion";
import { EstimateBoundsFromCameras } from "./sceneBounds";
import { ParseTransformsJson } from "./transformsParser";

/** Options of {@link LoadCaptureAsync}. */
export interface CaptureLoadOptions {
    /** Downscale images so their longest side is at most this many pixels. */
    readonly maxSide?: number;
    /** Which file describes the capture (default: transforms.json, transforms_train.json, poses_bounds.npy or a COLMAP model in sparse/0/ or sparse/). */
    readonly manifestPath?: string;
    /** Decodes images (default: in this thread; pass ImageDecoderPool.decodeAsync to use workers). */
    readonly decodeImage?: ImageDecodeFunction;
    /** Images decoded at once (default 4). */
    readonly concurrency?: number;
    /**
     * Pixels decoded at once (default 16 million): photos larger than a quarter of it are
     * decoded fewer at a time, a 12-megapixel phone photo alone, so loading never holds more
     * than about this many full-size pixels whatever the number of photos.
     */
    readonly decodePixelBudget?: number;
    /** Cancels loading; nothing half-loaded is returned. */
    readonly signal?: AbortSignal;
    /** Progress: frames done out of total. */
    readonly onProgress?: (done: number, total: number) => void;
}

/** Pixels decoded at once by default: one 12-megapixel photo, or four 4-megapixel ones. */
export const DefaultDecodePixelBudget = 16_000_000;

/** Files that describe a capture, in the order they are looked for. */
export const ManifestCandidates = ["transforms.json", "transforms_train.json", "poses_bounds.npy"] as const;

/**
 * Loads and validates a whole capture (nerfstudio, instant-ngp, Blender NeRF-synthetic, LLFF or COLMAP):
 * reads the manifest, decodes and downscales every image, checks sizes and poses, undistorts
 * OPENCV frames, reads masks, labels and depth, and settles the scene bounds. Any problem throws
 * a {@link CaptureError} naming the file; a capture is returned whole or not at all.
 * @param source where the files are
 * @param options size, decoder, cancellation, progress
 * @returns the capture
 */
export async function LoadCaptureAsync(source: CaptureSource, options: CaptureLoadOptions = {}): Promise<Capture> {
    const manifest = await ReadManifestAsync(source, options);
    const decode = options.decodeImage ?? ((request) => DecodeImageBytesAsync(request));
    const budget = new PixelBudget(options.decodePixelBudget ?? DefaultDecodePixelBudget);
    const orientations = { tagged: 0, turned: 0 };
    const frames = new Array<CaptureFrame>(manifest.frames.length);
    const notes: string[] = [];
    let done = 0;
    let next = 0;
    let sourceSize = { width: 0, height: 0 };
    let transparent = false;
    // the first bad frame in manifest order is reported, whichever decode finishes first
    const failures: { index: number; error: unknown }[] = [];
    const worker = async (): Promise<void> => {
        while (next < manifest.frames.length && failures.length === 0) {
            const index = next++;
            options.signal?.throwIfAborted();
            try {
                const { frame, source: size, transparent: hasAlpha, orientation } = await LoadFrameAsync(source, manifest, manifest.frames[index], index, { decode, budget, options });
                orientations.tagged += orientation.tagged ? 1 : 0;
                orientations.turned += orientation.turned ? 1 : 0;
                frames[index] = { ...frame, sourceSize: size };
                transparent ||= hasAlpha;
                if (index === 0) {
                    sourceSize = size;
                }
            } catch (error) {
                failures.push({ index, error });
                return;
            }
            options.onProgress?.(++done, manifest.frames.length);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
    if (failures.length > 0) {
        throw failures.reduce((first, failure) => (failure.index < first.index ? failure : first)).error;
    }
    const sizes = new Map<string, number>();
    for (const frame of frames) {
        const key = `${frame.sourceSize!.width}x${frame.sourceSize!.height}`;
        sizes.set(key, (sizes.get(key) ?? 0) + 1);
    }
    if (sizes.size > 1) {
        notes.push(`the images come in ${sizes.size} sizes: ${[...sizes].map(([size, count]) => `${size} (${count})`).join(", ")}; each frame keeps its own intrinsics`);
    }
    if (orientations.tagged > 0) {
        const turned = orientations.turned > 0 ? `; ${orientations.turned} turned as the tag says, because the capture's camera size is the turned one` : "";
        notes.push(`${orientations.tagged} image(s) carry an EXIF orientation: used as stored, as COLMAP and nerfstudio read them${turned}`);
    }
    const undistorted = manifest.frames.filter((frame) => frame.camera.distortion).length;
    if (undistorted > 0) {
        notes.push(`undistorted ${undistorted} frame(s) with their lens model (radial and tangential distortion)`);
    }
    const background: CaptureBackground = manifest.background ?? (transparent ? "random" : "none");
    let bounds = manifest.bounds ?? EstimateBoundsFromCameras(frames, manifest.depthRange);
    if (!manifest.bounds) {
        const trimmed = manifest.pointCloud ? TrimToPoints(bounds, manifest.pointCloud) : undefined;
        bounds = trimmed ?? bounds;
        notes.push(trimmed ? "scene bounds estimated from the cameras (the region most views see), trimmed to the sparse points" : "scene bounds estimated from the cameras (the region most views see)");
    }
    const trim = (box: SceneBounds): SceneBounds => (manifest.pointCloud ? TrimToPoints(box, manifest.pointCloud) : undefined) ?? box;
    const wholeScene = WholeSceneRegionOf(frames, bounds, manifest.depthRange, !manifest.bounds && background === "none", trim);
    if (wholeScene.unbounded) {
        notes.push(`opaque photos without a scene box: the scene reaches beyond the cameras' region, so the field models the whole scene (${wholeScene.layout} cameras)`);
    }
    return { name: source.name, format: manifest.format, frames, bounds, wholeScene, background, objects: manifest.objects, sourceSize, notes };
}

/**
 * The cameras' bounds cut to the sparse points' box (grown by a tenth of its size on each side),
 * when that leaves a box at least a tenth as wide on every axis; otherwise undefined.
 * @param bounds from the cameras
 * @param points the points' box
 * @returns the trimmed bounds, or undefined to keep the cameras' bounds
 */
function TrimToPoints(bounds: SceneBounds, points: SceneBounds): SceneBounds | undefined {
    const min: [number, number, number] = [0, 0, 0];
    const max: [number, number, number] = [0, 0, 0];
    for (let axis = 0; axis < 3; axis++) {
        const margin = 0.1 * (points.max[axis] - points.min[axis]);
        min[axis] = Math.max(bounds.min[axis], points.min[axis] - margin);
        max[axis] = Math.min(bounds.max[axis], points.max[axis] + margin);
        if (max[axis] - min[axis] < 0.1 * (bounds.max[axis] - bounds.min[axis])) {
            return undefined;
        }
    }
    const unchanged = min.every((value, axis) => value === bounds.min[axis] && max[axis] === bounds.max[axis]);
    return unchanged ? undefined : { min, max };
}

/**
 * Finds and parses the capture's manifest.
 * @param source where the files are
 * @param options manifest path and size (LLFF picks its image folder by size)
 * @returns the manifest
 */
export async function ReadManifestAsync(source: CaptureSource, options: CaptureLoadOptions = {}): Promise<CaptureManifest> {
    let path = options.manifestPath;
    if (!path) {
        const names = await source.listAsync("");
        path = names ? ManifestCandidates.find((candidate) => names.includes(candidate)) : undefined;
    }
    if (!path) {
        for (const candidate of ManifestCandidates) {
            if (await source.existsAsync(candidate)) {
                path = candidate;
                break;
            }
        }
    }
    if ((!path && (await FindColmapModelAsync(source))) || path?.startsWith("sparse/")) {
        return ParseColmapCaptureAsync(source, options.signal);
    }
    if (!path) {
        throw new CaptureError(source.name, `no capture description found (looked for ${ManifestCandidates.join(", ")} and a COLMAP model in sparse/0/ or sparse/)`);
    }
    if (path.endsWith(".npy")) {
        return ParseLlffCaptureAsync(source, options.maxSide);
    }
    return ParseTransformsJson(await ReadCaptureJsonAsync(source, path, options.signal), path);
}

/** How a frame's files are decoded: the decoder, the shared pixel budget, the load's options. */
interface FrameDecoding {
    readonly decode: ImageDecodeFunction;
    readonly budget: PixelBudget;
    readonly options: CaptureLoadOptions;
}

async function DecodeFileAsync(source: CaptureSource, path: string, decoding: FrameDecoding, request: Omit<Parameters<ImageDecodeFunction>[0], "bytes" | "name">): Promise<DecodedImage> {
    const signal = decoding.options.signal;
    const bytes = await source.readBytesAsync(path, signal);
    const info = ReadImageFileInfo(new Uint8Array(bytes));
    const release = await decoding.budget.acquireAsync(info.width * info.height);
    try {
        signal?.throwIfAborted();
        return await decoding.decode({ bytes, name: path, ...request }, signal);
    } catch (error) {
        if ((error as Error).name === "AbortError") {
            throw error;
        }
        const message = (error as Error).message.replace(`${path}: `, "");
        throw new CaptureError(path, message, { cause: error });
    } finally {
        release();
    }
}

async function LoadFrameAsync(
    source: CaptureSource,
    manifest: CaptureManifest,
    entry: ManifestFrame,
    index: number,
    decoding: FrameDecoding
): Promise<{ frame: CaptureFrame; source: { width: number; height: number }; transparent: boolean; orientation: { tagged: boolean; turned: boolean } }> {
    let image = await DecodeFileAsync(source, entry.imagePath, decoding, { maxSide: decoding.options.maxSide });
    const tagged = (image.exifOrientation ?? 1) !== 1;
    // a capture made from the turned photo (its camera size is the turned size): turn it as the tag says
    const turned = (image.exifOrientation ?? 1) >= 5 && entry.camera.width === image.sourceHeight && entry.camera.height === image.sourceWidth && image.sourceWidth !== image.sourceHeight;
    if (turned) {
        image = await DecodeFileAsync(source, entry.imagePath, decoding, { maxSide: decoding.options.maxSide, orientation: "exif" });
    }
    const intrinsics = ResolveIntrinsics(entry, image);
    const size = { width: image.width, height: image.height };
    const pixels = entry.camera.distortion ? UndistortImage(image, intrinsics, entry.camera.distortion) : image;
    let mask: Uint8Array | undefined;
    if (entry.maskPath) {
        mask = Channel(await DecodeFileAsync(source, entry.maskPath, decoding, { size }), 0);
    } else if (manifest.alphaIsMask) {
        mask = Channel(pixels, 3);
    }
    let labels: Uint8Array | undefined;
    if (entry.labelPath) {
        labels = Channel(await DecodeFileAsync(source, entry.labelPath, decoding, { size, resample: "nearest" }), 0);
    }
    let depth: Float32Array | undefined;
    if (entry.depthPath) {
        depth = await ReadDepthAsync(source, entry.depthPath, image, manifest.depthScale, decoding.options.signal);
    }
    return {
        frame: { index, imagePath: entry.imagePath, image: { width: pixels.width, height: pixels.height, data: pixels.data }, intrinsics, cameraToWorld: entry.cameraToWorld, mask, labels, depth },
        source: { width: image.sourceWidth, height: image.sourceHeight },
        transparent: HasTransparency(image.data),
        orientation: { tagged, turned },
    };
}

/** Intrinsics in pixels of the decoded image, from focal lengths or angles, checked against the file's size. */
function ResolveIntrinsics(entry: ManifestFrame, image: DecodedImage): CameraIntrinsics {
    const camera = entry.camera;
    const declaredWidth = camera.width ?? image.sourceWidth;
    const declaredHeight = camera.height ?? image.sourceHeight;
    // LLFF's downscaled folders round sizes, so one pixel of slack.
    if (Math.abs(declaredWidth - image.sourceWidth) > 1 || Math.abs(declaredHeight - image.sourceHeight) > 1) {
        throw new CaptureError(entry.imagePath, `image size mismatch: the image is ${image.sourceWidth}x${image.sourceHeight} but ${entry.origin} declares ${declaredWidth}x${declaredHeight}`);
    }
    const fx = camera.fx ?? (0.5 * declaredWidth) / Math.tan(camera.angleX! / 2);
    const fy = camera.fy ?? (camera.angleY !== undefined ? (0.5 * declaredHeight) / Math.tan(camera.angleY / 2) : fx);
    const sx = image.width / declaredWidth;
    const sy = image.height / declaredHeight;
    return {
        fx: fx * sx,
        fy: fy * sy,
        cx: (camera.cx ?? declaredWidth / 2) * sx,
        cy: (camera.cy ?? declaredHeight / 2) * sy,
        width: image.width,
        height: image.height,
    };
}

async function ReadDepthAsync(source: CaptureSource, path: string, image: DecodedImage, scale: number, signal?: AbortSignal): Promise<Float32Array | undefined> {
    if (!path.endsWith(".npy")) {
        return undefined;
    }
    const array = ParseNpy(await source.readBytesAsync(path, signal), path);
    const [h, w] = array.shape;
    if (array.shape.length !== 2 || w !== image.sourceWidth || h !== image.sourceHeight) {
        throw new CaptureError(path, `depth of shape (${array.shape.join(", ")}) does not match its image (${image.sourceHeight}, ${image.sourceWidth})`);
    }
    const out = new Float32Array(image.width * image.height);
    for (let y = 0; y < image.height; y++) {
        const sy = Math.min(h - 1, Math.floor(((y + 0.5) * h) / image.height));
        for (let x = 0; x < image.width; x++) {
            const sx = Math.min(w - 1, Math.floor(((x + 0.5) * w) / image.width));
            out[y * image.width + x] = array.data[sy * w + sx] * scale;
        }
    }
    return out;
}

function Channel(image: { data: Uint8ClampedArray; width: number; height: number }, channel: number): Uint8Array {
    const out = new Uint8Array(image.width * image.height);
    for (let i = 0; i < out.length; i++) {
        out[i] = image.data[i * 4 + channel];
    }
    return out;
}

function HasTransparency(data: Uint8ClampedArray): boolean {
    for (let i = 3; i < data.length; i += 4) {
        if (data[i] < 255) {
            return true;
        }
    }
    return false;
}

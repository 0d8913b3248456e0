import { CaptureError } from "./captureError";
import type { CameraSpec, CaptureManifest, LensDistortion, ManifestFrame } from "./captureManifest";
import type { CaptureSource } from "./captureSource";
import { ReadColmapCameras, ReadColmapImages, ReadColmapPoints, type ColmapCamera, type ColmapImage, type ColmapPoints } from "./colmapModel";
import { CheckRigid } from "./poseValidation";

/** Where a COLMAP sparse model is looked for, in order. */
export const ColmapModelFolders = ["sparse/0", "sparse"] as const;

/** Camera models this loader reads (others are refused by name). */
const SupportedModels = new Set(["SIMPLE_PINHOLE", "PINHOLE", "SIMPLE_RADIAL", "RADIAL", "OPENCV"]);

/** Share of an image's observed points left out at each end of its depth range (as LLFF's imgs2poses: 0.1 and 99.9 %). */
const DepthPercentile = 0.001;

/**
 * Finds a COLMAP sparse model in a capture: the first of sparse/0/ and sparse/ holding a cameras
 * and an images file (.bin preferred over .txt when both are there).
 * @param source the capture
 * @returns the model's folder and file paths, or null when there is none
 */
export async function FindColmapModelAsync(source: CaptureSource): Promise<{ cameras: string; images: string; points?: string } | null> {
    for (const folder of ColmapModelFolders) {
        const pick = async (stem: string): Promise<string | undefined> => {
            for (const extension of [".bin", ".txt"]) {
                if (await source.existsAsync(`${folder}/${stem}${extension}`)) {
                    return `${folder}/${stem}${extension}`;
                }
            }
            return undefined;
        };
        const cameras = await pick("cameras");
        const images = await pick("images");
        if (cameras && images) {
            return { cameras, images, points: await pick("points3D") };
        }
    }
    return null;
}

/**
 * Parses a COLMAP capture: `sparse/0/` (or `sparse/`) with cameras and images (and points3D) as
 * .txt or .bin, and the photos in `images/`. Frames come in image-name order. Poses are COLMAP's
 * world-to-camera (OpenCV axes) turned into camera-to-world with OpenGL axes; SIMPLE_RADIAL,
 * RADIAL and OPENCV lenses become distortion the loader undoes. Where points3D is present, each
 * image's observed points give its near and far depth (0.1 and 99.9 percentiles, as LLFF does)
 * and the points' extent trims the scene bounds.
 * @param source the capture
 * @param signal cancels the reads
 * @returns the manifest
 */
export async function ParseColmapCaptureAsync(source: CaptureSource, signal?: AbortSignal): Promise<CaptureManifest> {
    const model = await FindColmapModelAsync(source);
    if (!model) {
        throw new CaptureError("sparse/0/", "no COLMAP model: expected cameras.bin or cameras.txt and images.bin or images.txt in sparse/0/ or sparse/");
    }
    const cameras = ReadColmapCameras(await source.readBytesAsync(model.cameras, signal), model.cameras);
    const images = ReadColmapImages(await source.readBytesAsync(model.images, signal), model.images);
    if (images.length === 0) {
        throw new CaptureError(model.images, "lists zero registered images (COLMAP could not place any photo)");
    }
    const points = model.points ? ReadColmapPoints(await source.readBytesAsync(model.points, signal), model.points) : undefined;
    const sorted = [...images].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    let near = Infinity;
    let far = 0;
    const frames: ManifestFrame[] = [];
    for (const image of sorted) {
        const where = `image ${image.id} (${image.name})`;
        const camera = cameras.get(image.cameraId);
        if (!camera) {
            throw new CaptureError(model.images, `${where} uses camera ${image.cameraId}, which ${model.cameras} does not list`);
        }
        const imagePath = `images/${image.name}`;
        if (!(await source.existsAsync(imagePath))) {
            throw new CaptureError(imagePath, `listed in ${model.images} as ${where} but missing from images/`);
        }
        const cameraToWorld = CameraToWorld(image, model.images, where);
        if (points) {
            const range = DepthRange(image, points);
            if (range) {
                near = Math.min(near, range[0]);
                far = Math.max(far, range[1]);
            }
        }
        frames.push({ imagePath, cameraToWorld, camera: CameraSpecOf(camera, model.cameras), origin: `${model.images} ${where}` });
    }
    const depthRange: readonly [number, number] | undefined = near > 0 && far > near ? [near, far] : undefined;
    return { format: "colmap", manifestPath: model.images, frames, depthRange, objects: [], depthScale: 1, alphaIsMask: false, pointCloud: points ? PointExtent(points) : undefined };
}

/** The manifest camera of a COLMAP camera (supported models only). */
function CameraSpecOf(camera: ColmapCamera, file: string): CameraSpec {
    if (!SupportedModels.has(camera.model)) {
        throw new CaptureError(file, `camera ${camera.id} uses the ${camera.model} model; supported: ${[...SupportedModels].join(", ")} (undistort the photos with colmap image_undistorter first)`);
    }
    const p = camera.parameters;
    if (!(camera.width > 0 && camera.height > 0) || p.some((value) => !Number.isFinite(value)) || !(p[0] > 0)) {
        throw new CaptureError(file, `camera ${camera.id} has a non-positive size or focal length, or a non-finite parameter`);
    }
    const size = { width: camera.width, height: camera.height };
    let distortion: LensDistortion | undefined;
    switch (camera.model) {
        case "SIMPLE_PINHOLE":
            return { fx: p[0], fy: p[0], cx: p[1], cy: p[2], ...size };
        case "PINHOLE":
            return { fx: p[0], fy: p[1], cx: p[2], cy: p[3], ...size };
        case "SIMPLE_RADIAL":
            distortion = { k1: p[3], k2: 0, k3: 0, p1: 0, p2: 0 };
            return { fx: p[0], fy: p[0], cx: p[1], cy: p[2], ...size, distortion: Distortion(distortion) };
        case "RADIAL":
            distortion = { k1: p[3], k2: p[4], k3: 0, p1: 0, p2: 0 };
            return { fx: p[0], fy: p[0], cx: p[1], cy: p[2], ...size, distortion: Distortion(distortion) };
        default:
            distortion = { k1: p[4], k2: p[5], k3: 0, p1: p[6], p2: p[7] };
            return { fx: p[0], fy: p[1], cx: p[2], cy: p[3], ...size, distortion: Distortion(distortion) };
    }
}

function Distortion(d: LensDistortion): LensDistortion | undefined {
    return d.k1 === 0 && d.k2 === 0 && d.k3 === 0 && d.p1 === 0 && d.p2 === 0 ? undefined : d;
}

/** World-to-camera rotation (row-major 3x3) of a unit quaternion (w, x, y, z). */
function RotationOf([w, x, y, z]: readonly number[]): number[] {
    return [
        1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
        2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
        2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
    ];
}

/** Camera-to-world with OpenGL axes (x right, y up, z backwards) of a COLMAP image. */
function CameraToWorld(image: ColmapImage, file: string, where: string): Float64Array {
    const values = [...image.rotation, ...image.translation];
    if (values.some((value) => !Number.isFinite(value))) {
        throw new CaptureError(file, `${where} has a non-finite pose value`);
    }
    const norm = Math.hypot(...image.rotation);
    if (Math.abs(norm - 1) > 1e-3) {
        throw new CaptureError(file, `${where} has a rotation quaternion of length ${norm.toFixed(4)}, not 1`);
    }
    const r = RotationOf(image.rotation.map((value) => value / norm));
    const t = image.translation;
    const m = new Float64Array(16);
    // camera-to-world rotation = R^T; centre = -R^T t; OpenCV's y (down) and z (forward) flipped
    const flip = [1, -1, -1];
    for (let row = 0; row < 3; row++) {
        for (let column = 0; column < 3; column++) {
            m[row * 4 + column] = r[column * 3 + row] * flip[column];
        }
        m[row * 4 + 3] = -(r[0 * 3 + row] * t[0] + r[1 * 3 + row] * t[1] + r[2 * 3 + row] * t[2]);
    }
    m[15] = 1;
    CheckRigid(m, file, where);
    return m;
}

/** Near and far depth of the points an image observes (0.1 / 99.9 percentiles), or undefined when it sees none in front. */
function DepthRange(image: ColmapImage, points: ColmapPoints): [number, number] | undefined {
    const r = RotationOf(image.rotation);
    const depths: number[] = [];
    for (const id of image.pointIds) {
        const p = points.get(id);
        if (p) {
            const z = r[6] * p[0] + r[7] * p[1] + r[8] * p[2] + image.translation[2];
            if (z > 0) {
                depths.push(z);
            }
        }
    }
    if (depths.length === 0) {
        return undefined;
    }
    depths.sort((a, b) => a - b);
    const at = (q: number): number => depths[Math.min(depths.length - 1, Math.max(0, Math.round(q * (depths.length - 1))))];
    return [at(DepthPercentile), at(1 - DepthPercentile)];
}

/** The box holding the middle 98 % of the points along each axis (outliers left out). */
function PointExtent(points: ColmapPoints): { min: [number, number, number]; max: [number, number, number] } | undefined {
    if (points.size < 8) {
        return undefined;
    }
    const min: [number, number, number] = [0, 0, 0];
    const max: [number, number, number] = [0, 0, 0];
    for (let axis = 0; axis < 3; axis++) {
        const values = [...points.values()].map((p) => p[axis]).sort((a, b) => a - b);
        min[axis] = values[Math.floor(0.01 * (values.length - 1))];
        max[axis] = values[Math.ceil(0.99 * (values.length - 1))];
    }
    return { min, max };
}

import { CaptureError } from "./captureError";
import type { CameraSpec, CaptureManifest, LensDistortion, ManifestFrame } from "./captureManifest";
import { CaptureDirname, ResolveCapturePath } from "./capturePath";
import type { CaptureFormat, CaptureObjectInfo, SceneBounds } from "./captureTypes";
import { ParseCameraToWorld } from "./poseValidation";

type Json = Record<string, unknown>;

/** Camera models we read; OPENCV (and its radial subsets) is undistorted at load time. */
const PinholeModels = new Set(["PINHOLE", "SIMPLE_PINHOLE"]);
const DistortedModels = new Set(["OPENCV", "SIMPLE_RADIAL", "RADIAL"]);

/** Blender NeRF-synthetic bounds: the scenes live in [-1.5, 1.5]^3. */
const BlenderBounds: SceneBounds = { min: [-1.5, -1.5, -1.5], max: [1.5, 1.5, 1.5] };

/**
 * Tells the three transforms.json dialects apart.
 * - instant-ngp: has aabb_scale, scale or offset;
 * - nerfstudio: has camera_model or focal lengths in pixels (fl_x / per-frame fl_x);
 * - Blender NeRF-synthetic: camera_angle_x with extension-less file paths (or a transforms_<split>.json name).
 * @param json the parsed file
 * @param path its capture path
 * @returns the dialect
 */
export function DetectTransformsDialect(json: Json, path: string): Exclude<CaptureFormat, "llff"> {
    if ("aabb_scale" in json || "scale" in json || "offset" in json) {
        return "instant-ngp";
    }
    const frames = Array.isArray(json.frames) ? (json.frames as Json[]) : [];
    if ("camera_model" in json || "fl_x" in json || frames.some((frame) => frame && typeof frame === "object" && "fl_x" in frame)) {
        return "nerfstudio";
    }
    const blenderName = /(^|\/)transforms_(train|val|test)\.json$/.test(path);
    const extensionless = frames.length > 0 && frames.every((frame) => typeof frame?.file_path === "string" && !/\.[a-z0-9]{2,5}$/i.test(frame.file_path as string));
    if ("camera_angle_x" in json && (blenderName || extensionless)) {
        return "blender";
    }
    return "camera_angle_x" in json ? "instant-ngp" : "nerfstudio";
}

/**
 * Parses a transforms.json (nerfstudio, instant-ngp or Blender NeRF-synthetic) into a manifest.
 * @param json the parsed file
 * @param path its capture path
 * @returns the manifest (no image read yet)
 */
export function ParseTransformsJson(json: unknown, path: string): CaptureManifest {
    if (!json || typeof json !== "object" || Array.isArray(json)) {
        throw new CaptureError(path, "expected a JSON object with a \"frames\" list");
    }
    const root = json as Json;
    const format = DetectTransformsDialect(root, path);
    if (!Array.isArray(root.frames)) {
        throw new CaptureError(path, "has no \"frames\" list");
    }
    if (root.frames.length === 0) {
        throw new CaptureError(path, "lists zero frames");
    }
    const folder = CaptureDirname(path);
    const frames: ManifestFrame[] = (root.frames as unknown[]).map((entry, index) => {
        const where = `frames[${index}]`;
        if (!entry || typeof entry !== "object") {
            throw new CaptureError(path, `${where} is not an object`);
        }
        const frame = entry as Json;
        if (typeof frame.file_path !== "string") {
            throw new CaptureError(path, `${where} has no "file_path"`);
        }
        let imagePath = ResolveCapturePath(frame.file_path, folder, path);
        if (format === "blender" && !/\.[a-z0-9]{2,5}$/i.test(imagePath)) {
            imagePath += ".png";
        }
        const optionalPath = (key: string): string | undefined => (typeof frame[key] === "string" ? ResolveCapturePath(frame[key] as string, folder, path) : undefined);
        return {
            imagePath,
            maskPath: optionalPath("mask_path"),
            labelPath: optionalPath("label_path"),
            depthPath: optionalPath("depth_file_path") ?? optionalPath("depth_path"),
            cameraToWorld: ParseCameraToWorld(frame.transform_matrix, path, `${where}.transform_matrix`),
            camera: ReadCamera({ ...root, ...frame }, path, where),
            origin: `${path} ${where}`,
        };
    });
    return {
        format,
        manifestPath: path,
        frames,
        bounds: format === "blender" ? BlenderBounds : format === "instant-ngp" ? InstantNgpBounds(root, path) : ReadAabb(root.scene_aabb, path),
        background: format === "blender" ? "white" : undefined,
        objects: ReadObjects(root.objects, folder, path),
        depthScale: typeof root.depth_unit_scale_factor === "number" ? root.depth_unit_scale_factor : 1,
        alphaIsMask: format === "blender",
    };
}

function ReadCamera(fields: Json, path: string, where: string): CameraSpec {
    const number = (key: string): number | undefined => {
        const value = fields[key];
        if (value === undefined || value === null) {
            return undefined;
        }
        if (typeof value !== "number" || !Number.isFinite(value)) {
            throw new CaptureError(path, `${where}: "${key}" is not a finite number (${JSON.stringify(value)})`);
        }
        return value;
    };
    const model = typeof fields.camera_model === "string" ? fields.camera_model.toUpperCase() : undefined;
    if (model !== undefined && !PinholeModels.has(model) && !DistortedModels.has(model)) {
        throw new CaptureError(path, `${where}: camera model "${model}" is not supported (supported: PINHOLE, SIMPLE_PINHOLE, OPENCV, SIMPLE_RADIAL, RADIAL); undistort the images first, e.g. with COLMAP's image_undistorter`);
    }
    if ((number("k4") ?? 0) !== 0) {
        throw new CaptureError(path, `${where}: k4 is set, which only fisheye models use; camera model OPENCV_FISHEYE is not supported`);
    }
    const distortion: LensDistortion = { k1: number("k1") ?? 0, k2: number("k2") ?? 0, k3: number("k3") ?? 0, p1: number("p1") ?? 0, p2: number("p2") ?? 0 };
    const distorted = Object.values(distortion).some((value) => value !== 0);
    const fx = number("fl_x");
    const angleX = number("camera_angle_x");
    if (fx === undefined && angleX === undefined) {
        throw new CaptureError(path, `${where}: no focal length (fl_x) and no field of view (camera_angle_x)`);
    }
    const positive = (key: string, value: number | undefined): number | undefined => {
        if (value !== undefined && !(value > 0)) {
            throw new CaptureError(path, `${where}: "${key}" must be positive, got ${value}`);
        }
        return value;
    };
    return {
        fx: positive("fl_x", fx),
        fy: positive("fl_y", number("fl_y")),
        cx: number("cx"),
        cy: number("cy"),
        width: positive("w", number("w")),
        height: positive("h", number("h")),
        angleX: positive("camera_angle_x", angleX),
        angleY: positive("camera_angle_y", number("camera_angle_y")),
        distortion: distorted ? distortion : undefined,
    };
}

function ReadAabb(value: unknown, path: string): SceneBounds | undefined {
    if (value === undefined) {
        return undefined;
    }
    const valid = Array.isArray(value) && value.length === 2 && value.every((corner) => Array.isArray(corner) && corner.length === 3 && corner.every((v) => typeof v === "number" && Number.isFinite(v)));
    if (!valid) {
        throw new CaptureError(path, "\"scene_aabb\" must be [[minX, minY, minZ], [maxX, maxY, maxZ]]");
    }
    const [min, max] = value as [number[], number[]];
    if (min.some((v, i) => v >= max[i])) {
        throw new CaptureError(path, "\"scene_aabb\" has a minimum corner that is not below its maximum corner");
    }
    return { min: [min[0], min[1], min[2]], max: [max[0], max[1], max[2]] };
}

/**
 * instant-ngp maps the capture into its unit cube by p_ngp = cycle(p * scale + offset) and renders
 * [0.5 - aabb_scale / 2, 0.5 + aabb_scale / 2]^3; this is that cube in the capture's own axes.
 */
function InstantNgpBounds(root: Json, path: string): SceneBounds {
    const scale = typeof root.scale === "number" ? root.scale : 0.33;
    const offset = Array.isArray(root.offset) && root.offset.length === 3 ? (root.offset as number[]) : [0.5, 0.5, 0.5];
    const aabbScale = typeof root.aabb_scale === "number" ? root.aabb_scale : 1;
    if (!(scale > 0) || !(aabbScale > 0) || offset.some((v) => !Number.isFinite(v))) {
        throw new CaptureError(path, `invalid instant-ngp scale (${String(root.scale)}), offset (${JSON.stringify(root.offset)}) or aabb_scale (${String(root.aabb_scale)})`);
    }
    const lo = (i: number): number => (0.5 - aabbScale / 2 - offset[i]) / scale;
    const hi = (i: number): number => (0.5 + aabbScale / 2 - offset[i]) / scale;
    return { min: [lo(0), lo(1), lo(2)], max: [hi(0), hi(1), hi(2)] };
}

function ReadObjects(value: unknown, folder: string, path: string): CaptureObjectInfo[] {
    if (!Array.isArray(value)) {
        return [];
    }
    return value.map((entry, index) => {
        const object = entry as Json;
        if (typeof object?.id !== "number" || !Number.isInteger(object.id) || object.id < 1 || object.id > 255) {
            throw new CaptureError(path, `objects[${index}] needs an integer "id" between 1 and 255`);
        }
        return {
            id: object.id,
            name: typeof object.name === "string" ? object.name : `object ${object.id}`,
            meshPath: typeof object.mesh_path === "string" ? ResolveCapturePath(object.mesh_path, folder, path) : undefined,
        };
    });
}

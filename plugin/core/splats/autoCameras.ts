import type { SplatCloud } from "./splatCloud";
import { SplatRowBytes } from "./splatCloud";
import type { SplatView } from "./splatView";

/** How cameras are placed around splats that come without their capture's cameras. */
export interface AutoCameraOptions {
    /** Cameras, spread evenly over a sphere around the content (24). */
    readonly viewCount: number;
    /** Image side in pixels; the views are square (256). */
    readonly viewSide: number;
    /** Field of view, degrees (50). */
    readonly fieldOfViewDegrees: number;
    /** The content is the box holding this share of the splats' centres per axis, the rest counted as stray (0.9). */
    readonly contentShare: number;
}

/** Default camera placement. */
export const DefaultAutoCameraOptions: AutoCameraOptions = { viewCount: 24, viewSide: 256, fieldOfViewDegrees: 50, contentShare: 0.9 };

/** The box around a splat scene's content: per axis, the middle share of the visible splats' centres. */
export interface SplatContentBox {
    readonly min: [number, number, number];
    readonly max: [number, number, number];
}

/**
 * The content box: per axis, the range between the (1 - share) / 2 and (1 + share) / 2 quantiles
 * of the centres of splats with opacity above 0.1, so stray splats far out (floaters, a sky
 * shell) do not push the cameras away.
 * @param cloud the splats
 * @param share the share of centres kept per axis
 * @returns the box
 */
export function SplatContentBox(cloud: SplatCloud, share: number): SplatContentBox {
    const floats = new Float32Array(cloud.rows);
    const bytes = new Uint8Array(cloud.rows);
    const axes = [[], [], []] as number[][];
    const step = Math.max(1, Math.floor(cloud.count / 200000));
    for (let i = 0; i < cloud.count; i += step) {
        if (bytes[i * SplatRowBytes + 27] > 25) {
            for (let a = 0; a < 3; a++) {
                axes[a].push(floats[i * 8 + a]);
            }
        }
    }
    if (axes[0].length === 0) {
        throw new Error(`${cloud.name}: no splat is more than 10% opaque, there is nothing to look at`);
    }
    const min: [number, number, number] = [0, 0, 0];
    const max: [number, number, number] = [0, 0, 0];
    for (let a = 0; a < 3; a++) {
        const sorted = Float64Array.from(axes[a]).sort();
        min[a] = sorted[Math.floor(((1 - share) / 2) * (sorted.length - 1))];
        max[a] = sorted[Math.ceil(((1 + share) / 2) * (sorted.length - 1))];
    }
    return { min, max };
}

/**
 * Cameras around splats without a capture: `viewCount` directions spread evenly over a sphere
 * (a Fibonacci lattice, so views from every side, below included: a splat file's up axis is not
 * known), each looking at the content box's centre from the distance at which the box's bounding
 * sphere fills the field of view. Each camera is upright with respect to the file's +y where it
 * can be (its +z when looking along y). Suits object-centred captures; a room captured from inside
 * needs its capture's own cameras.
 * @param cloud the splats
 * @param options count, size, field of view, content share
 * @returns the views, in lattice order
 */
export function AutoSplatCameras(cloud: SplatCloud, options: AutoCameraOptions = DefaultAutoCameraOptions): SplatView[] {
    const box = SplatContentBox(cloud, options.contentShare);
    const centre = [0, 1, 2].map((a) => (box.min[a] + box.max[a]) / 2);
    const radius = Math.max(1e-6, Math.hypot(box.max[0] - box.min[0], box.max[1] - box.min[1], box.max[2] - box.min[2]) / 2);
    const half = (options.fieldOfViewDegrees * Math.PI) / 360;
    const distance = (radius / Math.sin(half)) * 1.05;
    const focal = options.viewSide / 2 / Math.tan(half);
    const intrinsics = { fx: focal, fy: focal, cx: options.viewSide / 2, cy: options.viewSide / 2, width: options.viewSide, height: options.viewSide };
    const golden = Math.PI * (3 - Math.sqrt(5));
    return Array.from({ length: options.viewCount }, (_, i) => {
        const y = 1 - (2 * (i + 0.5)) / options.viewCount;
        const ring = Math.sqrt(1 - y * y);
        const direction = [ring * Math.cos(i * golden), y, ring * Math.sin(i * golden)];
        const eye = direction.map((d, a) => centre[a] + d * distance);
        return { cameraToWorld: LookAt(eye, centre), intrinsics };
    });
}

/**
 * One camera for a thumbnail of the whole content: three quarters on, 35° above the horizon of the
 * given up direction, the image upright to it, at the distance where the content's box fills the
 * view (as the automatic views).
 * @param cloud the splats
 * @param up the scene's up in the splats' coordinates (3DGS files: usually -y)
 * @param side image side in pixels
 * @returns the view
 */
export function ThumbnailSplatCamera(cloud: SplatCloud, up: readonly number[], side = 128): SplatView {
    const box = SplatContentBox(cloud, DefaultAutoCameraOptions.contentShare);
    const centre = [0, 1, 2].map((a) => (box.min[a] + box.max[a]) / 2);
    const radius = Math.max(1e-6, Math.hypot(box.max[0] - box.min[0], box.max[1] - box.min[1], box.max[2] - box.min[2]) / 2);
    const half = (DefaultAutoCameraOptions.fieldOfViewDegrees * Math.PI) / 360;
    const distance = (radius / Math.sin(half)) * 1.05;
    const focal = side / 2 / Math.tan(half);
    const u = Normalize([...up]);
    const axis = Math.abs(u[0]) < 0.9 ? [1, 0, 0] : [0, 0, 1];
    const along = axis[0] * u[0] + axis[1] * u[1] + axis[2] * u[2];
    const h = Normalize(axis.map((v, a) => v - along * u[a]));
    const side2 = Cross(u, h);
    const horizontal = Normalize(h.map((v, a) => v + side2[a]));
    const elevation = (35 * Math.PI) / 180;
    const eye = centre.map((c, a) => c + (horizontal[a] * Math.cos(elevation) + u[a] * Math.sin(elevation)) * distance);
    return { cameraToWorld: LookAt(eye, centre, u), intrinsics: { fx: focal, fy: focal, cx: side / 2, cy: side / 2, width: side, height: side } };
}

/** Camera-to-world (capture layout) looking from eye at target, upright to `upright` (default +y; +z when looking along it). */
function LookAt(eye: number[], target: number[], upright: readonly number[] = [0, 1, 0]): Float64Array {
    const back = Normalize([eye[0] - target[0], eye[1] - target[1], eye[2] - target[2]]);
    const hint = Math.abs(back[0] * upright[0] + back[1] * upright[1] + back[2] * upright[2]) > 0.95 ? [0, 0, 1] : [...upright];
    const right = Normalize(Cross(hint, back));
    const up = Cross(back, right);
    return Float64Array.from([right[0], up[0], back[0], eye[0], right[1], up[1], back[1], eye[1], right[2], up[2], back[2], eye[2], 0, 0, 0, 1]);
}

function Cross(a: number[], b: number[]): number[] {
    return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

function Normalize(v: number[]): number[] {
    const length = Math.hypot(v[0], v[1], v[2]) || 1;
    return [v[0] / length, v[1] / length, v[2] / length];
}

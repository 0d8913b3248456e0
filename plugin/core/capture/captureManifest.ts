import type { CaptureBackground, CaptureFormat, CaptureObjectInfo, SceneBounds } from "./captureTypes";

/** Lens distortion of a frame (Brown-Conrady, OpenCV's order); absent means a pinhole camera. */
export interface LensDistortion {
    /** Radial coefficients. */
    readonly k1: number;
    readonly k2: number;
    readonly k3: number;
    /** Tangential coefficients. */
    readonly p1: number;
    readonly p2: number;
}

/**
 * A frame's camera as the capture file gives it, in pixels of the source image. Either focal
 * lengths or field-of-view angles; sizes may be missing (then taken from the image).
 */
export interface CameraSpec {
    readonly fx?: number;
    readonly fy?: number;
    readonly cx?: number;
    readonly cy?: number;
    readonly width?: number;
    readonly height?: number;
    /** Horizontal field of view, radians (Blender / instant-ngp `camera_angle_x`). */
    readonly angleX?: number;
    /** Vertical field of view, radians (`camera_angle_y`). */
    readonly angleY?: number;
    /** Distortion to undo, if any. */
    readonly distortion?: LensDistortion;
}

/** One frame as listed by a capture file, before its image is read. */
export interface ManifestFrame {
    /** Capture path of the RGB(A) image. */
    readonly imagePath: string;
    /** Capture path of a mask image (non-zero = foreground), if any. */
    readonly maskPath?: string;
    /** Capture path of an instance-label image, if any. */
    readonly labelPath?: string;
    /** Capture path of a depth file (.npy float, or 16-bit PNG scaled by depthScale), if any. */
    readonly depthPath?: string;
    /** Camera-to-world, capture layout (row-major, column vectors), OpenGL convention. */
    readonly cameraToWorld: Float64Array;
    /** The camera. */
    readonly camera: CameraSpec;
    /** Where the frame was listed, for error messages ("transforms.json frames[3]"). */
    readonly origin: string;
}

/** Everything a capture file says, before images are read. */
export interface CaptureManifest {
    /** Detected layout. */
    readonly format: CaptureFormat;
    /** The file the manifest came from. */
    readonly manifestPath: string;
    /** Frames in file order. */
    readonly frames: readonly ManifestFrame[];
    /** Bounds given by the capture (scene_aabb, aabb_scale...), or undefined to estimate from the cameras. */
    readonly bounds?: SceneBounds;
    /** The box holding most of the capture's sparse 3-D points (COLMAP's points3D), when it has them. */
    readonly pointCloud?: SceneBounds;
    /** Near/far depth range of the cameras, when the capture gives one (LLFF bounds, COLMAP points). */
    readonly depthRange?: readonly [number, number];
    /** Background policy ("random" is decided later from the images' alpha when undefined). */
    readonly background?: CaptureBackground;
    /** Listed objects. */
    readonly objects: readonly CaptureObjectInfo[];
    /** Metres (capture units) per depth-file unit. */
    readonly depthScale: number;
    /** True when the images' alpha channel is a foreground mask (Blender). */
    readonly alphaIsMask: boolean;
}

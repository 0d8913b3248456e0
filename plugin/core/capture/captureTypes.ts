import type { RgbaImage } from "../image/rgbaImage";

/** The capture layouts the loader reads. */
export type CaptureFormat = "nerfstudio" | "instant-ngp" | "blender" | "llff" | "colmap";

/** How the background of RGBA images is treated when training. */
export type CaptureBackground = "white" | "black" | "random" | "none";

/** Pinhole intrinsics in pixels of the image they belong to (the decoded, possibly downscaled image). */
export interface CameraIntrinsics {
    /** Focal length along x, pixels. */
    readonly fx: number;
    /** Focal length along y, pixels. */
    readonly fy: number;
    /** Principal point x, pixels from the left edge. */
    readonly cx: number;
    /** Principal point y, pixels from the top edge. */
    readonly cy: number;
    /** Image width, pixels. */
    readonly width: number;
    /** Image height, pixels. */
    readonly height: number;
}

/** Axis-aligned box in the capture's world. */
export interface SceneBounds {
    /** Minimum corner. */
    readonly min: readonly [number, number, number];
    /** Maximum corner. */
    readonly max: readonly [number, number, number];
}

/** How the cameras are laid out: around the content, or all looking the same way. */
export type CameraLayout = "object-centric" | "forward-facing";

/**
 * Where a whole-scene (contracted) field puts its finely resolved inner box, and where its rays
 * start. Everything outside the box is still modelled, at a resolution falling with distance.
 */
export interface WholeSceneRegion {
    /** The cameras' layout the box was chosen from. */
    readonly layout: CameraLayout;
    /** The inner box. */
    readonly bounds: SceneBounds;
    /** Ray start distance from each camera. */
    readonly near: number;
    /**
     * True when the capture's content reaches beyond any box (opaque photos whose manifest gives
     * no box): the pipeline's "auto" scene model then trains a contracted field.
     */
    readonly unbounded: boolean;
}

/** One posed view of a capture. */
export interface CaptureFrame {
    /** Position in the capture's frame list (holdout: index % 8 === 0). */
    readonly index: number;
    /** The image's path inside the capture (also its display name). */
    readonly imagePath: string;
    /** RGBA pixels (straight alpha), downscaled as asked. */
    readonly image: RgbaImage;
    /** Intrinsics for `image`'s size. */
    readonly intrinsics: CameraIntrinsics;
    /**
     * Camera-to-world, 16 numbers, row-major with column vectors (translation in [3], [7], [11]),
     * OpenGL convention (camera looks down its local -z, y up). See plugin/core/math/poseConversion.
     */
    readonly cameraToWorld: Float64Array;
    /** Foreground probability per pixel, 0..255 (from the alpha channel, or a mask file). */
    readonly mask?: Uint8Array;
    /** Instance label per pixel (0 = background, k = object k), nearest-sampled. */
    readonly labels?: Uint8Array;
    /** Depth per pixel along the camera's -z axis, capture units (0 = none). */
    readonly depth?: Float32Array;
    /** The image's size before downscaling (set by the loader). */
    readonly sourceSize?: { readonly width: number; readonly height: number };
}

/** An object listed by a capture (sample scenes list their objects and ground-truth meshes). */
export interface CaptureObjectInfo {
    /** Label value of the object in the label images. */
    readonly id: number;
    /** Display name. */
    readonly name: string;
    /** Path of its ground-truth mesh (GLB) in the capture, if any. */
    readonly meshPath?: string;
}

/** A loaded, validated capture: every frame decoded, posed and checked. */
export interface Capture {
    /** Display name (the folder's name). */
    readonly name: string;
    /** The layout it was read from. */
    readonly format: CaptureFormat;
    /** All frames, in file order. */
    readonly frames: readonly CaptureFrame[];
    /** The region a bounded radiance field covers, in the capture's world. */
    readonly bounds: SceneBounds;
    /** The inner box and ray start of a whole-scene (contracted) field, chosen from the camera layout. */
    readonly wholeScene: WholeSceneRegion;
    /** Background policy for training. */
    readonly background: CaptureBackground;
    /** Objects listed by the capture (empty when unknown). */
    readonly objects: readonly CaptureObjectInfo[];
    /** Width and height of the original images (before downscaling) of frame 0. */
    readonly sourceSize: { readonly width: number; readonly height: number };
    /** Warnings that did not stop loading (e.g. "undistorted 48 OPENCV frames"). */
    readonly notes: readonly string[];
}

import type { CameraIntrinsics } from "../capture/captureTypes";

/** A camera looking at splats, in the splat file's coordinates. */
export interface SplatView {
    /** 16 numbers, capture layout (row-major, OpenGL convention: the camera looks down its -z, y up). */
    readonly cameraToWorld: ArrayLike<number>;
    readonly intrinsics: CameraIntrinsics;
}

/** Tile edge in pixels of the splat rasterizer. */
export const SplatTileSize = 16;

/** Floats per projected splat in {@link ProjectedSplats.entries}. */
export const ProjectedSplatFloats = 12;

/**
 * The splats one view sees, projected to the image and binned into 16-pixel tiles, front to back
 * (3DGS's rasterizer). Entry layout, 12 floats: mean u, mean v, depth, opacity; conic a, b, c,
 * splat index (u32 bits); r, g, b, depth sigma (the splat's
 * standard deviation along the view axis). The blend kernel and its CPU twin read these buffers as they are.
 */
export interface ProjectedSplats {
    readonly width: number;
    readonly height: number;
    readonly tilesX: number;
    readonly tilesY: number;
    /** Visible splats. */
    readonly count: number;
    /** count * 12 floats. */
    readonly entries: Float32Array;
    /** Per tile: first and one-past-last index into tileEntries. */
    readonly tileRanges: Uint32Array;
    /** Entry indices, per tile, nearest first. */
    readonly tileEntries: Uint32Array;
}

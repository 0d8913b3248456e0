/** Capture frames packed in the layout rayGeneration.wgsl reads (built by PackFrames in plugin/core/nerf/trainingFrames.ts). */
export interface PackedFrames {
    /** FrameCamera structs (rayGeneration.wgsl), one per frame. */
    readonly cameras: ArrayBuffer;
    /** RGBA8 pixels of all frames, frame after frame. */
    readonly pixels: Uint32Array;
    /** Number of frames. */
    readonly frameCount: number;
    /** Total pixels. */
    readonly totalPixels: number;
    /** First pixel of each frame in `pixels`. */
    readonly firstPixel: readonly number[];
}

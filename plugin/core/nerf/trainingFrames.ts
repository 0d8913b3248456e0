import type { CaptureFrame } from "../capture/captureTypes";
import { FrameCameraBytes } from "../../../shaders/nerf/nerfKernelCommon";
import type { PackedFrames } from "../../../shaders/nerf/packedFrames";

export type { PackedFrames };

/** GPU buffers of the training frames (PackFrames' output uploaded). */
export interface FrameBuffers {
    readonly cameras: GPUBuffer;
    readonly pixels: GPUBuffer;
}

/**
 * Packs capture frames for rayGeneration.wgsl.
 * @param frames the frames (e.g. the training views)
 * @returns cameras and pixels in the kernel's layout
 */
export function PackFrames(frames: readonly Pick<CaptureFrame, "cameraToWorld" | "intrinsics" | "image">[]): PackedFrames {
    const cameras = new ArrayBuffer(frames.length * FrameCameraBytes);
    const f = new Float32Array(cameras);
    const u = new Uint32Array(cameras);
    const firstPixel: number[] = [];
    let total = 0;
    frames.forEach((frame, i) => {
        const o = (i * FrameCameraBytes) / 4;
        const m = frame.cameraToWorld;
        for (let r = 0; r < 3; r++) {
            for (let c = 0; c < 4; c++) {
                f[o + r * 4 + c] = m[r * 4 + c];
            }
        }
        const k = frame.intrinsics;
        f.set([k.fx, k.fy, k.cx, k.cy], o + 12);
        u.set([frame.image.width, frame.image.height, total, i], o + 16);
        firstPixel.push(total);
        total += frame.image.width * frame.image.height;
    });
    const pixels = new Uint32Array(total);
    frames.forEach((frame, i) => {
        const data = frame.image.data;
        pixels.set(new Uint32Array(data.buffer, data.byteOffset, data.byteLength / 4), firstPixel[i]);
    });
    return { cameras, pixels, frameCount: frames.length, totalPixels: total, firstPixel };
}

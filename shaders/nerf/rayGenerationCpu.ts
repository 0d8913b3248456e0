import { RaySpan, Random01, type FieldParams } from "./fieldMath";
import type { PackedFrames } from "./packedFrames";
import { FrameCameraBytes, RayBytes } from "./nerfKernelCommon";
import type { RayParams } from "./rayGenerationKernel";

/**
 * CPU twin of rayGeneration.wgsl: the same rays, in the same Ray layout (16 floats per ray;
 * background.w holds the pixel index as u32 bits).
 * @param field grid parameters
 * @param params ray parameters
 * @param frames packed frames
 * @returns the rays buffer
 */
export function RayGenerationCpu(field: FieldParams, params: RayParams, frames: PackedFrames): ArrayBuffer {
    const out = new ArrayBuffer(params.rayCount * RayBytes);
    const f = new Float32Array(out);
    const u = new Uint32Array(out);
    const cf = new Float32Array(frames.cameras);
    const cu = new Uint32Array(frames.cameras);
    const stride = FrameCameraBytes / 4;
    for (let r = 0; r < params.rayCount; r++) {
        let frame: number;
        let pixel: number;
        let jitter: [number, number];
        if (params.mode === 0) {
            pixel = Math.min(Math.floor(Math.fround(Random01(params.seed, r) * params.totalPixels)), params.totalPixels - 1);
            frame = 0;
            while (frame + 1 < params.frameCount && cu[(frame + 1) * stride + 18] <= pixel) {
                frame++;
            }
            jitter = [Random01((params.seed ^ 0x9e3779b9) >>> 0, r), Random01((params.seed ^ 0x7f4a7c15) >>> 0, r)];
        } else if (params.mode === 2) {
            const size = params.frame;
            const patch = Math.floor(r / (size * size));
            const within = r % (size * size);
            frame = Math.min(Math.floor(Math.fround(Random01(params.seed, patch) * params.frameCount)), params.frameCount - 1);
            const width = cu[frame * stride + 16];
            const height = cu[frame * stride + 17];
            const x0 = Math.min(Math.floor(Math.fround(Random01((params.seed ^ 0x68e31da4) >>> 0, patch) * (width - size + 1))), width - size);
            const y0 = Math.min(Math.floor(Math.fround(Random01((params.seed ^ 0xb5297a4d) >>> 0, patch) * (height - size + 1))), height - size);
            pixel = cu[frame * stride + 18] + (y0 + Math.floor(within / size)) * width + x0 + (within % size);
            jitter = [0.5, 0.5];
        } else {
            frame = params.frame;
            pixel = cu[frame * stride + 18] + params.firstRay + r;
            jitter = [0.5, 0.5];
        }
        const o = frame * stride;
        const width = cu[o + 16];
        const local = pixel - cu[o + 18];
        const x = (local % width) + jitter[0];
        const y = Math.floor(local / width) + jitter[1];
        const d = [(x - cf[o + 14]) / cf[o + 12], -(y - cf[o + 15]) / cf[o + 13], -1];
        const world = [0, 1, 2].map((row) => cf[o + row * 4] * d[0] + cf[o + row * 4 + 1] * d[1] + cf[o + row * 4 + 2] * d[2]);
        const length = Math.hypot(world[0], world[1], world[2]);
        const direction = world.map((v) => v / length);
        const origin = [cf[o + 3], cf[o + 7], cf[o + 11]];
        let background = [1, 1, 1];
        if (params.background === 1) {
            background = [0, 0, 0];
        } else if (params.background === 2) {
            background = [Random01((params.seed ^ 0x85ebca6b) >>> 0, r), Random01((params.seed ^ 0xc2b2ae35) >>> 0, r), Random01((params.seed ^ 0x27d4eb2f) >>> 0, r)];
        }
        const word = frames.pixels[pixel];
        const rgba = [word & 255, (word >>> 8) & 255, (word >>> 16) & 255, word >>> 24].map((v) => v / 255);
        const [tNear, tFar] = RaySpan(field, origin, direction);
        const base = r * 16;
        f.set([origin[0], origin[1], origin[2], tNear, direction[0], direction[1], direction[2], tFar], base);
        f.set([0, 1, 2].map((c) => rgba[c] * rgba[3] + background[c] * (1 - rgba[3])), base + 8);
        f[base + 11] = rgba[3];
        f.set(background, base + 12);
        u[base + 15] = pixel;
    }
    return out;
}

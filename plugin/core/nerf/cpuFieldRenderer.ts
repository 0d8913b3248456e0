import type { FieldView, RenderedView } from "./gpuFieldRenderer";
import type { RadianceFieldData } from "./radianceFieldData";
import { PackFrames } from "./trainingFrames";
import { RayGenerationCpu } from "../../../shaders/nerf/rayGenerationCpu";
import { SampleRaysCpu } from "../../../shaders/nerf/sampleRaysCpu";
import { VolumeRenderForwardCpu } from "../../../shaders/nerf/volumeRenderCpu";
import { RayBackground } from "../../../shaders/nerf/nerfKernelCommon";

/**
 * Renders a view of a field with the CPU twins of the render kernels (ray generation in render
 * mode, sampling without jitter, forward compositing): the reference the GPU and shader renders
 * are tested against, and a fallback where WebGPU is missing (slow: single-threaded JS).
 * @param field the field
 * @param view camera pose and intrinsics
 * @param options rows to render (a band, for tests) and early stop
 * @param options.rows [first, end) rows; all when omitted
 * @param options.earlyStop transmittance at which rays stop (default 1e-3, as the GPU renderer)
 * @returns the image (rows outside the band are left transparent black)
 */
export function RenderViewCpu(field: RadianceFieldData, view: FieldView, options: { rows?: [number, number]; earlyStop?: number } = {}): RenderedView {
    const { width, height } = view.intrinsics;
    const [firstRow, endRow] = options.rows ?? [0, height];
    const rayCount = (endRow - firstRow) * width;
    const frames = PackFrames([{ cameraToWorld: Float64Array.from(view.cameraToWorld), intrinsics: view.intrinsics, image: { width, height, data: new Uint8ClampedArray(width * height * 4) } }]);
    const background = field.background === "white" ? RayBackground.white : RayBackground.black;
    const rays = RayGenerationCpu(field.params, { rayCount, frameCount: 1, totalPixels: width * height, seed: 0, mode: 1, frame: 0, firstRay: firstRow * width, background }, frames);
    const maxSamples = 512;
    const samples = SampleRaysCpu(field.params, { rayCount, maxSamples, seed: 0, jitter: false }, rays, field.occupancy);
    const { results } = VolumeRenderForwardCpu(field.params, { rayCount, maxSamples, training: false, earlyStop: options.earlyStop ?? 1e-3 }, rays, samples.sampleT, samples.sampleCount, field.density, field.sh);
    const color = new Uint8ClampedArray(width * height * 4);
    const opacity = new Float32Array(width * height);
    const depth = new Float32Array(width * height);
    let sampleSum = 0;
    for (let r = 0; r < rayCount; r++) {
        const pixel = firstRow * width + r;
        const o = r * 12;
        color.set([Math.round(results[o] * 255), Math.round(results[o + 1] * 255), Math.round(results[o + 2] * 255), 255], pixel * 4);
        opacity[pixel] = results[o + 3];
        depth[pixel] = results[o + 4];
        sampleSum += results[o + 5];
    }
    return { width, height, color, opacity, depth, samplesPerRay: sampleSum / Math.max(1, rayCount) };
}

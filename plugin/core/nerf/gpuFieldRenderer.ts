import type { CameraIntrinsics } from "../capture/captureTypes";
import type { GpuContext } from "../gpu/gpuContext";
import { PackFrames } from "./trainingFrames";
import type { GpuFieldState } from "./gpuFieldState";
import { NerfKernelSet } from "./nerfKernelSet";
import { RayBatch } from "./rayBatch";
import type { FieldBackground } from "./radianceFieldData";
import { PackRayParams } from "../../../shaders/nerf/rayGenerationKernel";
import { PackSampleParams } from "../../../shaders/nerf/sampleRaysKernel";
import { PackRenderParams, RayResultBytes } from "../../../shaders/nerf/volumeRenderForwardKernel";
import { RayBackground } from "../../../shaders/nerf/nerfKernelCommon";

/** A posed pinhole view to render (capture layout, OpenGL convention). */
export interface FieldView {
    readonly cameraToWorld: ArrayLike<number>;
    readonly intrinsics: CameraIntrinsics;
}

/** An image rendered from a field. */
export interface RenderedView {
    readonly width: number;
    readonly height: number;
    /** RGBA8, alpha 255 (the colour is composited on the background). */
    readonly color: Uint8ClampedArray;
    /** Opacity per pixel, 0..1. */
    readonly opacity: Float32Array;
    /** Expected ray-termination distance per pixel (world units along the ray; meaningful where opacity > 0). */
    readonly depth: Float32Array;
    /** Mean samples evaluated per ray. */
    readonly samplesPerRay: number;
}

/**
 * Renders any view of a GPU field with the training kernels (ray generation in render mode,
 * occupancy sampling without jitter, forward compositing), in chunks of rays.
 */
export class GpuFieldRenderer {
    private readonly _context: GpuContext;
    private readonly _kernels: NerfKernelSet;
    private readonly _batch: RayBatch;
    private readonly _earlyStop: number;

    private constructor(context: GpuContext, kernels: NerfKernelSet, batch: RayBatch, earlyStop: number) {
        this._context = context;
        this._kernels = kernels;
        this._batch = batch;
        this._earlyStop = earlyStop;
    }

    /**
     * @param context the device
     * @param options chunk size, samples per ray, early stop, shared kernels
     * @param options.kernels kernels to share (compiled when omitted)
     * @param options.chunk rays per dispatch
     * @param options.maxSamples most samples per ray
     * @param options.earlyStop transmittance at which rays stop
     * @returns the renderer
     */
    public static async CreateAsync(context: GpuContext, options: { kernels?: NerfKernelSet; chunk?: number; maxSamples?: number; earlyStop?: number } = {}): Promise<GpuFieldRenderer> {
        const kernels = options.kernels ?? (await NerfKernelSet.CreateAsync(context, true));
        const batch = await RayBatch.CreateAsync(context, options.chunk ?? 16384, options.maxSamples ?? 512);
        return new GpuFieldRenderer(context, kernels, batch, options.earlyStop ?? 1e-3);
    }

    /**
     * Renders one view.
     * @param state the field
     * @param view camera pose and intrinsics
     * @param background what shows through where the field is transparent
     * @returns colour, opacity, depth and statistics
     */
    public async renderAsync(state: GpuFieldState, view: FieldView, background: FieldBackground): Promise<RenderedView> {
        const { width, height } = view.intrinsics;
        const pixelCount = width * height;
        const packed = PackFrames([{ cameraToWorld: Float64Array.from(view.cameraToWorld), intrinsics: view.intrinsics, image: { width, height, data: new Uint8ClampedArray(pixelCount * 4) } }]);
        const context = this._context;
        const cameras = context.createStorageBuffer("render-camera", new Uint8Array(packed.cameras));
        const pixels = context.createStorageBuffer("render-pixels", packed.pixels);
        const gathered = context.createStorageBuffer("render-results", pixelCount * RayResultBytes);
        const batch = this._batch;
        const kernels = this._kernels;
        try {
            const rayGroup = kernels.rayGeneration.bind({ field: state.fieldUniform, params: batch.rayParams, cameras, pixels, rays: batch.rays });
            const sampleGroup = kernels.sampleRays.bind({ field: state.fieldUniform, params: batch.sampleParams, rays: batch.rays, occupancy: state.occupancy, sampleT: batch.sampleT, sampleCount: batch.sampleCount });
            const forwardGroup = kernels.forward.bind({ field: state.fieldUniform, params: batch.renderParams, rays: batch.rays, sampleT: batch.sampleT, sampleCount: batch.sampleCount, density: state.density, sh: state.sh, results: batch.results, rayLoss: batch.rayLoss });
            for (let first = 0; first < pixelCount; first += batch.capacity) {
                const count = Math.min(batch.capacity, pixelCount - first);
                context.write(batch.rayParams, PackRayParams({ rayCount: count, frameCount: 1, totalPixels: pixelCount, seed: 0, mode: 1, frame: 0, firstRay: first, background: background === "white" ? RayBackground.white : RayBackground.black }));
                context.write(batch.sampleParams, PackSampleParams({ rayCount: count, maxSamples: batch.maxSamples, seed: 0, jitter: false }));
                context.write(batch.renderParams, new Uint8Array(PackRenderParams({ rayCount: count, maxSamples: batch.maxSamples, training: false, earlyStop: this._earlyStop })));
                const encoder = context.device.createCommandEncoder({ label: "render-view" });
                const pass = encoder.beginComputePass();
                kernels.rayGeneration.encode(pass, rayGroup, count);
                kernels.sampleRays.encode(pass, sampleGroup, count);
                kernels.forward.encode(pass, forwardGroup, count);
                pass.end();
                encoder.copyBufferToBuffer(batch.results, 0, gathered, first * RayResultBytes, count * RayResultBytes);
                context.device.queue.submit([encoder.finish()]);
            }
            const results = await context.readFloat32Async(gathered);
            const color = new Uint8ClampedArray(pixelCount * 4);
            const opacity = new Float32Array(pixelCount);
            const depth = new Float32Array(pixelCount);
            let samples = 0;
            for (let i = 0; i < pixelCount; i++) {
                const o = i * 12;
                color[i * 4] = Math.round(results[o] * 255);
                color[i * 4 + 1] = Math.round(results[o + 1] * 255);
                color[i * 4 + 2] = Math.round(results[o + 2] * 255);
                color[i * 4 + 3] = 255;
                opacity[i] = results[o + 3];
                depth[i] = results[o + 4];
                samples += results[o + 5];
            }
            return { width, height, color, opacity, depth, samplesPerRay: samples / pixelCount };
        } finally {
            context.release(cameras);
            context.release(pixels);
            context.release(gathered);
        }
    }

    /** Frees the ray buffers (the kernels are shared). */
    public dispose(): void {
        this._batch.dispose();
    }
}

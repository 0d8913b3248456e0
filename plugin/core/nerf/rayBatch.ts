import type { GpuContext } from "../gpu/gpuContext";
import { RayBytes } from "../../../shaders/nerf/nerfKernelCommon";
import { RayResultBytes, RenderParamsBytes } from "../../../shaders/nerf/volumeRenderForwardKernel";

/** The per-ray buffers of one batch (training batch or render chunk) and its parameter uniforms. */
export class RayBatch {
    /** Rays the buffers hold. */
    public readonly capacity: number;
    /** Most samples per ray. */
    public readonly maxSamples: number;
    public readonly rays: GPUBuffer;
    public readonly sampleT: GPUBuffer;
    public readonly sampleCount: GPUBuffer;
    public readonly results: GPUBuffer;
    public readonly rayLoss: GPUBuffer;
    public readonly rayParams: GPUBuffer;
    public readonly sampleParams: GPUBuffer;
    public readonly renderParams: GPUBuffer;
    private readonly _context: GpuContext;

    private constructor(context: GpuContext, capacity: number, maxSamples: number) {
        this._context = context;
        this.capacity = capacity;
        this.maxSamples = maxSamples;
        this.rays = context.createStorageBuffer("rays", capacity * RayBytes);
        this.sampleT = context.createStorageBuffer("sampleT", capacity * maxSamples * 4);
        this.sampleCount = context.createStorageBuffer("sampleCount", capacity * 4);
        this.results = context.createStorageBuffer("results", capacity * RayResultBytes);
        this.rayLoss = context.createStorageBuffer("rayLoss", capacity * 4);
        this.rayParams = context.createUniformBuffer("rayParams", new Uint32Array(8));
        this.sampleParams = context.createUniformBuffer("sampleParams", new Uint32Array(4));
        this.renderParams = context.createUniformBuffer("renderParams", new Uint8Array(RenderParamsBytes));
    }

    /**
     * Allocates the buffers (out-of-memory reported with the size asked for).
     * @param context the device
     * @param capacity rays per batch
     * @param maxSamples most samples per ray
     * @returns the batch
     */
    public static async CreateAsync(context: GpuContext, capacity: number, maxSamples: number): Promise<RayBatch> {
        return context.allocateCheckedAsync(`a batch of ${capacity} rays x ${maxSamples} samples`, () => new RayBatch(context, capacity, maxSamples));
    }

    /** Frees the buffers. */
    public dispose(): void {
        for (const buffer of [this.rays, this.sampleT, this.sampleCount, this.results, this.rayLoss, this.rayParams, this.sampleParams, this.renderParams]) {
            this._context.release(buffer);
        }
    }
}

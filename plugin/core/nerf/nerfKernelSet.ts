import { ComputeKernel } from "../gpu/computeKernel";
import type { GpuContext } from "../gpu/gpuContext";
import { RayGenerationKernel } from "../../../shaders/nerf/rayGenerationKernel";
import { SampleRaysKernel } from "../../../shaders/nerf/sampleRaysKernel";
import { VolumeRenderForwardKernel } from "../../../shaders/nerf/volumeRenderForwardKernel";
import { VolumeRenderBackwardKernel } from "../../../shaders/nerf/volumeRenderBackwardKernel";
import { AdamKernel, OccupancyUpdateKernel, PrepareIndirectKernel, TotalVariationKernel, UpsampleGridKernel } from "../../../shaders/nerf/optimizerKernels";

type KernelOf<T> = T extends { bindings: readonly { name: infer N }[] } ? ComputeKernel<N & string> : never;

/** Every radiance-field kernel, compiled once per device (and accumulation mode). */
export class NerfKernelSet {
    public readonly rayGeneration: KernelOf<typeof RayGenerationKernel>;
    public readonly sampleRays: KernelOf<typeof SampleRaysKernel>;
    public readonly forward: KernelOf<typeof VolumeRenderForwardKernel>;
    public readonly backward: KernelOf<typeof VolumeRenderBackwardKernel>;
    public readonly prepareIndirect: KernelOf<typeof PrepareIndirectKernel>;
    public readonly totalVariation: KernelOf<typeof TotalVariationKernel>;
    public readonly adam: KernelOf<typeof AdamKernel>;
    public readonly occupancyUpdate: KernelOf<typeof OccupancyUpdateKernel>;
    public readonly upsample: KernelOf<typeof UpsampleGridKernel>;

    private constructor(kernels: NerfKernelSet) {
        this.rayGeneration = kernels.rayGeneration;
        this.sampleRays = kernels.sampleRays;
        this.forward = kernels.forward;
        this.backward = kernels.backward;
        this.prepareIndirect = kernels.prepareIndirect;
        this.totalVariation = kernels.totalVariation;
        this.adam = kernels.adam;
        this.occupancyUpdate = kernels.occupancyUpdate;
        this.upsample = kernels.upsample;
    }

    /**
     * Compiles all kernels.
     * @param context the device
     * @param deterministic fixed-point (order-independent) gradient accumulation
     * @returns the set
     */
    public static async CreateAsync(context: GpuContext, deterministic: boolean): Promise<NerfKernelSet> {
        const mode = { DETERMINISTIC: deterministic ? 1 : 0 };
        const [rayGeneration, sampleRays, forward, backward, prepareIndirect, totalVariation, adam, occupancyUpdate, upsample] = await Promise.all([
            ComputeKernel.CreateAsync(context, RayGenerationKernel),
            ComputeKernel.CreateAsync(context, SampleRaysKernel),
            ComputeKernel.CreateAsync(context, VolumeRenderForwardKernel),
            ComputeKernel.CreateAsync(context, VolumeRenderBackwardKernel, mode),
            ComputeKernel.CreateAsync(context, PrepareIndirectKernel),
            ComputeKernel.CreateAsync(context, TotalVariationKernel, mode),
            ComputeKernel.CreateAsync(context, AdamKernel, mode),
            ComputeKernel.CreateAsync(context, OccupancyUpdateKernel),
            ComputeKernel.CreateAsync(context, UpsampleGridKernel),
        ]);
        return new NerfKernelSet({ rayGeneration, sampleRays, forward, backward, prepareIndirect, totalVariation, adam, occupancyUpdate, upsample } as NerfKernelSet);
    }
}

import { GpuContext } from "../core/gpu/gpuContext";
import { SplatRasterizer } from "../core/splats/splatRasterizer";

/**
 * The splat rasterizer of the workspace's splat side: on a WebGPU device of its own (created on
 * first use, replaced when lost) when the settings prefer it and the browser offers one, else on
 * the CPU twin.
 */
export class SplatRasterizerSource {
    private _context: Promise<GpuContext | null> | null = null;

    /**
     * A rasterizer for the next piece of work.
     * @param preferGpu the settings prefer WebGPU (config.splats.preferGpu)
     * @returns the rasterizer
     */
    public async rasterizerAsync(preferGpu: boolean): Promise<SplatRasterizer> {
        this._context ??= preferGpu && GpuContext.IsSupported() ? GpuContext.CreateAsync({ label: "sanerf-splats" }).catch(() => null) : Promise.resolve(null);
        let context = await this._context;
        if (context?.lostInfo) {
            context.dispose();
            this._context = null;
            context = null;
        }
        return new SplatRasterizer(context);
    }

    /** Releases the device. */
    public dispose(): void {
        void this._context?.then((context) => context?.dispose());
        this._context = null;
    }
}

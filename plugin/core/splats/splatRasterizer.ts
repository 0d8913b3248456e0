import { SplatBlendCpu } from "../../../shaders/splats/splatBlendCpu";
import { PackSplatBlendParams, SplatBlendKernel } from "../../../shaders/splats/splatKernels";
import type { SplatBlendParams } from "../../../shaders/splats/splatKernels";
import { ComputeKernel } from "../gpu/computeKernel";
import type { GpuContext } from "../gpu/gpuContext";
import type { SplatCloud } from "./splatCloud";
import { DefaultSplatLabelOptions, type SplatLabelOptions } from "./splatLabelAssignment";
import { ProjectSplats } from "./splatProjection";
import type { ProjectedSplats, SplatView } from "./splatView";

/** A view of splats rendered: colour, opacity and the expected depth of the blended splats. */
export interface SplatRender {
    readonly width: number;
    readonly height: number;
    /** width * height * 3 linear RGB, not composited (premultiplied by opacity). */
    readonly color: Float32Array;
    /** width * height, 1 - transmittance. */
    readonly opacity: Float32Array;
    /** width * height, the weighted mean depth of the blended splats along the view axis; 0 where opacity < 0.5. */
    readonly depth: Float32Array;
}

/** One view's labels for label-weight sums: a label per pixel (0 outside every object, k inside object k). */
export interface LabelledSplatView {
    readonly view: SplatView;
    readonly labels: Uint8Array;
}

/**
 * Renders splats and sums each splat's blending weight per label over views, on WebGPU
 * (splatBlend.wgsl) or on its CPU twin when no device is given. Projection and tile binning run on
 * the CPU (splatProjection.ts) for both.
 */
export class SplatRasterizer {
    private readonly _context: GpuContext | null;
    private _kernel: Promise<ComputeKernel> | null = null;

    /**
     * @param context the WebGPU device, or null for the CPU twin
     */
    public constructor(context: GpuContext | null) {
        this._context = context;
    }

    /** Whether the passes run on WebGPU. */
    public get onGpu(): boolean {
        return this._context !== null;
    }

    /**
     * Renders a view of the splats.
     * @param cloud the splats
     * @param view the camera
     * @returns colour, opacity and depth per pixel
     */
    public async renderAsync(cloud: SplatCloud, view: SplatView): Promise<SplatRender> {
        const projected = ProjectSplats(cloud, view);
        const params: SplatBlendParams = { width: projected.width, height: projected.height, tilesX: projected.tilesX, labelSlots: 0 };
        const pixels = projected.width * projected.height;
        let image: Float32Array;
        if (this._context) {
            image = await this._blendOnGpuAsync(params, projected, null, null);
        } else {
            image = new Float32Array(pixels * 5);
            SplatBlendCpu(params, { ...projected, pixelLabels: null, image, weights: null });
        }
        const color = new Float32Array(pixels * 3);
        const opacity = new Float32Array(pixels);
        const depth = new Float32Array(pixels);
        for (let p = 0; p < pixels; p++) {
            color.set(image.subarray(p * 5, p * 5 + 3), p * 3);
            opacity[p] = image[p * 5 + 3];
            depth[p] = opacity[p] >= 0.5 ? image[p * 5 + 4] / opacity[p] : 0;
        }
        return { width: projected.width, height: projected.height, color, opacity, depth };
    }

    /**
     * Sums, for every splat, its blending weight (alpha * transmittance) at the pixels of each
     * label over all views: FlashSplat's per-Gaussian contributions inside and outside the masks.
     * With centre votes, a splat whose centre votes sum under the background prior over all views
     * (no view shows its centre on a surface) gets its footprintSquared votes instead.
     * @param cloud the splats
     * @param views the views and their label images
     * @param labelSlots objects + 1 (slot 0: outside every object)
     * @param options.vote which pixels vote for a splat, and how much (SplatLabelVote; default the pipeline's, centre)
     * @param options.surfaceTolerance centre votes: how far behind a pixel's surface a splat still votes, share of its depth
     * @param options.backgroundPrior centre votes: the sum under which a splat takes its footprint votes
     * @param options.onView called after each view
     * @param options.signal stops between views
     * @returns count * labelSlots sums
     */
    public async sumLabelWeightsAsync(
        cloud: SplatCloud,
        views: readonly LabelledSplatView[],
        labelSlots: number,
        options: Partial<Pick<SplatLabelOptions, "vote" | "surfaceTolerance" | "backgroundPrior">> & { onView?: (done: number, total: number) => void; signal?: AbortSignal } = {},
    ): Promise<Float32Array> {
        const context = this._context;
        const vote = options.vote ?? DefaultSplatLabelOptions.vote;
        const size = cloud.count * labelSlots * (vote === "centre" ? 2 : 1);
        const weightsBuffer = context ? await context.allocateCheckedAsync("splat label weights", () => context.createStorageBuffer("splatWeights", size * 4)) : null;
        const weights = new Float32Array(size);
        try {
            for (let v = 0; v < views.length; v++) {
                options.signal?.throwIfAborted();
                const { view, labels } = views[v];
                const projected = ProjectSplats(cloud, view);
                if (labels.length !== projected.width * projected.height) {
                    throw new Error(`label image ${v} has ${labels.length} pixels, its view ${projected.width} x ${projected.height}`);
                }
                const params: SplatBlendParams = { width: projected.width, height: projected.height, tilesX: projected.tilesX, labelSlots, vote, surfaceTolerance: options.surfaceTolerance ?? DefaultSplatLabelOptions.surfaceTolerance };
                const pixelLabels = Uint32Array.from(labels);
                if (weightsBuffer) {
                    await this._blendOnGpuAsync(params, projected, pixelLabels, weightsBuffer);
                } else {
                    SplatBlendCpu(params, { ...projected, pixelLabels, image: null, weights });
                }
                options.onView?.(v + 1, views.length);
            }
            if (context && weightsBuffer) {
                weights.set(await context.readFloat32Async(weightsBuffer));
            }
            return vote === "centre" ? CentreOrFootprintVotes(weights, cloud.count, labelSlots, options.backgroundPrior ?? DefaultSplatLabelOptions.backgroundPrior) : weights;
        } finally {
            context?.release(weightsBuffer);
        }
    }

    /** One blend pass on the device; returns the image in render mode, an empty array in labels mode. */
    private async _blendOnGpuAsync(params: SplatBlendParams, projected: ProjectedSplats, pixelLabels: Uint32Array | null, weights: GPUBuffer | null): Promise<Float32Array> {
        const context = this._context!;
        this._kernel ??= ComputeKernel.CreateAsync(context, SplatBlendKernel);
        const kernel = await this._kernel;
        const pixels = params.width * params.height;
        const made: GPUBuffer[] = [];
        try {
            const buffers = await context.allocateCheckedAsync("splat view", () => {
                const make = (label: string, data: ArrayBufferView | number): GPUBuffer => {
                    const buffer = context.createStorageBuffer(label, typeof data === "number" ? Math.max(4, data) : NonEmpty(data));
                    made.push(buffer);
                    return buffer;
                };
                const uniform = context.createUniformBuffer("splatBlendParams", new Uint32Array(PackSplatBlendParams(params)));
                made.push(uniform);
                return {
                    params: uniform,
                    entries: make("splatEntries", projected.entries),
                    tileRanges: make("splatTileRanges", projected.tileRanges),
                    tileEntries: make("splatTileEntries", projected.tileEntries),
                    pixelLabels: make("splatPixelLabels", pixelLabels ?? 4),
                    image: make("splatImage", pixelLabels ? 4 : pixels * 5 * 4),
                    weights: weights ?? make("splatNoWeights", 4),
                };
            });
            kernel.dispatch(buffers, pixels);
            if (pixelLabels) {
                await context.finishAsync();
                return new Float32Array(0);
            }
            return await context.readFloat32Async(buffers.image);
        } finally {
            made.forEach((buffer) => context.release(buffer));
        }
    }
}

/** WebGPU buffers cannot be empty: a typed array of at least one element. */
function NonEmpty(data: ArrayBufferView): ArrayBufferView {
    return data.byteLength > 0 ? data : new Uint32Array(1);
}

/**
 * Centre votes' sums (2 * slots per splat: centre votes, then footprintSquared votes) to slots per
 * splat: the centre votes, or the footprintSquared votes where the centre votes sum under `seen`.
 * @param sums count * slots * 2
 * @param count splats
 * @param slots label slots
 * @param seen the least centre-vote sum that counts
 * @returns count * slots
 */
function CentreOrFootprintVotes(sums: Float32Array, count: number, slots: number, seen: number): Float32Array {
    const votes = new Float32Array(count * slots);
    for (let i = 0; i < count; i++) {
        let centre = 0;
        for (let k = 0; k < slots; k++) {
            centre += sums[i * slots * 2 + k];
        }
        const from = i * slots * 2 + (centre >= seen ? 0 : slots);
        votes.set(sums.subarray(from, from + slots), i * slots);
    }
    return votes;
}

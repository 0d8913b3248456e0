import type { GpuContext } from "../gpu/gpuContext";
import { OccupancyCellCount, PackFieldParams, VoxelCount, type FieldParams } from "../../../shaders/nerf/fieldMath";
import { GradWordsPerPoint, TouchedBitsOffset } from "../../../shaders/nerf/volumeRenderBackwardKernel";

/**
 * The GPU buffers of one radiance-field grid: parameters, occupancy, and (when trainable) the
 * gradient, Adam moment and touched-point buffers. Layouts: shaders/nerf/fieldCommon.wgsl.
 */
export class GpuFieldState {
    /** Grid parameters. */
    public readonly params: FieldParams;
    /** FieldParams uniform. */
    public readonly fieldUniform: GPUBuffer;
    /** Raw density per point. */
    public readonly density: GPUBuffer;
    /** 12 SH coefficients per point. */
    public readonly sh: GPUBuffer;
    /** Occupancy bits. */
    public readonly occupancy: GPUBuffer;
    /** Per-cell moving maximum of density. */
    public readonly cellDensity: GPUBuffer;
    /** Training buffers (null for a render-only field). */
    public training: { grad: GPUBuffer; moments: GPUBuffer; touchedList: GPUBuffer; touchedState: GPUBuffer; indirectArgs: GPUBuffer; occupancyStats: GPUBuffer } | null;
    private readonly _context: GpuContext;

    private constructor(context: GpuContext, params: FieldParams, trainable: boolean) {
        this._context = context;
        this.params = params;
        const points = VoxelCount(params);
        const cells = OccupancyCellCount(params);
        const grid = `${params.gridSize.join("x")}`;
        this.fieldUniform = context.createUniformBuffer(`field-${grid}`, new Uint8Array(PackFieldParams(params)));
        this.density = context.createStorageBuffer(`density-${grid}`, points * 4);
        this.sh = context.createStorageBuffer(`sh-${grid}`, points * 48);
        this.occupancy = context.createStorageBuffer(`occupancy-${grid}`, Math.ceil(cells / 32) * 4);
        this.cellDensity = context.createStorageBuffer(`cellDensity-${grid}`, cells * 4);
        this.training = trainable
            ? {
                  grad: context.createStorageBuffer(`grad-${grid}`, points * GradWordsPerPoint * 4),
                  moments: context.createStorageBuffer(`moments-${grid}`, points * GradWordsPerPoint * 8),
                  touchedList: context.createStorageBuffer(`touchedList-${grid}`, points * 4),
                  touchedState: context.createStorageBuffer(`touchedState-${grid}`, (TouchedBitsOffset + Math.ceil(points / 32)) * 4),
                  indirectArgs: context.createStorageBuffer(`indirectArgs-${grid}`, 16, GPUBufferUsage.INDIRECT),
                  occupancyStats: context.createStorageBuffer(`occupancyStats-${grid}`, 16),
              }
            : null;
    }

    /**
     * Allocates a grid (out-of-memory reported with the size asked for).
     * @param context the device
     * @param params grid parameters
     * @param trainable also allocate gradients, moments and touched lists
     * @returns the state (density and SH zero, occupancy all clear)
     */
    public static async CreateAsync(context: GpuContext, params: FieldParams, trainable: boolean): Promise<GpuFieldState> {
        return context.allocateCheckedAsync(`a ${params.gridSize.join("x")} radiance-field grid${trainable ? " with its training state" : ""}`, () => new GpuFieldState(context, params, trainable));
    }

    /**
     * Estimated bytes of a grid.
     * @param params grid parameters
     * @param trainable include training buffers
     * @returns bytes
     */
    public static EstimateBytes(params: FieldParams, trainable: boolean): number {
        const points = VoxelCount(params);
        const cells = OccupancyCellCount(params);
        return points * 52 + cells * 4.125 + (trainable ? points * (GradWordsPerPoint * 12 + 4 + 0.125) : 0);
    }

    /** Sets every occupancy bit (before the warm-up ends, nothing is skipped). */
    public fillOccupancy(): void {
        const cells = OccupancyCellCount(this.params);
        const words = new Uint32Array(Math.ceil(cells / 32)).fill(0xffffffff);
        if (cells % 32 !== 0) {
            words[words.length - 1] = (1 << (cells % 32)) - 1;
        }
        this._context.write(this.occupancy, words);
    }

    /**
     * Uploads density, SH and occupancy.
     * @param density raw densities
     * @param sh SH coefficients
     * @param occupancy occupancy bits (all set when omitted)
     */
    public upload(density: Float32Array, sh: Float32Array, occupancy?: Uint32Array): void {
        this._context.write(this.density, density);
        this._context.write(this.sh, sh);
        if (occupancy) {
            this._context.write(this.occupancy, occupancy);
        } else {
            this.fillOccupancy();
        }
    }

    /**
     * Reads density, SH and occupancy back. The three copies are submitted at once, so they see
     * the same training step and survive the state being freed (grid growth) while they are read.
     * @returns copies of the three arrays
     */
    public async downloadAsync(): Promise<{ density: Float32Array; sh: Float32Array; occupancy: Uint32Array }> {
        const cells = OccupancyCellCount(this.params);
        const [density, sh, occupancy] = await Promise.all([this._context.readFloat32Async(this.density), this._context.readFloat32Async(this.sh), this._context.readUint32Async(this.occupancy, Math.ceil(cells / 32))]);
        return { density, sh, occupancy };
    }

    /** Frees the training buffers only (the field stays renderable). */
    public releaseTraining(): void {
        for (const buffer of Object.values(this.training ?? {})) {
            this._context.release(buffer);
        }
        this.training = null;
    }

    /** Frees every buffer. */
    public dispose(): void {
        for (const buffer of [this.fieldUniform, this.density, this.sh, this.occupancy, this.cellDensity, ...Object.values(this.training ?? {})]) {
            this._context.release(buffer);
        }
    }
}

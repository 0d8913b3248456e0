import type { GpuContext } from "../gpu/gpuContext";
import type { GpuFieldState } from "./gpuFieldState";
import type { PhotoAppearance } from "./photoAppearance";
import type { NerfKernelSet } from "./nerfKernelSet";
import type { RayBatch } from "./rayBatch";
import type { FrameBuffers } from "./trainingFrames";

/**
 * One grid level in training: the field's buffers plus every bind group of one iteration, made
 * once. Encodes a training iteration and an occupancy refresh.
 */
export class TrainingLevel {
    /** The field being trained. */
    public readonly state: GpuFieldState;
    private readonly _kernels: NerfKernelSet;
    private readonly _groups: Record<"rays" | "samples" | "forward" | "backward" | "prepare" | "tv" | "adam" | "occupancy", GPUBindGroup>;
    private readonly _adamParams: GPUBuffer;
    private readonly _occupancyParams: GPUBuffer;
    private readonly _tvParams: GPUBuffer;
    private readonly _context: GpuContext;

    /**
     * @param context the device
     * @param kernels compiled kernels
     * @param state the field (trainable)
     * @param batch the ray batch
     * @param frames the training frames
     */
    public constructor(context: GpuContext, kernels: NerfKernelSet, state: GpuFieldState, batch: RayBatch, frames: FrameBuffers) {
        if (!state.training) {
            throw new Error("TrainingLevel needs a trainable field state");
        }
        this._context = context;
        this._kernels = kernels;
        this.state = state;
        const t = state.training;
        this._adamParams = context.createUniformBuffer("adamParams", new Float32Array(8));
        this._occupancyParams = context.createUniformBuffer("occupancyParams", new Float32Array(2));
        this._tvParams = context.createUniformBuffer("tvParams", new Float32Array(2));
        const field = state.fieldUniform;
        this._groups = {
            rays: kernels.rayGeneration.bind({ field, params: batch.rayParams, cameras: frames.cameras, pixels: frames.pixels, rays: batch.rays }),
            samples: kernels.sampleRays.bind({ field, params: batch.sampleParams, rays: batch.rays, occupancy: state.occupancy, sampleT: batch.sampleT, sampleCount: batch.sampleCount }),
            forward: kernels.forward.bind({ field, params: batch.renderParams, rays: batch.rays, sampleT: batch.sampleT, sampleCount: batch.sampleCount, density: state.density, sh: state.sh, results: batch.results, rayLoss: batch.rayLoss }),
            backward: kernels.backward.bind({ field, params: batch.renderParams, rays: batch.rays, sampleT: batch.sampleT, density: state.density, sh: state.sh, results: batch.results, grad: t.grad, touchedList: t.touchedList, touchedState: t.touchedState }),
            prepare: kernels.prepareIndirect.bind({ touchedState: t.touchedState, indirectArgs: t.indirectArgs }),
            tv: kernels.totalVariation.bind({ field, params: this._tvParams, density: state.density, sh: state.sh, touchedList: t.touchedList, touchedState: t.touchedState, grad: t.grad }),
            adam: kernels.adam.bind({ params: this._adamParams, touchedList: t.touchedList, touchedState: t.touchedState, grad: t.grad, density: state.density, sh: state.sh, moments: t.moments }),
            occupancy: kernels.occupancyUpdate.bind({ field, params: this._occupancyParams, density: state.density, cellDensity: state.cellDensity, occupancy: state.occupancy, stats: t.occupancyStats }),
        };
    }

    /**
     * Sets the optimizer's per-iteration parameters (queued before the next submit).
     * @param adam packed AdamParams
     * @param tv [lambdaDensity, lambdaColor]
     */
    public setOptimizerParams(adam: Float32Array, tv: Float32Array): void {
        this._context.write(this._adamParams, adam);
        this._context.write(this._tvParams, tv);
    }

    /**
     * Records one iteration: rays, samples, forward, (per-photo appearance), backward, TV, Adam; then
     * clears the touched state.
     * @param encoder the command encoder
     * @param rayCount rays in the batch
     * @param regularize run the total-variation kernel
     * @param appearance the photos' colour transforms, when trained with per-photo appearance
     */
    public encodeIteration(encoder: GPUCommandEncoder, rayCount: number, regularize: boolean, appearance?: PhotoAppearance): void {
        const k = this._kernels;
        const t = this.state.training!;
        const pass = encoder.beginComputePass({ label: "train-iteration" });
        k.rayGeneration.encode(pass, this._groups.rays, rayCount);
        k.sampleRays.encode(pass, this._groups.samples, rayCount);
        k.forward.encode(pass, this._groups.forward, rayCount);
        if (appearance) {
            appearance.encodeApply(pass);
            appearance.encodeStep(pass);
        }
        k.backward.encode(pass, this._groups.backward, rayCount);
        k.prepareIndirect.encode(pass, this._groups.prepare, 1);
        if (regularize) {
            k.totalVariation.encodeIndirect(pass, this._groups.tv, t.indirectArgs);
        }
        k.adam.encodeIndirect(pass, this._groups.adam, t.indirectArgs);
        pass.end();
        encoder.clearBuffer(t.touchedState);
    }

    /**
     * Records an occupancy refresh.
     * @param encoder the command encoder
     * @param decay moving-maximum decay (0 starts afresh)
     * @param alphaThreshold occupancy threshold on per-step opacity
     */
    public encodeOccupancyUpdate(encoder: GPUCommandEncoder, decay: number, alphaThreshold: number): void {
        this._context.write(this._occupancyParams, Float32Array.from([decay, alphaThreshold]));
        encoder.clearBuffer(this.state.training!.occupancyStats);
        const pass = encoder.beginComputePass({ label: "occupancy-update" });
        const cells = this.state.params.occupancySize.reduce((a, b) => a * b, 1);
        this._kernels.occupancyUpdate.encode(pass, this._groups.occupancy, Math.ceil(cells / 32));
        pass.end();
    }

    /** Frees the level's uniforms and field state. */
    public dispose(): void {
        this._context.release(this._adamParams);
        this._context.release(this._occupancyParams);
        this._context.release(this._tvParams);
        this.state.dispose();
    }
}

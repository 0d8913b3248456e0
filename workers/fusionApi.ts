import type { FusionMaskView, FusionOptions, FusionProgress, FusionResult, ObjectFieldData, ObjectFieldGrid, ObjectFieldObject, ObjectMaskImage } from "../plugin/core/fusion/objectFieldTypes";
import type { FusionView } from "../plugin/core/fusion/fusionEngine";
import type { RadianceFieldData } from "../plugin/core/nerf/radianceFieldData";

/** What the fusion worker is asked to prepare (buffers are transferred). */
export interface FusionJob {
    readonly field: RadianceFieldData;
    readonly views: readonly FusionMaskView[];
    readonly objects: readonly ObjectFieldObject[];
    readonly options?: Partial<FusionOptions>;
    /** An earlier field to refine (warm start). */
    readonly warmStart?: ObjectFieldData;
    /** Use WebGPU in the worker when it has it (default true); else the CPU twins. */
    readonly preferGpu?: boolean;
    readonly captureName?: string;
}

/** What the worker prepared. */
export interface FusionJobInfo {
    readonly backend: "webgpu" | "cpu";
    /** Why that backend ("no WebGPU in this worker", ...). */
    readonly backendReason: string;
    readonly grid: ObjectFieldGrid;
}

/**
 * The fusion worker's API (comlink). One job at a time: prepare it, run it (progress through a
 * proxied callback; `cancelAsync` stops it between steps), render masks of any view from the
 * fused field, release it. Fusion never shares a worker with SAM, so decodes never wait for it.
 */
export interface FusionWorkerApi {
    /**
     * Prepares a job (replacing the previous one).
     * @param job field, masks, objects, options
     * @returns backend and grid
     */
    prepareAsync(job: FusionJob): Promise<FusionJobInfo>;
    /**
     * Runs the prepared job.
     * @param onProgress progress callback (a comlink proxy)
     * @returns the fused field (logits transferred) and the run's figures
     */
    fuseAsync(onProgress?: (progress: FusionProgress) => void): Promise<FusionResult>;
    /** Stops a running fusion after its current step (it then rejects with an AbortError). */
    cancelAsync(): Promise<void>;
    /**
     * Renders object masks of views from the job's current field.
     * @param views poses and intrinsics
     * @returns one mask image per view (transferred)
     */
    renderMasksAsync(views: readonly FusionView[]): Promise<ObjectMaskImage[]>;
    /** Frees the job. */
    releaseAsync(): Promise<void>;
}

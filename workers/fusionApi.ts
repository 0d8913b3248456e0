import type { FusionJob, FusionJobInfo, FusionProgress, FusionResult, ObjectMaskImage } from "../plugin/core/fusion/objectFieldTypes";
import type { FusionView } from "../plugin/core/fusion/fusionEngine";

export type { FusionJob, FusionJobInfo };

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

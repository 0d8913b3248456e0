import * as Comlink from "comlink";
import { WorkerBridge } from "./workerBridge";
import type { FusionView } from "../core/fusion/fusionEngine";
import type { FusionProgress, FusionResult, ObjectMaskImage } from "../core/fusion/objectFieldTypes";
import type { FusionJob, FusionJobInfo, FusionWorkerApi } from "../../workers/fusionApi";

/**
 * Main-thread side of the mask aggregator: sends a job (radiance field, per-view masks, objects,
 * options, optional field to refine) to the fusion worker, runs it with progress and cancellation,
 * and renders object masks of any view from the fused field. The field and masks are copied to the
 * worker, so nothing the caller holds is given away; a failed or cancelled run leaves the caller's
 * previous object field untouched.
 */
export class FusionService {
    private readonly _bridge: WorkerBridge<FusionWorkerApi>;
    private _job: FusionJobInfo | null = null;

    /** Creates the service (the worker starts on first use). */
    public constructor() {
        this._bridge = new WorkerBridge<FusionWorkerApi>(() => new Worker(new URL("../../workers/fusion.worker.ts", import.meta.url), { name: "sanerf-fusion" }), { name: "fusion worker", idleTimeoutMs: 0 });
    }

    /** The prepared job's backend and grid, or null. */
    public get job(): FusionJobInfo | null {
        return this._job;
    }

    /**
     * Prepares a job in the worker (copies its buffers there).
     * @param job field, masks, objects, options, warm start
     * @returns backend and grid
     */
    public async prepareAsync(job: FusionJob): Promise<FusionJobInfo> {
        this._job = null;
        this._job = await this._bridge.callAsync("prepareAsync", [job]);
        return this._job;
    }

    /**
     * Runs the prepared job.
     * @param onProgress progress events
     * @param signal cancels (the worker stops after its current step; the promise rejects with an AbortError)
     * @returns the fused field and the run's figures
     */
    public async fuseAsync(onProgress?: (progress: FusionProgress) => void, signal?: AbortSignal): Promise<FusionResult> {
        signal?.throwIfAborted();
        const cancel = (): void => void this._bridge.callAsync("cancelAsync", []).catch(() => undefined);
        signal?.addEventListener("abort", cancel, { once: true });
        try {
            return await this._bridge.callAsync("fuseAsync", [onProgress ? Comlink.proxy(onProgress) : undefined], { signal, onAbort: "keep" });
        } finally {
            signal?.removeEventListener("abort", cancel);
        }
    }

    /**
     * Prepares and runs a job.
     * @param job field, masks, objects, options, warm start
     * @param onProgress progress events
     * @param signal cancels
     * @returns the fused field and the run's figures
     */
    public async runAsync(job: FusionJob, onProgress?: (progress: FusionProgress) => void, signal?: AbortSignal): Promise<FusionResult & { backendReason: string }> {
        const info = await this.prepareAsync(job);
        signal?.throwIfAborted();
        return { ...(await this.fuseAsync(onProgress, signal)), backendReason: info.backendReason };
    }

    /**
     * Renders object masks from the job's current field.
     * @param views poses and intrinsics (capture coordinates)
     * @returns one mask image per view
     */
    public async renderMasksAsync(views: readonly FusionView[]): Promise<ObjectMaskImage[]> {
        return this._bridge.callAsync("renderMasksAsync", [views.map((view) => ({ cameraToWorld: Array.from(view.cameraToWorld), intrinsics: view.intrinsics }))]);
    }

    /** Stops the worker. */
    public dispose(): void {
        this._bridge.terminate();
        this._job = null;
    }
}

import { WorkerBridge } from "./workerBridge";
import type { ExtractedMesh, ExtractionOptions } from "../core/extraction/objectExtraction";
import type { ObjectMaskMode } from "../core/extraction/maskedRadianceField";
import type { ObjectFieldData } from "../core/fusion/objectFieldTypes";
import type { RadianceFieldData } from "../core/nerf/radianceFieldData";
import type { SplatExtractionOptions } from "../core/extraction/splatMeshExtraction";
import type { SplatCloud } from "../core/splats/splatCloud";
import type { ExtractionWorkerApi } from "../../workers/extractionApi";

/**
 * Main-thread side of the extraction worker: masked fields (an object alone, or the scene without
 * it) and meshes of fused objects, computed off the main thread so the editor stays responsive.
 * Inputs are copied to the worker (the caller keeps them); a call can be cancelled (the worker is
 * then restarted).
 */
export class ExtractionService {
    private readonly _bridge = new WorkerBridge<ExtractionWorkerApi>(() => new Worker(new URL("../../workers/extraction.worker.ts", import.meta.url), { name: "sanerf-extraction" }), { name: "extraction worker", idleTimeoutMs: 60000 });

    /**
     * The radiance field restricted to an object (cropped to it) or with the object cut out.
     * @param field the radiance field
     * @param objectField the fused object field
     * @param objectId the object (1..K)
     * @param mode "object" or "without"
     * @param signal cancels
     * @returns the masked field
     */
    public async maskFieldAsync(field: RadianceFieldData, objectField: ObjectFieldData, objectId: number, mode: ObjectMaskMode, signal?: AbortSignal): Promise<RadianceFieldData> {
        return this._bridge.callAsync("maskFieldAsync", [field, objectField, objectId, mode], { signal });
    }

    /**
     * Extracts an object's render mesh (normals, vertex colours) and collision mesh.
     * @param field the radiance field
     * @param objectField the fused object field
     * @param objectId the object (1..K)
     * @param options resolution and triangle budgets
     * @param signal cancels
     * @returns the meshes, capture coordinates
     */
    public async extractAsync(field: RadianceFieldData, objectField: ObjectFieldData, objectId: number, options?: Partial<ExtractionOptions>, signal?: AbortSignal): Promise<ExtractedMesh> {
        return this._bridge.callAsync("extractAsync", [field, objectField, objectId, options], { signal });
    }

    /**
     * Extracts the render and collision meshes of splats (an object's, ExtractSplatMesh).
     * @param cloud the splats (copied to the worker)
     * @param options resolution, surface level and triangle budgets
     * @param signal cancels
     * @returns the meshes, the splats' coordinates
     */
    public async extractSplatsAsync(cloud: SplatCloud, options?: Partial<SplatExtractionOptions>, signal?: AbortSignal): Promise<ExtractedMesh> {
        return this._bridge.callAsync("extractSplatsAsync", [cloud, options], { signal });
    }

    /** Stops the worker. */
    public dispose(): void {
        this._bridge.terminate();
    }
}

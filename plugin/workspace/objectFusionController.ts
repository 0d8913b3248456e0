import type { Capture } from "../core/capture/captureTypes";
import type { FusionView } from "../core/fusion/fusionEngine";
import type { FusionMaskView, FusionProgress, ObjectFieldData, ObjectMaskImage } from "../core/fusion/objectFieldTypes";
import type { RadianceFieldData } from "../core/nerf/radianceFieldData";
import { FuseMaskSetAsync } from "../core/pipeline/fuseStage";
import type { PipelineConfig } from "../core/pipeline/pipelineConfig";
import { MaskSetFromObjects } from "../core/segmentation/maskSet";
import type { SegmentationObject } from "../prompt/promptTypes";
import { FusionService } from "../services/fusionService";

/** One object's fusion result, as the UI shows it. */
export interface FusedObject {
    readonly objectId: number;
    readonly field: ObjectFieldData;
    /** The fused mask rendered into every capture frame. */
    readonly frameMasks: readonly ObjectMaskImage[];
    readonly backend: "webgpu" | "cpu";
    readonly seconds: number;
    /** Loss per progress event. */
    readonly history: readonly FusionProgress[];
    /** Whether this run refined an earlier field (warm start). */
    readonly refined: boolean;
}

/**
 * Fuses the prompt tool's per-view masks into object fields with the pipeline's fuse stage, one
 * sigmoid field per object (objects are fused independently, so an object missing from a view
 * never teaches "background" to another). A second fusion of the same object refines its field
 * (warm start, a share of the iterations) instead of starting from zero. Keeps each object's
 * fused field and its masks in every capture frame; renders any other view on request.
 */
export class ObjectFusionController {
    private readonly _service = new FusionService();
    private readonly _results = new Map<number, FusedObject>();
    private _loadedObject: number | null = null;
    private _preferGpu = true;

    /**
     * The result of an object, if it was fused.
     * @param objectId the object
     * @returns the result or undefined
     */
    public result(objectId: number): FusedObject | undefined {
        return this._results.get(objectId);
    }

    /** Every fused object. */
    public get results(): readonly FusedObject[] {
        return [...this._results.values()];
    }

    /**
     * Fuses (or refines) one object's propagated masks.
     * @param object the object, with its per-frame masks
     * @param capture the capture the masks belong to
     * @param field the radiance field
     * @param config the pipeline's settings (fusion, and the masks' weight floor)
     * @param onProgress progress events
     * @param signal cancels (the object's previous result stays)
     * @returns the result
     */
    public async fuseAsync(object: SegmentationObject, capture: Capture, field: RadianceFieldData, config: PipelineConfig, onProgress?: (progress: FusionProgress) => void, signal?: AbortSignal): Promise<FusedObject> {
        const frames = object.frames;
        if (!frames) {
            throw new Error(`"${object.name}" has no masks yet: propagate its prompts to all views first`);
        }
        const masks = MaskSetFromObjects([{ name: object.name, frames }], config.segment.maskWeightFloor, object.name);
        const previous = this._results.get(object.id);
        this._loadedObject = null;
        const { result, frameMasks } = await FuseMaskSetAsync(this._service, capture, field, masks, config.fuse, { warmStart: previous?.field, onProgress, signal });
        this._loadedObject = object.id;
        this._preferGpu = config.fuse.preferGpu;
        const fused: FusedObject = { objectId: object.id, field: result.field, frameMasks, backend: result.backend, seconds: result.seconds, history: result.history, refined: previous !== undefined };
        this._results.set(object.id, fused);
        return fused;
    }

    /**
     * Renders an object's fused mask in any view (the viewport's camera, in capture coordinates).
     * @param objectId the object
     * @param view pose and intrinsics
     * @param field the radiance field
     * @returns the mask, or null when the object was not fused
     */
    public async renderViewAsync(objectId: number, view: FusionView, field: RadianceFieldData): Promise<ObjectMaskImage | null> {
        const result = this._results.get(objectId);
        if (!result) {
            return null;
        }
        if (this._loadedObject !== objectId) {
            // load the object's field into the worker: a job on its own field with no views to learn from
            const intrinsics = view.intrinsics;
            const placeholder: FusionMaskView = { frameIndex: 0, cameraToWorld: view.cameraToWorld, intrinsics, labels: new Uint8Array(intrinsics.width * intrinsics.height), weight: 1 };
            await this._service.prepareAsync({ field, views: [placeholder], objects: result.field.objects, warmStart: result.field, options: { iterations: 1 }, preferGpu: this._preferGpu });
            this._loadedObject = objectId;
        }
        const [mask] = await this._service.renderMasksAsync([view]);
        return mask;
    }

    /**
     * Forgets an object's result (its prompts changed completely).
     * @param objectId the object
     */
    public forget(objectId: number): void {
        this._results.delete(objectId);
    }

    /** Stops the worker (results stay readable). */
    public dispose(): void {
        this._service.dispose();
    }
}

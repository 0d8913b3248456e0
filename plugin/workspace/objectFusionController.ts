import type { Capture } from "../core/capture/captureTypes";
import type { FusionView } from "../core/fusion/fusionEngine";
import type { FusionMaskView, FusionOptions, FusionProgress, ObjectFieldData, ObjectMaskImage } from "../core/fusion/objectFieldTypes";
import type { RadianceFieldData } from "../core/nerf/radianceFieldData";
import { FusionService } from "../services/fusionService";
import type { SegmentationObject } from "../prompt/promptTypes";

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
 * Fuses the prompt tool's per-view masks into object fields in the fusion worker, one sigmoid field
 * per object (objects are fused independently, so an object missing from a view never teaches
 * "background" to another). A second fusion of the same object refines its field (warm start,
 * a third of the iterations) instead of starting from zero. Keeps each object's fused field and
 * its masks in every capture frame; renders any other view on request.
 */
export class ObjectFusionController {
    /** Settings of a fresh fusion (a refinement runs a third of the iterations). */
    public options: Partial<FusionOptions> = {};
    /** Fuse on WebGPU in the worker when it has it (default); false uses the CPU twins. */
    public preferGpu = true;
    private readonly _service = new FusionService();
    private readonly _results = new Map<number, FusedObject>();
    private _loadedObject: number | null = null;

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
     * @param onProgress progress events
     * @param signal cancels (the object's previous result stays)
     * @returns the result
     */
    public async fuseAsync(object: SegmentationObject, capture: Capture, field: RadianceFieldData, onProgress?: (progress: FusionProgress) => void, signal?: AbortSignal): Promise<FusedObject> {
        const frames = object.frames;
        if (!frames) {
            throw new Error(`"${object.name}" has no masks yet: propagate its prompts to all views first`);
        }
        const views: FusionMaskView[] = frames.map((frame) => ({
            frameIndex: frame.frameIndex,
            cameraToWorld: capture.frames[frame.frameIndex].cameraToWorld,
            intrinsics: capture.frames[frame.frameIndex].intrinsics,
            labels: frame.mask ? frame.mask.map((v) => (v > 127 ? 1 : 0)) : new Uint8Array(frame.width * frame.height),
            weight: frame.valid && frame.mask ? Math.min(1, Math.max(0.05, frame.iou ?? 1)) : 0,
        }));
        const previous = this._results.get(object.id);
        const iterations = this.options.iterations ?? 1200;
        const options = previous ? { ...this.options, iterations: Math.max(50, Math.round(iterations / 3)) } : this.options;
        this._loadedObject = null;
        const run = await this._service.runAsync({ field, views, objects: [{ id: 1, name: object.name }], options, warmStart: previous?.field, captureName: capture.name, preferGpu: this.preferGpu }, onProgress, signal);
        this._loadedObject = object.id;
        const frameMasks = await this._service.renderMasksAsync(capture.frames);
        const result: FusedObject = { objectId: object.id, field: run.field, frameMasks, backend: run.backend, seconds: run.seconds, history: run.history, refined: previous !== undefined };
        this._results.set(object.id, result);
        return result;
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
            await this._service.prepareAsync({ field, views: [placeholder], objects: result.field.objects, warmStart: result.field, options: { iterations: 1 }, preferGpu: this.preferGpu });
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

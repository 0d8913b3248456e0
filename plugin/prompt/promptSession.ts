import { Observable } from "@babylonjs/core/Misc/observable";
import type { Camera } from "@babylonjs/core/Cameras/camera";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import type { Capture } from "../core/capture/captureTypes";
import type { RgbaImage } from "../core/image/rgbaImage";
import { ProjectPoint } from "../core/math/cameraProjection";
import { PropagatePrompts, type PropagationView } from "../core/segmentation/promptPropagation";
import type { SamBox, SamMaskResult, SamPoint, SamPrompt } from "../core/sam/samTypes";
import type { NerfNode } from "../scene/nerfNode";
import { FieldViewFromCamera } from "../scene/fieldViews";
import type { SamService } from "../services/samService";
import { ObjectPalette, type FrameMask, type PromptBox, type PromptClick, type PromptView, type PropagationReport, type SegmentationObject } from "./promptTypes";
import { PromptHistory } from "./promptHistory";

/** What a click does. */
export type PromptMode = "positive" | "negative" | "box";

/** The mask shown live for the current view. */
export interface LiveMask {
    readonly view: PromptView;
    readonly objectId: number;
    readonly result: SamMaskResult;
}

/**
 * The SAM prompt tool's state and actions: objects (id, colour, clicks, box), the current view (a
 * capture frame the camera is snapped to, or the free viewport), clicks lifted to 3-D through the
 * NerfNode, a live decode in the current view after each edit, undo / redo, and propagation of an
 * object's prompts to every capture frame (one decode per valid view, embeddings from the cache).
 */
export class PromptSession {
    /** Fires on every visible change (prompts, live mask, propagation progress). */
    public readonly onChangedObservable = new Observable<PromptSession>();
    /** Errors of live decodes the session starts by itself (after a change of object, view or history). */
    public readonly onErrorObservable = new Observable<unknown>();
    /** Click behaviour. */
    public mode: PromptMode = "positive";
    /** Size the viewport view is rendered at for SAM (longest side). */
    public viewportSize = 384;
    private readonly _node: NerfNode;
    private readonly _capture: Capture;
    private readonly _sam: SamService;
    private readonly _history = new PromptHistory();
    private _objects: SegmentationObject[] = [];
    private _activeId = 0;
    private _view: PromptView = { kind: "viewport" };
    private _viewportImage: { key: string; image: RgbaImage; view: PropagationView } | null = null;
    private _live: LiveMask | null = null;
    private _decodeController: AbortController | null = null;
    private _lastReport: PropagationReport | null = null;

    /**
     * @param node the NerfNode whose field clicks are lifted through
     * @param capture the capture whose frames prompts propagate to
     * @param sam the loaded segmentation service
     */
    public constructor(node: NerfNode, capture: Capture, sam: SamService) {
        this._node = node;
        this._capture = capture;
        this._sam = sam;
        this.addObject();
    }

    /** All objects. */
    public get objects(): readonly SegmentationObject[] {
        return this._objects;
    }

    /** The object new prompts go to. */
    public get activeObject(): SegmentationObject {
        return this._objects.find((object) => object.id === this._activeId) ?? this._objects[0];
    }

    /** The view prompts are shown in. */
    public get view(): PromptView {
        return this._view;
    }

    /** The live mask of the active object in the current view, or null. */
    public get liveMask(): LiveMask | null {
        return this._live;
    }

    /** The last propagation's figures. */
    public get lastReport(): PropagationReport | null {
        return this._lastReport;
    }

    /** Whether undo / redo have something to do. */
    public get canUndo(): boolean {
        return this._history.canUndo;
    }

    public get canRedo(): boolean {
        return this._history.canRedo;
    }

    /**
     * Adds an object and makes it active.
     * @param name its name (default "object N")
     * @returns the object
     */
    public addObject(name?: string): SegmentationObject {
        const id = this._objects.reduce((max, object) => Math.max(max, object.id), 0) + 1;
        const object: SegmentationObject = { id, name: name ?? `object ${id}`, color: ObjectPalette[(id - 1) % ObjectPalette.length], clicks: [], box: null, frames: null };
        this._objects.push(object);
        this._activeId = id;
        this._changed();
        return object;
    }

    /**
     * Makes an object active.
     * @param id its id
     */
    public selectObject(id: number): void {
        if (this._objects.some((object) => object.id === id)) {
            this._activeId = id;
            this._live = null;
            this._changed();
            this._refreshInBackground();
        }
    }

    /**
     * Uses a capture frame (the camera should be snapped to it) or the free viewport as the current view.
     * @param view the view
     */
    public setView(view: PromptView): void {
        this._view = view;
        this._live = null;
        this._changed();
        this._refreshInBackground();
    }

    /**
     * Adds a click made on the viewport: lifts it to the field's surface and records it (undoable),
     * then decodes the current view.
     * @param camera the viewport camera
     * @param ray the picking ray of the click, world space
     * @param ray.origin ray origin
     * @param ray.direction ray direction
     * @param label 1 positive, 0 negative (default from the mode)
     * @returns the click, or null when it fell outside the current view
     */
    public async addClickAsync(camera: Camera, ray: { origin: Vector3; direction: Vector3 }, label: 0 | 1 = this.mode === "negative" ? 0 : 1): Promise<PromptClick | null> {
        const pixel = await this._pixelOfRayAsync(camera, ray);
        if (!pixel) {
            return null;
        }
        const hit = this._node.surfaceHitFromWorldRay(ray.origin, ray.direction);
        const click: PromptClick = { label, view: this._view, x: pixel.x, y: pixel.y, position: hit ? hit.capture : null };
        this._edit(() => this.activeObject.clicks.push(click));
        await this.refreshLiveMaskAsync();
        return click;
    }

    /**
     * Sets the active object's box from two viewport rays (drag corners): the box in the current
     * view, plus the 3-D box of the surface under it (a 6x6 grid of rays) for propagation.
     * @param camera the viewport camera
     * @param a first corner's picking ray
     * @param b second corner's picking ray
     * @param rayAt picking ray through a canvas point (for the inner grid)
     * @param corners canvas coordinates of the two corners
     */
    public async setBoxAsync(camera: Camera, a: { origin: Vector3; direction: Vector3 }, b: { origin: Vector3; direction: Vector3 }, rayAt: (x: number, y: number) => { origin: Vector3; direction: Vector3 }, corners: { x0: number; y0: number; x1: number; y1: number }): Promise<void> {
        const pa = await this._pixelOfRayAsync(camera, a);
        const pb = await this._pixelOfRayAsync(camera, b);
        if (!pa || !pb) {
            return;
        }
        const box: SamBox = { x0: Math.min(pa.x, pb.x), y0: Math.min(pa.y, pb.y), x1: Math.max(pa.x, pb.x), y1: Math.max(pa.y, pb.y) };
        const hits: [number, number, number][] = [];
        for (let i = 0; i <= 5; i++) {
            for (let j = 0; j <= 5; j++) {
                const ray = rayAt(corners.x0 + ((corners.x1 - corners.x0) * i) / 5, corners.y0 + ((corners.y1 - corners.y0) * j) / 5);
                const hit = this._node.surfaceHitFromWorldRay(ray.origin, ray.direction);
                if (hit) {
                    hits.push(hit.capture);
                }
            }
        }
        let boxCorners: PromptBox["corners"] = null;
        if (hits.length > 0) {
            const lo = [0, 1, 2].map((k) => Math.min(...hits.map((h) => h[k])));
            const hi = [0, 1, 2].map((k) => Math.max(...hits.map((h) => h[k])));
            boxCorners = [0, 1, 2, 3, 4, 5, 6, 7].map((c) => [c & 1 ? hi[0] : lo[0], c & 2 ? hi[1] : lo[1], c & 4 ? hi[2] : lo[2]] as const);
        }
        this._edit(() => (this.activeObject.box = { view: this._view, box, corners: boxCorners }));
        await this.refreshLiveMaskAsync();
    }

    /** Undoes the last prompt edit. */
    public undo(): void {
        this._objects = this._history.undo(this._objects) ?? this._objects;
        this._afterHistory();
    }

    /** Redoes the last undone edit. */
    public redo(): void {
        this._objects = this._history.redo(this._objects) ?? this._objects;
        this._afterHistory();
    }

    /** Removes the active object's prompts (undoable). */
    public clear(): void {
        this._edit(() => {
            this.activeObject.clicks = [];
            this.activeObject.box = null;
            this.activeObject.frames = null;
        });
        this._live = null;
        this._changed();
    }

    /**
     * The prompt of the active object in the current view: its clicks made there, its other clicks'
     * 3-D points where visible there, its box (projected when drawn elsewhere).
     * @returns the prompt, or null when nothing applies to this view
     */
    public async currentPromptAsync(): Promise<SamPrompt | null> {
        const object = this.activeObject;
        const view = await this._currentViewAsync();
        const here = object.clicks.filter((click) => SameView(click.view, this._view)).map((click): SamPoint => ({ x: click.x, y: click.y, label: click.label }));
        const elsewhere = object.clicks.filter((click) => !SameView(click.view, this._view) && click.position);
        const field = this._node.field;
        const propagated = field && elsewhere.length > 0 ? PropagatePrompts(field, [view.view], elsewhere.map((click) => ({ position: click.position!, label: click.label })))[0].points : [];
        let box: SamBox | undefined;
        if (object.box) {
            box = SameView(object.box.view, this._view) ? object.box.box : object.box.corners && field ? PropagatePrompts(field, [view.view], [], object.box.corners)[0].box : undefined;
        }
        const points = [...here, ...propagated];
        return points.length > 0 || box ? { points, box } : null;
    }

    /**
     * Decodes the active object's prompt in the current view (cancelling a decode still running).
     * @returns the live mask, or null when there is no prompt
     */
    public async refreshLiveMaskAsync(): Promise<LiveMask | null> {
        this._decodeController?.abort();
        const controller = new AbortController();
        this._decodeController = controller;
        try {
            const prompt = await this.currentPromptAsync();
            if (controller.signal.aborted) {
                return null;
            }
            if (!prompt) {
                this._live = null;
                this._changed();
                return null;
            }
            const { image } = await this._currentViewAsync();
            const result = await this._sam.decodeAsync(image, prompt, {}, controller.signal);
            if (controller.signal.aborted) {
                return null;
            }
            this._live = { view: this._view, objectId: this.activeObject.id, result };
            this._changed();
            return this._live;
        } catch (error) {
            // superseded by a newer decode, or the session was disposed meanwhile: nothing to report
            if ((error as Error).name === "AbortError" || controller.signal.aborted) {
                return null;
            }
            throw error;
        }
    }

    /** Refreshes the live mask after a change of object, view or history; failures go to onErrorObservable. */
    private _refreshInBackground(): void {
        this.refreshLiveMaskAsync().catch((error) => this.onErrorObservable.notifyObservers(error));
    }

    /**
     * Propagates the active object's prompts to every capture frame and decodes the valid ones.
     * @param onProgress frames done / total
     * @param signal cancels (masks decoded so far are dropped; the object's previous masks stay)
     * @returns the per-frame masks and the figures
     */
    public async propagateAsync(onProgress?: (done: number, total: number) => void, signal?: AbortSignal): Promise<PropagationReport> {
        const field = this._node.field;
        if (!field) {
            throw new Error("the NeRF node has no field to lift prompts through");
        }
        const object = this.activeObject;
        const points = object.clicks.filter((click) => click.position).map((click) => ({ position: click.position!, label: click.label }));
        if (points.length === 0 && !object.box?.corners) {
            throw new Error(`"${object.name}" has no prompt on the field's surface to propagate (click on the object first)`);
        }
        const started = performance.now();
        const encoderBefore = this._sam.encoderRuns;
        const frames = this._capture.frames;
        const prompts = PropagatePrompts(field, frames, points, object.box?.corners ?? undefined);
        const masks: FrameMask[] = [];
        let decodes = 0;
        for (const prompt of prompts) {
            signal?.throwIfAborted();
            const frame = frames[prompt.frameIndex];
            const base = { frameIndex: prompt.frameIndex, valid: prompt.valid, visibleFraction: prompt.visibleFraction, width: frame.image.width, height: frame.image.height };
            if (!prompt.valid) {
                masks.push(base);
            } else {
                const result = await this._sam.decodeAsync(ViewImage(this._capture, prompt.frameIndex), { points: prompt.points, box: prompt.box }, {}, signal);
                decodes++;
                masks.push({ ...base, mask: result.mask, iou: result.iou });
            }
            onProgress?.(masks.length, prompts.length);
        }
        object.frames = masks;
        this._lastReport = { objectId: object.id, validViews: prompts.filter((p) => p.valid).length, decoderCalls: decodes, encoderRuns: this._sam.encoderRuns - encoderBefore, seconds: (performance.now() - started) / 1000 };
        this._changed();
        return this._lastReport;
    }

    /** Cancels a running live decode. */
    public dispose(): void {
        this._decodeController?.abort();
        this.onChangedObservable.clear();
        this.onErrorObservable.clear();
    }

    /** The current view's image and pose (the viewport is rendered from the field). */
    private async _currentViewAsync(camera?: Camera): Promise<{ image: RgbaImage; view: PropagationView }> {
        if (this._view.kind === "frame") {
            const frame = this._capture.frames[this._view.index];
            return { image: ViewImage(this._capture, this._view.index), view: frame };
        }
        const scene = this._node.getScene();
        const active = camera ?? scene.activeCamera;
        if (!active) {
            throw new Error("the scene has no active camera");
        }
        const engine = scene.getEngine();
        const aspect = engine.getRenderWidth() / Math.max(1, engine.getRenderHeight());
        const width = Math.round(aspect >= 1 ? this.viewportSize : this.viewportSize * aspect);
        const height = Math.round(aspect >= 1 ? this.viewportSize / aspect : this.viewportSize);
        const view = FieldViewFromCamera(this._node, active, width, height);
        const key = `${Array.from(view.cameraToWorld).map((v) => v.toFixed(5)).join(",")}|${width}x${height}|${this._node.field?.metadata.iterations}`;
        if (this._viewportImage?.key !== key) {
            const rendered = await this._node.renderOffscreenAsync(view);
            this._viewportImage = { key, image: { width, height, data: rendered.color }, view };
        }
        return { image: this._viewportImage.image, view: this._viewportImage.view };
    }

    /** The pixel of the current view a world ray goes through (any point of the ray projects there). */
    private async _pixelOfRayAsync(camera: Camera, ray: { origin: Vector3; direction: Vector3 }): Promise<{ x: number; y: number } | null> {
        const { view } = await this._currentViewAsync(camera);
        const ahead = ray.origin.add(ray.direction.normalizeToNew().scale(1));
        const toCapture = (world: Vector3): number[] => {
            const local = Vector3.TransformCoordinates(world, this._node.computeWorldMatrix(true).clone().invert());
            return this._node.getScene().useRightHandedSystem ? local.asArray() : [local.x, local.y, -local.z];
        };
        const projected = ProjectPoint(view.cameraToWorld, view.intrinsics, toCapture(ahead));
        const k = view.intrinsics;
        if (!(projected.depth > 0) || projected.u < 0 || projected.v < 0 || projected.u >= k.width || projected.v >= k.height) {
            return null;
        }
        return { x: projected.u, y: projected.v };
    }

    private _edit(change: () => void): void {
        this._history.record(this._objects);
        change();
        this._changed();
    }

    private _afterHistory(): void {
        if (!this._objects.some((object) => object.id === this._activeId)) {
            this._activeId = this._objects[0]?.id ?? 0;
        }
        this._changed();
        this._refreshInBackground();
    }

    private _changed(): void {
        this.onChangedObservable.notifyObservers(this);
    }
}

/**
 * A capture frame as SAM sees it: opaque, RGBA composited on the capture's background.
 * @param capture the capture
 * @param index frame index
 * @returns the image
 */
export function ViewImage(capture: Capture, index: number): RgbaImage {
    const image = capture.frames[index].image;
    if (capture.background === "none") {
        return image;
    }
    const bg = capture.background === "white" ? 255 : 0;
    const data = new Uint8ClampedArray(image.data.length);
    for (let i = 0; i < data.length; i += 4) {
        const a = image.data[i + 3] / 255;
        data[i] = image.data[i] * a + bg * (1 - a);
        data[i + 1] = image.data[i + 1] * a + bg * (1 - a);
        data[i + 2] = image.data[i + 2] * a + bg * (1 - a);
        data[i + 3] = 255;
    }
    return { width: image.width, height: image.height, data };
}

function SameView(a: PromptView, b: PromptView): boolean {
    return a.kind === b.kind && (a.kind === "viewport" || a.index === (b as { index: number }).index);
}

import { Observable } from "@babylonjs/core/Misc/observable";
import type { Camera } from "@babylonjs/core/Cameras/camera";
import type { Vector3 } from "@babylonjs/core/Maths/math.vector";
import type { Capture } from "../core/capture/captureTypes";
import type { SegmentStageConfig } from "../core/pipeline/pipelineConfig";
import type { MaskDecoder } from "../core/pipeline/pipelineServices";
import { SegmentViewsAsync, type ObjectPrompt } from "../core/pipeline/segmentStage";
import type { FeatureFieldDistillation } from "../core/features/featureFieldDistillation";
import type { RadianceFieldData } from "../core/nerf/radianceFieldData";
import type { SamBox, SamMaskResult, SamModelInfo, SamPoint, SamPrompt } from "../core/sam/samTypes";
import { LiftBox, LiftClick } from "../core/segmentation/promptLifting";
import { PropagatePrompts } from "../core/segmentation/promptPropagation";
import type { NerfNode } from "../scene/nerfNode";
import { ObjectPalette, type PromptClick, type PromptView, type PropagationReport, type SegmentationObject } from "./promptTypes";
import { PromptHistory } from "./promptHistory";
import { PromptViews } from "./promptViews";

/** What a click does. */
export type PromptMode = "positive" | "negative" | "box";

/** The mask shown live for the current view. */
export interface LiveMask {
    readonly view: PromptView;
    readonly objectId: number;
    readonly result: SamMaskResult;
    /** Where the view's embedding came from: the encoder (through its cache) or the distilled feature field. */
    readonly source: "encoder" | "feature-field";
}

/** The segmentation service as the session uses it. */
export type PromptDecoder = MaskDecoder & { readonly encoderRuns: number; readonly model?: SamModelInfo | null };

/**
 * The SAM prompt tool's state and actions: objects (id, colour, clicks, box), the current view (a
 * capture frame the camera is snapped to, or the free viewport), clicks lifted to 3-D through the
 * NerfNode's field, a live decode in the current view after each edit, undo / redo, and
 * propagation of an object's prompts to every capture frame. Lifting and propagation are the
 * pipeline's (plugin/core/pipeline/segmentStage): the CLI and the benchmarks run the same.
 */
export class PromptSession {
    /** Fires on every visible change (prompts, live mask, propagation progress). */
    public readonly onChangedObservable = new Observable<PromptSession>();
    /** Errors of live decodes the session starts by itself (after a change of object, view or history). */
    public readonly onErrorObservable = new Observable<unknown>();
    /** Click behaviour. */
    public mode: PromptMode = "positive";
    /** The views' images and poses (the viewport is rendered from the field). */
    public readonly views: PromptViews;
    private readonly _node: NerfNode;
    private readonly _capture: Capture;
    private readonly _sam: PromptDecoder;
    private readonly _config: SegmentStageConfig;
    private readonly _history = new PromptHistory();
    private _objects: SegmentationObject[] = [];
    private _activeId = 0;
    private _view: PromptView = { kind: "viewport" };
    private _live: LiveMask | null = null;
    private _decodeController: AbortController | null = null;
    private _lastReport: PropagationReport | null = null;
    private _features: { distillation: FeatureFieldDistillation; field: RadianceFieldData } | null = null;

    /**
     * @param node the NerfNode whose field clicks are lifted through
     * @param capture the capture whose frames prompts propagate to
     * @param sam the loaded segmentation service
     * @param config the pipeline's segmentation settings
     */
    public constructor(node: NerfNode, capture: Capture, sam: PromptDecoder, config: SegmentStageConfig) {
        this._node = node;
        this._capture = capture;
        this._sam = sam;
        this._config = config;
        this.views = new PromptViews(node, capture);
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

    /**
     * Whether a prompt in the free viewport decodes from the distilled feature field (no encoder
     * run): a field was given with {@link setFeatureField}, it was distilled from the loaded model,
     * and the node still shows the radiance field it was distilled with.
     */
    public get usesFeatureField(): boolean {
        const features = this._features;
        return features !== null && features.field === this._node.field && features.distillation.modelId === this._sam.model?.id;
    }

    /**
     * Sets (or, with null, drops) the feature field free-viewport prompts decode from; the caller
     * keeps owning it. Refreshes the live mask.
     * @param distillation the distilled field
     * @param field the radiance field it was distilled with
     */
    public setFeatureField(distillation: FeatureFieldDistillation | null, field?: RadianceFieldData): void {
        this._features = distillation && field ? { distillation, field } : null;
        this._changed();
        this._refreshInBackground();
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
     * Adds a click made on the viewport: the pixel of the current view it falls on, then {@link addClickAtAsync}.
     * @param camera the viewport camera
     * @param ray the picking ray of the click, world space
     * @param ray.origin ray origin
     * @param ray.direction ray direction
     * @param label 1 positive, 0 negative (default from the mode)
     * @returns the click, or null when it fell outside the current view
     */
    public async addClickAsync(camera: Camera, ray: { origin: Vector3; direction: Vector3 }, label: 0 | 1 = this.mode === "negative" ? 0 : 1): Promise<PromptClick | null> {
        const pixel = await this.views.pixelOfRayAsync(this._view, camera, ray);
        return pixel ? this.addClickAtAsync(pixel.x, pixel.y, label) : null;
    }

    /**
     * Adds a click at a pixel of the current view: lifts it to the field's surface (the pipeline's
     * LiftClick) and records it (undoable), then decodes the current view.
     * @param x pixel column of the current view
     * @param y pixel row
     * @param label 1 positive, 0 negative (default from the mode)
     * @returns the click
     */
    public async addClickAtAsync(x: number, y: number, label: 0 | 1 = this.mode === "negative" ? 0 : 1): Promise<PromptClick> {
        const { view } = await this.views.imageAsync(this._view);
        const field = this._node.field;
        const position = field ? LiftClick(field, view, x, y, this._config.surfaceThreshold) : null;
        const click: PromptClick = { label, view: this._view, x, y, position };
        this._edit(() => this.activeObject.clicks.push(click));
        await this.refreshLiveMaskAsync();
        return click;
    }

    /**
     * Sets the active object's box from two viewport rays (the drag's corners), then {@link setBoxAtAsync}.
     * @param camera the viewport camera
     * @param a first corner's picking ray
     * @param b second corner's picking ray
     */
    public async setBoxAsync(camera: Camera, a: { origin: Vector3; direction: Vector3 }, b: { origin: Vector3; direction: Vector3 }): Promise<void> {
        const pa = await this.views.pixelOfRayAsync(this._view, camera, a);
        const pb = await this.views.pixelOfRayAsync(this._view, camera, b);
        if (pa && pb) {
            await this.setBoxAtAsync({ x0: Math.min(pa.x, pb.x), y0: Math.min(pa.y, pb.y), x1: Math.max(pa.x, pb.x), y1: Math.max(pa.y, pb.y) });
        }
    }

    /**
     * Sets the active object's box in the current view (undoable), with the 3-D box of the surface
     * under it (the pipeline's LiftBox) for propagation, then decodes the current view.
     * @param box the box, pixels of the current view
     */
    public async setBoxAtAsync(box: SamBox): Promise<void> {
        const { view } = await this.views.imageAsync(this._view);
        const field = this._node.field;
        const corners = field ? LiftBox(field, view, box, this._config.boxRaysPerSide, this._config.surfaceThreshold) : null;
        this._edit(() => (this.activeObject.box = { view: this._view, box, corners }));
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
        const view = await this.views.imageAsync(this._view);
        const here = object.clicks.filter((click) => SameView(click.view, this._view)).map((click): SamPoint => ({ x: click.x, y: click.y, label: click.label }));
        const elsewhere = object.clicks.filter((click) => !SameView(click.view, this._view) && click.position);
        const field = this._node.field;
        const propagated = field && elsewhere.length > 0 ? PropagatePrompts(field, [view.view], elsewhere.map((click) => ({ position: click.position!, label: click.label })), undefined, this._config)[0].points : [];
        let box: SamBox | undefined;
        if (object.box) {
            box = SameView(object.box.view, this._view) ? object.box.box : object.box.corners && field ? PropagatePrompts(field, [view.view], [], object.box.corners, this._config)[0].box : undefined;
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
            this.views.withDepth = (this._sam.takesDepth ?? false) && this._config.viewDepth;
            const { image, view } = await this.views.imageAsync(this._view);
            const fromField = this._view.kind === "viewport" && this.usesFeatureField ? this._features!.distillation : null;
            const input = fromField ? await fromField.renderEmbeddingAsync(view) : image;
            const result = await this._sam.decodeAsync(input, prompt, {}, controller.signal);
            if (controller.signal.aborted) {
                return null;
            }
            this._live = { view: this._view, objectId: this.activeObject.id, result, source: fromField ? "feature-field" : "encoder" };
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
     * The active object's prompt for propagation: its clicks lifted to 3-D, its box's 3-D corners,
     * and clicks in capture frames that met no surface (used in their own frame only).
     * @returns the prompt
     */
    public objectPrompt(): ObjectPrompt {
        const object = this.activeObject;
        const frameClicks = new Map<number, SamPoint[]>();
        for (const click of object.clicks) {
            if (!click.position && click.view.kind === "frame") {
                frameClicks.set(click.view.index, [...(frameClicks.get(click.view.index) ?? []), { x: click.x, y: click.y, label: click.label }]);
            }
        }
        const points = object.clicks.filter((click) => click.position).map((click) => ({ position: click.position!, label: click.label }));
        return { points, box3d: object.box?.corners ?? null, frameClicks };
    }

    /**
     * Propagates the active object's prompts to every capture frame and decodes the valid ones
     * (the pipeline's segment stage).
     * @param onProgress frames done / total
     * @param signal cancels (masks decoded so far are dropped; the object's previous masks stay)
     * @returns the figures
     */
    public async propagateAsync(onProgress?: (done: number, total: number) => void, signal?: AbortSignal): Promise<PropagationReport> {
        const field = this._node.field;
        if (!field) {
            throw new Error("the NeRF node has no field to lift prompts through");
        }
        const object = this.activeObject;
        const started = performance.now();
        const encoderBefore = this._sam.encoderRuns;
        const masks = await SegmentViewsAsync(this._sam, this._capture, field, this.objectPrompt(), this._config, { onProgress, signal }).catch((error: Error) => {
            throw error.message.startsWith("the object has no prompt") ? new Error(`"${object.name}" has no prompt on the field's surface to propagate (click on the object first)`, { cause: error }) : error;
        });
        object.frames = masks;
        const valid = masks.filter((mask) => mask.valid).length;
        this._lastReport = { objectId: object.id, validViews: valid, decoderCalls: masks.filter((mask) => mask.mask).length, encoderRuns: this._sam.encoderRuns - encoderBefore, seconds: (performance.now() - started) / 1000 };
        this._changed();
        return this._lastReport;
    }

    /** Cancels a running live decode. */
    public dispose(): void {
        this._decodeController?.abort();
        this.onChangedObservable.clear();
        this.onErrorObservable.clear();
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

function SameView(a: PromptView, b: PromptView): boolean {
    return a.kind === b.kind && (a.kind === "viewport" || a.index === (b as { index: number }).index);
}

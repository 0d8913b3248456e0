import type { Scene } from "@babylonjs/core/scene";
import type { Camera } from "@babylonjs/core/Cameras/camera";
import type { Observer } from "@babylonjs/core/Misc/observable";
import { PointerEventTypes, type PointerInfo } from "@babylonjs/core/Events/pointerEvents";
import { KeyboardEventTypes, type KeyboardInfo } from "@babylonjs/core/Events/keyboardEvents";
import "@babylonjs/core/Culling/ray";
import type { Capture } from "../core/capture/captureTypes";
import type { NerfNode } from "../scene/nerfNode";
import { CreateCaptureCamera } from "../scene/captureCamera";
import type { SamService } from "../services/samService";
import type { SegmentStageConfig } from "../core/pipeline/pipelineConfig";
import { PromptSession } from "./promptSession";
import { PromptOverlay } from "./promptOverlay";

/** Options of a {@link PromptTool}. */
export interface PromptToolOptions {
    /** Called when the user asks to propagate (Enter). */
    readonly onPropagateRequested?: () => void;
    /** Called when the user asks to fuse the masks into 3-D (F). */
    readonly onFuseRequested?: () => void;
    /** Called when the user closes the tool (Esc). */
    readonly onCloseRequested?: () => void;
    /** Errors of live decodes (default console.error). */
    readonly onError?: (error: unknown) => void;
}

/**
 * The SAM prompt tool in the viewport: turns clicks (positive, negative, Shift for negative) and
 * drags (box mode) into prompts on a {@link PromptSession}, draws them with a
 * {@link PromptOverlay}, handles the keyboard shortcuts, and snaps the camera to capture frames.
 */
export class PromptTool {
    /** Prompts, objects, live mask, propagation. */
    public readonly session: PromptSession;
    /** Viewport drawing. */
    public readonly overlay: PromptOverlay;
    private readonly _scene: Scene;
    private readonly _node: NerfNode;
    private readonly _capture: Capture;
    private readonly _options: PromptToolOptions;
    private readonly _pointerObserver: Observer<PointerInfo>;
    private readonly _keyboardObserver: Observer<KeyboardInfo>;
    private readonly _changedObserver: Observer<PromptSession>;
    private _dragStart: { x: number; y: number } | null = null;
    private _freeCamera: Camera | null = null;
    private _frameCamera: Camera | null = null;

    /**
     * @param scene the scene
     * @param node the NerfNode clicks are lifted through
     * @param capture the capture prompts propagate to
     * @param sam the loaded segmentation service
     * @param config the pipeline's segmentation settings
     * @param options callbacks
     */
    public constructor(scene: Scene, node: NerfNode, capture: Capture, sam: SamService, config: SegmentStageConfig, options: PromptToolOptions = {}) {
        this._scene = scene;
        this._node = node;
        this._capture = capture;
        this._options = options;
        this.session = new PromptSession(node, capture, sam, config);
        this.overlay = new PromptOverlay(scene);
        this._changedObserver = this.session.onChangedObservable.add(() => this.overlay.update(this.session, node));
        this.session.onErrorObservable.add((error) => this._error(error));
        this._pointerObserver = scene.onPointerObservable.add((info) => this._onPointer(info));
        this._keyboardObserver = scene.onKeyboardObservable.add((info) => this._onKey(info));
        this.overlay.update(this.session, node);
    }

    /** The camera snapped to the current frame, or null in the free viewport. */
    public get frameCamera(): Camera | null {
        return this._frameCamera;
    }

    /**
     * Snaps the view to a capture frame: a camera with the frame's pose and intrinsics (under the
     * NerfNode, so it follows the node's transform) becomes active; prompts then live in that frame.
     * @param index frame index
     */
    public snapToFrame(index: number): void {
        const frame = this._capture.frames[index];
        this._freeCamera ??= this._scene.activeCamera;
        this._frameCamera?.dispose();
        const camera = CreateCaptureCamera(this._scene, `frame ${index}`, frame.cameraToWorld, frame.intrinsics);
        camera.parent = this._node;
        camera.doNotSerialize = true;
        this._frameCamera = camera;
        this._scene.activeCamera = camera;
        this.session.setView({ kind: "frame", index });
    }

    /** Returns to the free viewport camera. */
    public freeView(): void {
        if (this._freeCamera) {
            this._scene.activeCamera = this._freeCamera;
        }
        this._frameCamera?.dispose();
        this._frameCamera = null;
        this.session.setView({ kind: "viewport" });
    }

    /** Removes the tool's observers and drawing (the session's objects stay with the caller). */
    public dispose(): void {
        this.freeView();
        this._scene.onPointerObservable.remove(this._pointerObserver);
        this._scene.onKeyboardObservable.remove(this._keyboardObserver);
        this.session.onChangedObservable.remove(this._changedObserver);
        this.overlay.dispose();
        this.session.dispose();
    }

    private _ray(x: number, y: number): { origin: import("@babylonjs/core/Maths/math.vector").Vector3; direction: import("@babylonjs/core/Maths/math.vector").Vector3 } {
        const ray = this._scene.createPickingRay(x, y, null, this._scene.activeCamera);
        return { origin: ray.origin, direction: ray.direction };
    }

    private _onPointer(info: PointerInfo): void {
        const event = info.event as PointerEvent;
        const camera = this._scene.activeCamera;
        if (!camera || event.button !== 0) {
            return;
        }
        const x = this._scene.pointerX;
        const y = this._scene.pointerY;
        if (this.session.mode === "box") {
            if (info.type === PointerEventTypes.POINTERDOWN) {
                this._dragStart = { x, y };
                camera.detachControl();
            } else if (info.type === PointerEventTypes.POINTERMOVE && this._dragStart) {
                this.overlay.showDragBox({ x0: this._dragStart.x, y0: this._dragStart.y, x1: x, y1: y });
            } else if (info.type === PointerEventTypes.POINTERUP && this._dragStart) {
                const start = this._dragStart;
                this._dragStart = null;
                this.overlay.showDragBox(null);
                camera.attachControl(true);
                if (Math.abs(x - start.x) > 3 && Math.abs(y - start.y) > 3) {
                    this.session.setBoxAsync(camera, this._ray(start.x, start.y), this._ray(x, y)).catch((error) => this._error(error));
                }
            }
            return;
        }
        if (info.type === PointerEventTypes.POINTERTAP) {
            const label: 0 | 1 = event.shiftKey || this.session.mode === "negative" ? 0 : 1;
            this.session.addClickAsync(camera, this._ray(x, y), label).catch((error) => this._error(error));
        }
    }

    private _onKey(info: KeyboardInfo): void {
        if (info.type !== KeyboardEventTypes.KEYDOWN) {
            return;
        }
        const event = info.event;
        const key = event.key.toLowerCase();
        const command = event.ctrlKey || event.metaKey;
        let handled = true;
        if (command && key === "z" && !event.shiftKey) {
            this.session.undo();
        } else if (command && (key === "y" || (key === "z" && event.shiftKey))) {
            this.session.redo();
        } else if (key === "p") {
            this.session.mode = "positive";
        } else if (key === "n") {
            this.session.mode = "negative";
        } else if (key === "b") {
            this.session.mode = "box";
        } else if (key === "delete" || key === "backspace") {
            this.session.clear();
        } else if (key === "enter") {
            this._options.onPropagateRequested?.();
        } else if (key === "f" && !command) {
            this._options.onFuseRequested?.();
        } else if (key === "o") {
            this.session.addObject();
        } else if (key === "tab") {
            const objects = this.session.objects;
            const index = objects.indexOf(this.session.activeObject);
            this.session.selectObject(objects[(index + 1) % objects.length].id);
        } else if (key === "escape") {
            // closing disposes the tool (and its overlay): nothing to redraw afterwards
            event.preventDefault();
            this._options.onCloseRequested?.();
            return;
        } else {
            handled = false;
        }
        if (handled) {
            event.preventDefault();
            this.overlay.update(this.session, this._node);
        }
    }

    private _error(error: unknown): void {
        (this._options.onError ?? console.error)(error);
    }
}

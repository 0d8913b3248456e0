import type { Scene } from "@babylonjs/core/scene";
import type { Camera } from "@babylonjs/core/Cameras/camera";
import type { Observer } from "@babylonjs/core/Misc/observable";
import { PointerEventTypes, type PointerInfo } from "@babylonjs/core/Events/pointerEvents";
import { KeyboardEventTypes, type KeyboardInfo } from "@babylonjs/core/Events/keyboardEvents";
import type { SamBox } from "../core/sam/samTypes";

/** What viewport prompting needs of the splat side (SplatSegmentationController). */
export interface SplatViewportTarget {
    /** The views prompts are made on, null before there are any. */
    readonly views: readonly unknown[] | null;
    /** Renders the splats from a camera into a new view; its index, or null. */
    addCameraViewAsync(camera: Camera, width: number, aspect: number): Promise<number | null>;
    /** Adds a click to the active object, pixels of a view. */
    addClick(view: number, x: number, y: number, label: 0 | 1): void;
    /** Sets the active object's box, pixels of a view. */
    setBox(view: number, box: SamBox): void;
}

/**
 * Prompting splats in the viewport: while on, a click (tap) in the 3-D view adds a click on the
 * object under the pointer (Shift+click: background). The splats are rendered from the viewport's
 * camera into a view of their own, once per camera pose, which joins the views prompts are
 * propagated to; the click lands on it at the pointer's pixel, so it is lifted to the splats'
 * surface as a click in any view. B switches to drawing a box (drag; the camera holds still
 * meanwhile) and back. Off until switched on; Esc turns it off.
 */
export class SplatViewportPrompts {
    private readonly _scene: Scene;
    private readonly _target: SplatViewportTarget;
    private readonly _width: number;
    private readonly _changed: () => void;
    private readonly _onError: (message: string) => void;
    private _observers: { pointer: Observer<PointerInfo>; keyboard: Observer<KeyboardInfo> } | null = null;
    private _lastView: { key: string; index: Promise<number | null> } | null = null;
    private _boxMode = false;
    private _dragStart: { x: number; y: number } | null = null;

    /**
     * @param scene the scene whose viewport is clicked
     * @param target the splat side
     * @param width width of the views rendered from the viewport, pixels
     * @param changed called when it is switched on or off
     * @param onError reports what went wrong
     */
    public constructor(scene: Scene, target: SplatViewportTarget, width: number, changed: () => void, onError: (message: string) => void) {
        this._scene = scene;
        this._target = target;
        this._width = width;
        this._changed = changed;
        this._onError = onError;
    }

    /** Whether viewport clicks prompt the splats. */
    public get enabled(): boolean {
        return this._observers !== null;
    }

    /** Switches viewport prompting on (once the splats have views) or off. */
    public set enabled(on: boolean) {
        if (on === this.enabled) {
            return;
        }
        if (on && !this._target.views) {
            this._onError("Load a splat file and render its views first.");
            return;
        }
        if (this._dragStart) {
            this._dragStart = null;
            this._scene.activeCamera?.attachControl(true);
        }
        if (this._observers) {
            this._scene.onPointerObservable.remove(this._observers.pointer);
            this._scene.onKeyboardObservable.remove(this._observers.keyboard);
        }
        this._observers = on ? { pointer: this._scene.onPointerObservable.add((info) => this._onPointer(info)), keyboard: this._scene.onKeyboardObservable.add((info) => this._onKey(info)) } : null;
        this._lastView = null;
        this._changed();
    }

    /** Whether a drag in the viewport draws the active object's box (B), rather than clicks adding points. */
    public get boxMode(): boolean {
        return this._boxMode;
    }

    /** Switches between drawing a box and clicking points. */
    public set boxMode(on: boolean) {
        this._boxMode = on;
        this._changed();
    }

    /**
     * Adds a click at a pixel of the viewport (as a tap there does).
     * @param x pixels of the engine's render size, from the left
     * @param y pixels from the top
     * @param label 1 the object, 0 background
     * @returns the view the click landed on, or null
     */
    public async clickAsync(x: number, y: number, label: 0 | 1): Promise<number | null> {
        const view = await this._viewAsync();
        if (view) {
            this._target.addClick(view.index, x * view.scale, y * view.scale, label);
        }
        return view?.index ?? null;
    }

    /**
     * Sets the active object's box from two corners in the viewport (as a drag in box mode does).
     * @param box the corners, pixels of the engine's render size
     * @returns the view the box landed on, or null
     */
    public async boxAsync(box: SamBox): Promise<number | null> {
        const view = await this._viewAsync();
        if (view) {
            this._target.setBox(view.index, { x0: box.x0 * view.scale, y0: box.y0 * view.scale, x1: box.x1 * view.scale, y1: box.y1 * view.scale });
        }
        return view?.index ?? null;
    }

    /** The view rendered from the active camera as it is now (rendered once per pose), and render pixels to view pixels. */
    private async _viewAsync(): Promise<{ index: number; scale: number } | null> {
        const camera = this._scene.activeCamera;
        if (!camera) {
            this._onError("The scene has no active camera to prompt from.");
            return null;
        }
        const engine = this._scene.getEngine();
        const renderWidth = engine.getRenderWidth();
        const renderHeight = engine.getRenderHeight();
        const key = `${camera.uniqueId}|${Array.from(camera.getViewMatrix(true).m, (v) => v.toFixed(5)).join(",")}|${renderWidth}x${renderHeight}`;
        if (this._lastView?.key !== key) {
            this._lastView = { key, index: this._target.addCameraViewAsync(camera, this._width, renderWidth / renderHeight) };
        }
        const index = await this._lastView.index;
        if (index === null) {
            this._lastView = null;
            return null;
        }
        return { index, scale: this._width / renderWidth };
    }

    /** Stops listening to the viewport. */
    public dispose(): void {
        this.enabled = false;
    }

    private _onPointer(info: PointerInfo): void {
        const event = info.event as PointerEvent;
        if (event.button !== 0) {
            return;
        }
        // the scene's pointer is in CSS pixels; views are made in render pixels
        const scaling = this._scene.getEngine().getHardwareScalingLevel();
        const x = this._scene.pointerX / scaling;
        const y = this._scene.pointerY / scaling;
        const camera = this._scene.activeCamera;
        if (this._boxMode) {
            if (info.type === PointerEventTypes.POINTERDOWN) {
                this._dragStart = { x, y };
                camera?.detachControl();
            } else if (info.type === PointerEventTypes.POINTERUP && this._dragStart) {
                const start = this._dragStart;
                this._dragStart = null;
                camera?.attachControl(true);
                if (Math.abs(x - start.x) > 3 && Math.abs(y - start.y) > 3) {
                    void this.boxAsync({ x0: start.x, y0: start.y, x1: x, y1: y });
                }
            }
        } else if (info.type === PointerEventTypes.POINTERTAP) {
            void this.clickAsync(x, y, event.shiftKey ? 0 : 1);
        }
    }

    private _onKey(info: KeyboardInfo): void {
        if (info.type !== KeyboardEventTypes.KEYDOWN) {
            return;
        }
        const key = info.event.key.toLowerCase();
        if (key === "escape") {
            info.event.preventDefault();
            this.enabled = false;
        } else if (key === "b" && !info.event.ctrlKey && !info.event.metaKey) {
            info.event.preventDefault();
            this.boxMode = !this._boxMode;
        }
    }
}

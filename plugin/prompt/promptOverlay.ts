import { AdvancedDynamicTexture } from "@babylonjs/gui/2D/advancedDynamicTexture";
import { Ellipse } from "@babylonjs/gui/2D/controls/ellipse";
import { Image } from "@babylonjs/gui/2D/controls/image";
import { Rectangle } from "@babylonjs/gui/2D/controls/rectangle";
import { TextBlock } from "@babylonjs/gui/2D/controls/textBlock";
import { Control } from "@babylonjs/gui/2D/controls/control";
import { TransformNode } from "@babylonjs/core/Meshes/transformNode";
import type { Scene } from "@babylonjs/core/scene";
import type { NerfNode } from "../scene/nerfNode";
import type { PromptSession } from "./promptSession";

const Help = "P positive · N negative · B box · Shift-click negative · Ctrl+Z undo · Ctrl+Y redo · Del clear · Enter propagate · F fuse into 3-D · O new object · Tab next object · Esc close";

function CssColor(color: readonly number[], alpha = 1): string {
    return `rgba(${Math.round(color[0] * 255)}, ${Math.round(color[1] * 255)}, ${Math.round(color[2] * 255)}, ${alpha})`;
}

/**
 * The prompt tool's drawing on the viewport (@babylonjs/gui): point markers anchored to their 3-D
 * points, the box being dragged, the live mask of the current view as a translucent overlay in
 * the object's colour, and a HUD line with the mode, the object and the shortcuts.
 */
export class PromptOverlay {
    private readonly _ui: AdvancedDynamicTexture;
    private readonly _maskImage: Image;
    private readonly _fusedImage: Image;
    private readonly _hud: TextBlock;
    private readonly _dragBox: Rectangle;
    private readonly _markers: { control: Ellipse; anchor: TransformNode }[] = [];
    private readonly _scene: Scene;
    private _maskSource = "";
    private _disposed = false;

    /** @param scene the scene the tool draws on */
    public constructor(scene: Scene) {
        this._scene = scene;
        this._ui = AdvancedDynamicTexture.CreateFullscreenUI("sanerf-prompt-overlay", true, scene);
        this._maskImage = new Image("sanerf-live-mask");
        this._maskImage.stretch = Image.STRETCH_FILL;
        this._maskImage.isPointerBlocker = false;
        this._maskImage.isHitTestVisible = false;
        this._ui.addControl(this._maskImage);
        this._fusedImage = new Image("sanerf-fused-mask");
        this._fusedImage.stretch = Image.STRETCH_FILL;
        this._fusedImage.isHitTestVisible = false;
        this._fusedImage.isVisible = false;
        this._ui.addControl(this._fusedImage);
        this._dragBox = new Rectangle("sanerf-box");
        this._dragBox.thickness = 2;
        this._dragBox.color = "white";
        this._dragBox.isVisible = false;
        this._dragBox.isHitTestVisible = false;
        this._dragBox.horizontalAlignment = Control.HORIZONTAL_ALIGNMENT_LEFT;
        this._dragBox.verticalAlignment = Control.VERTICAL_ALIGNMENT_TOP;
        this._ui.addControl(this._dragBox);
        this._hud = new TextBlock("sanerf-hud", "");
        this._hud.color = "white";
        this._hud.fontSize = 13;
        this._hud.outlineColor = "black";
        this._hud.outlineWidth = 3;
        this._hud.textHorizontalAlignment = Control.HORIZONTAL_ALIGNMENT_LEFT;
        this._hud.textVerticalAlignment = Control.VERTICAL_ALIGNMENT_TOP;
        this._hud.paddingLeft = "12px";
        this._hud.paddingTop = "8px";
        this._hud.isHitTestVisible = false;
        this._ui.addControl(this._hud);
    }

    /** The GUI texture (tests read its controls). */
    public get ui(): AdvancedDynamicTexture {
        return this._ui;
    }

    /** Number of point markers drawn. */
    public get markerCount(): number {
        return this._markers.length;
    }

    /**
     * Redraws markers, HUD and mask from the session.
     * @param session the prompt session
     * @param node the NerfNode (3-D anchors of the markers)
     */
    public update(session: PromptSession, node: NerfNode): void {
        if (this._disposed) {
            return;
        }
        const active = session.activeObject;
        const view = session.view.kind === "frame" ? `frame ${session.view.index}` : "viewport";
        this._hud.text = `SAM prompt tool — ${active.name} · mode: ${session.mode} · view: ${view}\n${Help}`;
        this._markers.forEach(({ control, anchor }) => {
            control.dispose();
            anchor.dispose();
        });
        this._markers.length = 0;
        for (const object of session.objects) {
            for (const click of object.clicks) {
                if (!click.position) {
                    continue;
                }
                const anchor = new TransformNode("sanerf-prompt-anchor", this._scene);
                anchor.position = node.captureToWorld(click.position);
                anchor.doNotSerialize = true;
                anchor.reservedDataStore = { hidden: true };
                const marker = new Ellipse("sanerf-prompt-marker");
                marker.width = "14px";
                marker.height = "14px";
                marker.thickness = 2;
                marker.color = click.label === 1 ? "white" : "black";
                marker.background = click.label === 1 ? CssColor(object.color) : "rgba(230, 40, 40, 1)";
                marker.alpha = object.id === active.id ? 1 : 0.5;
                marker.isHitTestVisible = false;
                this._ui.addControl(marker);
                marker.linkWithMesh(anchor);
                this._markers.push({ control: marker, anchor });
            }
        }
        const live = session.liveMask;
        if (!live || live.objectId !== active.id) {
            this._maskImage.isVisible = false;
            return;
        }
        const source = MaskDataUrl(live.result.mask, live.result.width, live.result.height, active.color);
        if (source !== this._maskSource) {
            this._maskSource = source;
            this._maskImage.source = source;
        }
        this._maskImage.isVisible = true;
    }

    /**
     * Shows the fused object field's mask of the current view (outlined in the object's colour, over
     * the live 2-D mask), or hides it with null.
     * @param labels labels per pixel (non-zero = the object), or null
     * @param width mask width
     * @param height mask height
     * @param color RGB 0..1
     */
    public showFusedMask(labels: Uint8Array | null, width = 0, height = 0, color: readonly number[] = [1, 1, 1]): void {
        this._fusedImage.isVisible = labels !== null;
        if (labels) {
            this._fusedImage.source = OutlineDataUrl(labels, width, height, color);
        }
    }

    /** Whether a fused mask is shown. */
    public get showsFusedMask(): boolean {
        return this._fusedImage.isVisible;
    }

    /**
     * Shows (or hides, with null) the box being dragged, in canvas pixels.
     * @param box canvas-pixel corners
     */
    public showDragBox(box: { x0: number; y0: number; x1: number; y1: number } | null): void {
        this._dragBox.isVisible = box !== null;
        if (box) {
            const scale = this._ui.getScene()!.getEngine().getHardwareScalingLevel();
            this._dragBox.left = `${Math.min(box.x0, box.x1) / scale}px`;
            this._dragBox.top = `${Math.min(box.y0, box.y1) / scale}px`;
            this._dragBox.width = `${Math.abs(box.x1 - box.x0) / scale}px`;
            this._dragBox.height = `${Math.abs(box.y1 - box.y0) / scale}px`;
        }
    }

    /** Removes the overlay (later updates do nothing). */
    public dispose(): void {
        this._disposed = true;
        this._markers.forEach(({ control, anchor }) => {
            control.dispose();
            anchor.dispose();
        });
        this._ui.dispose();
    }
}

/**
 * Paints an RGBA image pixel by pixel and returns it as a PNG data URL.
 * @param width image width
 * @param height image height
 * @param paint writes pixel i's RGBA into `data` at i * 4 (untouched pixels stay transparent)
 * @returns the data URL
 */
function PaintedDataUrl(width: number, height: number, paint: (data: Uint8ClampedArray) => void): string {
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext("2d")!;
    const image = context.createImageData(width, height);
    paint(image.data);
    context.putImageData(image, 0, 0);
    return canvas.toDataURL("image/png");
}

/**
 * A mask as a translucent PNG data URL in a colour.
 * @param mask 0/255 per pixel
 * @param width mask width
 * @param height mask height
 * @param color RGB 0..1
 * @returns the data URL
 */
export function MaskDataUrl(mask: Uint8Array, width: number, height: number, color: readonly number[]): string {
    const rgb = color.map((c) => Math.round(c * 255));
    return PaintedDataUrl(width, height, (data) => {
        for (let i = 0; i < mask.length; i++) {
            if (mask[i] > 127) {
                data.set([rgb[0], rgb[1], rgb[2], 115], i * 4);
            }
        }
    });
}

/**
 * A mask's outline (pixels of the mask next to one outside it) and a light fill, as a PNG data URL.
 * @param labels non-zero = inside
 * @param width mask width
 * @param height mask height
 * @param color RGB 0..1
 * @returns the data URL
 */
export function OutlineDataUrl(labels: Uint8Array, width: number, height: number, color: readonly number[]): string {
    const rgb = color.map((c) => Math.round(c * 255));
    return PaintedDataUrl(width, height, (data) => {
        for (let y = 0; y < height; y++) {
            for (let x = 0; x < width; x++) {
                const i = y * width + x;
                if (labels[i]) {
                    const edge = x === 0 || y === 0 || x === width - 1 || y === height - 1 || !labels[i - 1] || !labels[i + 1] || !labels[i - width] || !labels[i + width];
                    data.set(edge ? [255, 255, 255, 255] : [rgb[0], rgb[1], rgb[2], 60], i * 4);
                }
            }
        }
    });
}

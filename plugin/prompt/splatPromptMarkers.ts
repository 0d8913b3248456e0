import type { Scene } from "@babylonjs/core/scene";
import { TransformNode } from "@babylonjs/core/Meshes/transformNode";
import { AdvancedDynamicTexture } from "@babylonjs/gui/2D/advancedDynamicTexture";
import { Ellipse } from "@babylonjs/gui/2D/controls/ellipse";
import type { CameraIntrinsics } from "../core/capture/captureTypes";
import { DepthMapSurfaceProbe } from "../core/segmentation/surfaceProbe";

/** A click on a splat view, as the markers need it. */
export interface SplatMarkerClick {
    readonly view: number;
    readonly x: number;
    readonly y: number;
    /** 1 the object, 0 background. */
    readonly label: 0 | 1;
}

/** An object's clicks and colour. */
export interface SplatMarkerObject {
    readonly id: number;
    /** 0-1 RGB. */
    readonly color: readonly number[];
    readonly clicks: readonly SplatMarkerClick[];
}

/** A view clicks are made on: its camera and the splats' depth there. */
export interface SplatMarkerView {
    readonly cameraToWorld: ArrayLike<number>;
    readonly intrinsics: CameraIntrinsics;
    /** Depth along the view's -z per pixel, 0 where nothing is. */
    readonly depth: Float32Array;
}

/**
 * The splat prompts in the 3-D view: a marker on the splats' surface for every click (lifted
 * through its view's depth, as segmentation lifts it), drawn like the NeRF prompt tool's (the
 * object's colour for a click on it, red for background; the active object's opaque, the others
 * faded). Markers hang under the splat mesh, so they follow it when it moves. Clicks on nothing
 * (no depth there) get no marker.
 */
export class SplatPromptMarkers {
    private readonly _scene: Scene;
    private _ui: AdvancedDynamicTexture | null = null;
    private readonly _markers: { control: Ellipse; anchor: TransformNode }[] = [];

    /** @param scene the scene the markers are drawn in */
    public constructor(scene: Scene) {
        this._scene = scene;
    }

    /** Markers drawn. */
    public get count(): number {
        return this._markers.length;
    }

    /** The anchors' positions in the scene (world coordinates), in drawing order. */
    public get worldPositions(): readonly [number, number, number][] {
        return this._markers.map(({ anchor }) => anchor.getAbsolutePosition().asArray() as [number, number, number]);
    }

    /**
     * Redraws the markers (none when `parent` is null).
     * @param objects the objects and their clicks
     * @param activeId the active object (drawn opaque)
     * @param views the views the clicks are on
     * @param parent the splat mesh (its local space is the views' coordinates), or null to draw none
     */
    public update(objects: readonly SplatMarkerObject[], activeId: number, views: readonly SplatMarkerView[] | null, parent: TransformNode | null): void {
        this._clear();
        if (!parent || !views) {
            return;
        }
        const probe = DepthMapSurfaceProbe(
            views.map((view) => view.depth),
            0
        );
        for (const object of objects) {
            for (const click of object.clicks) {
                const view = views[click.view];
                const hit = view ? probe.firstSurface(view, click.view, click.x, click.y) : null;
                if (!hit) {
                    continue;
                }
                const anchor = new TransformNode("sanerf-splat-prompt-anchor", this._scene);
                anchor.parent = parent;
                anchor.position.set(hit.point[0], hit.point[1], hit.point[2]);
                anchor.doNotSerialize = true;
                anchor.reservedDataStore = { hidden: true };
                const marker = new Ellipse("sanerf-splat-prompt-marker");
                marker.width = "14px";
                marker.height = "14px";
                marker.thickness = 2;
                marker.color = click.label === 1 ? "white" : "black";
                marker.background = click.label === 1 ? CssColor(object.color) : "rgba(230, 40, 40, 1)";
                marker.alpha = object.id === activeId ? 1 : 0.5;
                marker.isHitTestVisible = false;
                this._ui ??= AdvancedDynamicTexture.CreateFullscreenUI("sanerf-splat-prompt-markers", true, this._scene);
                this._ui.addControl(marker);
                marker.linkWithMesh(anchor);
                this._markers.push({ control: marker, anchor });
            }
        }
    }

    /** Removes the markers and their layer. */
    public dispose(): void {
        this._clear();
        this._ui?.dispose();
        this._ui = null;
    }

    private _clear(): void {
        for (const { control, anchor } of this._markers) {
            control.dispose();
            anchor.dispose();
        }
        this._markers.length = 0;
    }
}

/** A 0-1 RGB colour as CSS. */
function CssColor(color: readonly number[]): string {
    return `rgb(${color.map((c) => Math.round(c * 255)).join(", ")})`;
}

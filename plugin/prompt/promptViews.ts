import type { Camera } from "@babylonjs/core/Cameras/camera";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import type { Capture } from "../core/capture/captureTypes";
import type { RgbaImage } from "../core/image/rgbaImage";
import { ProjectPoint } from "../core/math/cameraProjection";
import { BabylonToCapturePoint } from "../core/math/poseConversion";
import { ViewImage } from "../core/pipeline/segmentStage";
import type { PropagationView } from "../core/segmentation/promptPropagation";
import { RenderViewDepth } from "../core/segmentation/viewDepth";
import type { SamViewImage } from "../core/sam/samTypes";
import type { NerfNode } from "../scene/nerfNode";
import { FieldViewFromCamera } from "../scene/fieldViews";
import { SceneHandedness } from "../scene/captureCamera";
import type { PromptView } from "./promptTypes";

/** A view as SAM sees it: its image (with the field's depth when asked) and its pose and intrinsics in the field's capture coordinates. */
export interface PromptViewImage {
    readonly image: SamViewImage;
    readonly view: PropagationView;
}

/**
 * The images and poses of the prompt tool's views: a capture frame is its own image and pose; the
 * free viewport is rendered from the field at the camera's pose (cached until the camera, the size
 * or the field changes). For a model that takes depth ({@link withDepth}) views carry the field's
 * depth, rendered as the segment stage does (RenderViewDepth; on the main thread, at most 256 px).
 * Maps viewport rays to pixels of the current view.
 */
export class PromptViews {
    /** Size the viewport view is rendered at for SAM (longest side). */
    public viewportSize = 384;
    /** Whether views carry the field's depth (set from the model: the built-in one takes depth). */
    public withDepth = false;
    private readonly _node: NerfNode;
    private readonly _capture: Capture;
    private _viewport: { key: string; image: RgbaImage; depth?: Float32Array; view: PropagationView } | null = null;
    private _rendering: { key: string; promise: Promise<{ key: string; image: RgbaImage; view: PropagationView }> } | null = null;
    private readonly _frameDepths = new Map<number, Float32Array>();
    private _frameDepthsOf: unknown = null;

    /**
     * @param node the NerfNode whose field renders the viewport
     * @param capture the capture whose frames are views
     */
    public constructor(node: NerfNode, capture: Capture) {
        this._node = node;
        this._capture = capture;
    }

    /**
     * A view's image and pose.
     * @param view a capture frame or the viewport
     * @param camera the viewport camera (default the scene's active camera)
     * @returns the image and pose
     */
    public async imageAsync(view: PromptView, camera?: Camera): Promise<PromptViewImage> {
        if (view.kind === "frame") {
            return { image: this._frameImage(view.index), view: this._capture.frames[view.index] };
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
        const fieldView = FieldViewFromCamera(this._node, active, width, height);
        const key = `${Array.from(fieldView.cameraToWorld).map((v) => v.toFixed(5)).join(",")}|${width}x${height}|${this._node.field?.metadata.iterations}`;
        if (this._viewport?.key !== key) {
            // a second caller for the same view (a click while the live mask refreshes) shares the render
            if (this._rendering?.key !== key) {
                const promise = this._node.renderOffscreenAsync(fieldView).then((rendered) => ({ key, image: { width, height, data: rendered.color }, view: fieldView }));
                this._rendering = { key, promise };
                promise.then(
                    () => this._rendering?.promise === promise && (this._rendering = null),
                    () => this._rendering?.promise === promise && (this._rendering = null)
                );
            }
            const rendered = await this._rendering.promise;
            if (this._viewport?.key !== key) {
                this._viewport = rendered;
            }
        }
        const viewport = this._viewport!;
        const field = this._node.field;
        if (this.withDepth && field) {
            // the same median depth as the frames' (not the renderer's expected depth)
            viewport.depth ??= RenderViewDepth(field, viewport.view);
            return { image: { ...viewport.image, depth: viewport.depth }, view: viewport.view };
        }
        return { image: viewport.image, view: viewport.view };
    }

    /** A capture frame's image, with the field's depth (rendered once per frame and field) when asked. */
    private _frameImage(index: number): SamViewImage {
        const image = ViewImage(this._capture, index);
        const field = this._node.field;
        if (!this.withDepth || !field) {
            return image;
        }
        if (this._frameDepthsOf !== field) {
            this._frameDepths.clear();
            this._frameDepthsOf = field;
        }
        let depth = this._frameDepths.get(index);
        if (!depth) {
            depth = RenderViewDepth(field, this._capture.frames[index]);
            this._frameDepths.set(index, depth);
        }
        return { ...image, depth };
    }

    /**
     * The pixel of a view a world ray goes through (any point of the ray projects there).
     * @param view the view
     * @param camera the viewport camera
     * @param ray the picking ray, world space
     * @param ray.origin ray origin
     * @param ray.direction ray direction
     * @returns the pixel, or null when the ray is outside the view
     */
    public async pixelOfRayAsync(view: PromptView, camera: Camera, ray: { origin: Vector3; direction: Vector3 }): Promise<{ x: number; y: number } | null> {
        const { view: pose } = await this.imageAsync(view, camera);
        const ahead = ray.origin.add(ray.direction.normalizeToNew().scale(1));
        const local = Vector3.TransformCoordinates(ahead, this._node.computeWorldMatrix(true).clone().invert());
        const projected = ProjectPoint(pose.cameraToWorld, pose.intrinsics, BabylonToCapturePoint(local.asArray(), SceneHandedness(this._node.getScene())));
        const k = pose.intrinsics;
        if (!(projected.depth > 0) || projected.u < 0 || projected.v < 0 || projected.u >= k.width || projected.v >= k.height) {
            return null;
        }
        return { x: projected.u, y: projected.v };
    }
}

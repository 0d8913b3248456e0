import { Mesh } from "@babylonjs/core/Meshes/mesh";
import { CreateBoxVertexData } from "@babylonjs/core/Meshes/Builders/boxBuilder";
import type { Scene } from "@babylonjs/core/scene";
import type { Camera } from "@babylonjs/core/Cameras/camera";
import { Observable } from "@babylonjs/core/Misc/observable";
import { Matrix, Vector3 } from "@babylonjs/core/Maths/math.vector";
import { PickingInfo } from "@babylonjs/core/Collisions/pickingInfo";
import type { Ray } from "@babylonjs/core/Culling/ray.core";
// scene.pick / pickWithRay live in this side-effect module; picking is part of what a NerfNode offers.
import "@babylonjs/core/Culling/ray";
import type { RadianceFieldData } from "../core/nerf/radianceFieldData";
import { MarchToSurface } from "../core/nerf/fieldSurface";
import { OccupiedBounds } from "../core/nerf/fieldGeometry";
import type { FieldView, RenderedView } from "../core/nerf/gpuFieldRenderer";
import { BabylonToCapturePoint, CaptureToBabylonPoint } from "../core/math/poseConversion";
import { SceneHandedness } from "./captureCamera";
import { NerfFieldTextures } from "./nerfFieldTextures";
import { NerfMaterial } from "./nerfMaterial";
import { FieldViewFromCamera } from "./fieldViews";
import { NerfOffscreenRenderer } from "./nerfOffscreenRenderer";
import { NerfRenderQuality } from "./nerfRenderQuality";
import { NerfBoundsHelper } from "./nerfBoundsHelper";

/**
 * A radiance field as a Babylon scene node: a Mesh whose geometry is the field's box, drawn by a
 * ray-marching material (WGSL on WebGPU, GLSL with 3D textures on WebGL2), depth-correct with the
 * scene's meshes, pickable on its first surface, movable like any node (the capture's world maps
 * into the node's local space, z mirrored in left-handed scenes), renderable off-screen from any
 * camera, and saved with the scene (see NerfSceneSerializer).
 */
export class NerfNode extends Mesh {
    /** Fires when a field is set (or replaced, e.g. by a training preview). */
    public readonly onFieldChangedObservable = new Observable<NerfNode>();
    /** Opacity the first-surface pick and depth use. */
    public surfaceThreshold = 0.5;
    /** When loading from a saved scene failed: the message (the node stays empty). */
    public loadError: string | null = null;
    /** Where the field came from when loaded from a file/URL (used by serialization). */
    public fieldSource: string | null = null;
    private _field: RadianceFieldData | null = null;
    private _textures: NerfFieldTextures | null = null;
    private _offscreen: NerfOffscreenRenderer | null = null;
    private readonly _quality: NerfRenderQuality;
    private readonly _bounds: NerfBoundsHelper;

    /**
     * @param name node name
     * @param scene the scene
     * @param field the field to show (can be set later with {@link setField})
     */
    public constructor(name: string, scene: Scene, field?: RadianceFieldData) {
        super(name, scene);
        this.doNotSerialize = true;
        this.isPickable = true;
        this.alwaysSelectAsActiveMesh = false;
        this._quality = new NerfRenderQuality(this);
        this._bounds = new NerfBoundsHelper(this);
        if (field) {
            this.setField(field);
        }
    }

    /** @returns "NerfNode" */
    public override getClassName(): string {
        return "NerfNode";
    }

    /** The field shown, or null. */
    public get field(): RadianceFieldData | null {
        return this._field;
    }

    /** The ray-marching material (null until a field is set). */
    public get nerfMaterial(): NerfMaterial | null {
        return this.material instanceof NerfMaterial ? this.material : null;
    }

    /** Render-quality control: step scale while the camera moves, full quality when it stops. */
    public get quality(): NerfRenderQuality {
        return this._quality;
    }

    /** Show the field's bounding box as lines. */
    public get showBounds(): boolean {
        return this._bounds.visible;
    }

    public set showBounds(value: boolean) {
        this._bounds.visible = value;
    }

    /**
     * Shows a field: (re)builds the box geometry, uploads the 3D textures and binds the material.
     * @param field the field
     */
    public setField(field: RadianceFieldData): void {
        const previous = this._field;
        const sameGrid = previous && this._textures && SameGeometry(previous, field);
        this._field = field;
        this.loadError = null;
        if (sameGrid) {
            this._textures!.update(field);
            if (!SameOccupancy(previous, field)) {
                this._buildBox(field);
            }
        } else {
            this._buildBox(field);
            const textures = NerfFieldTextures.Create(this.getScene(), field);
            if (this.nerfMaterial) {
                this.nerfMaterial.setTextures(textures);
            } else {
                const material = new NerfMaterial(`${this.name} material`, this.getScene(), textures);
                material.mirrorZ = SceneHandedness(this.getScene()) === "left";
                this.material = material;
            }
            this._textures?.dispose();
            this._textures = textures;
        }
        this._offscreen?.invalidate();
        this._bounds.rebuild();
        this.onFieldChangedObservable.notifyObservers(this);
    }

    /**
     * Picks the field's first surface along a mesh-local ray (Babylon's pick pipeline passes rays
     * in the mesh's local space): the hit point is where the accumulated opacity reaches
     * {@link surfaceThreshold}.
     * @param ray ray in local space
     * @param _fastCheck unused
     * @param _trianglePredicate unused
     * @param _onlyBoundingInfo unused
     * @param worldToUse the world matrix to report world hit points with
     * @returns picking info (hit = false when the ray stays transparent)
     */
    public override intersects(ray: Ray, _fastCheck?: boolean, _trianglePredicate?: unknown, _onlyBoundingInfo?: boolean, worldToUse?: Matrix): PickingInfo {
        const info = new PickingInfo();
        const field = this._field;
        if (!field) {
            return info;
        }
        const handedness = SceneHandedness(this.getScene());
        const origin = BabylonToCapturePoint([ray.origin.x, ray.origin.y, ray.origin.z], handedness);
        const direction = BabylonToCapturePoint([ray.direction.x, ray.direction.y, ray.direction.z], handedness);
        const hit = MarchToSurface(field, origin, direction, this.surfaceThreshold);
        if (!hit) {
            return info;
        }
        const world = worldToUse ?? this.getWorldMatrix();
        const localHit = Vector3.FromArray(CaptureToBabylonPoint(hit.point, handedness));
        const worldHit = Vector3.TransformCoordinates(localHit, world);
        const worldOrigin = Vector3.TransformCoordinates(ray.origin, world);
        info.hit = true;
        info.pickedMesh = this;
        info.pickedPoint = worldHit;
        info.distance = Vector3.Distance(worldOrigin, worldHit);
        info.subMeshId = 0;
        return info;
    }

    /**
     * The world-space point of the field's first surface along a world ray (e.g. from a click).
     * @param origin world ray origin
     * @param direction world ray direction
     * @returns the hit point, or null
     */
    public surfacePointFromWorldRay(origin: Vector3, direction: Vector3): Vector3 | null {
        return this.surfaceHitFromWorldRay(origin, direction)?.world ?? null;
    }

    /**
     * The field's first surface along a world ray, in world and in capture coordinates (the
     * prompt tool lifts clicks with it; propagation works in capture coordinates).
     * @param origin world ray origin
     * @param direction world ray direction
     * @returns the hit in both spaces, or null
     */
    public surfaceHitFromWorldRay(origin: Vector3, direction: Vector3): { world: Vector3; capture: [number, number, number] } | null {
        if (!this._field) {
            return null;
        }
        const inverse = Matrix.Invert(this.computeWorldMatrix(true));
        const localOrigin = Vector3.TransformCoordinates(origin, inverse);
        const localDirection = Vector3.TransformNormal(direction, inverse);
        const handedness = SceneHandedness(this.getScene());
        const hit = MarchToSurface(this._field, BabylonToCapturePoint(localOrigin.asArray(), handedness), BabylonToCapturePoint(localDirection.asArray(), handedness), this.surfaceThreshold);
        return hit ? { world: Vector3.TransformCoordinates(Vector3.FromArray(CaptureToBabylonPoint(hit.point, handedness)), this.getWorldMatrix()), capture: hit.point } : null;
    }

    /**
     * The world position of a point given in the field's capture coordinates.
     * @param capturePoint the point
     * @returns its world position
     */
    public captureToWorld(capturePoint: ArrayLike<number>): Vector3 {
        return Vector3.TransformCoordinates(Vector3.FromArray(CaptureToBabylonPoint(capturePoint, SceneHandedness(this.getScene()))), this.computeWorldMatrix(true));
    }

    /**
     * Renders the field off-screen to RGBA + opacity + depth: on WebGPU compute when the browser has
     * it, else with the CPU twins (slow). The field's own background shows through.
     * @param view a Babylon camera (rendered at `size`) or a capture view (its intrinsics' size)
     * @param size width and height for a camera
     * @param size.width image width
     * @param size.height image height
     * @returns the image, opacity, depth (capture units along the ray) and samples per ray
     */
    public async renderOffscreenAsync(view: Camera | FieldView, size?: { width: number; height: number }): Promise<RenderedView> {
        if (!this._field) {
            throw new Error(`NerfNode "${this.name}" has no field to render`);
        }
        const fieldView = "intrinsics" in view ? view : FieldViewFromCamera(this, view, size?.width ?? 256, size?.height ?? 256);
        this._offscreen ??= new NerfOffscreenRenderer();
        return this._offscreen.renderAsync(this._field, fieldView);
    }

    /** Releases the textures, material, off-screen renderer and helpers with the mesh. */
    public override dispose(doNotRecurse?: boolean, disposeMaterialAndTextures = true): void {
        this._quality.dispose();
        this._bounds.dispose();
        this._offscreen?.dispose();
        this._textures?.dispose();
        this._textures = null;
        this.onFieldChangedObservable.clear();
        super.dispose(doNotRecurse, disposeMaterialAndTextures);
    }

    private _buildBox(field: RadianceFieldData): void {
        const handedness = SceneHandedness(this.getScene());
        // The drawn box is the occupied region (one cell of margin): rays outside it see nothing, so
        // the image is the same and far fewer fragments are marched. A whole-scene field draws a
        // box WholeSceneProxyScale times its inner box: from inside it every pixel gets a ray, which
        // marches on to the field's far end whatever the box's size.
        const occupied = field.params.contracted ? WholeSceneProxy(field.params) : (OccupiedBounds(field.params, field.occupancy) ?? { min: field.params.boundsMin, max: field.params.boundsMax });
        const a = CaptureToBabylonPoint(occupied.min, handedness);
        const b = CaptureToBabylonPoint(occupied.max, handedness);
        const min = [0, 1, 2].map((i) => Math.min(a[i], b[i]));
        const max = [0, 1, 2].map((i) => Math.max(a[i], b[i]));
        const box = CreateBoxVertexData({ width: max[0] - min[0], height: max[1] - min[1], depth: max[2] - min[2] });
        const positions = box.positions as number[];
        for (let i = 0; i < positions.length; i += 3) {
            positions[i] += (min[0] + max[0]) / 2;
            positions[i + 1] += (min[1] + max[1]) / 2;
            positions[i + 2] += (min[2] + max[2]) / 2;
        }
        box.applyToMesh(this, true);
        this.refreshBoundingInfo({});
    }
}

/** A whole-scene field's drawn box, in inner-box sizes around the inner box's centre. */
const WholeSceneProxyScale = 8;

function WholeSceneProxy(params: RadianceFieldData["params"]): { min: [number, number, number]; max: [number, number, number] } {
    const at = (sign: number): [number, number, number] => [0, 1, 2].map((a) => 0.5 * (params.boundsMin[a] + params.boundsMax[a]) + sign * 0.5 * WholeSceneProxyScale * (params.boundsMax[a] - params.boundsMin[a])) as [number, number, number];
    return { min: at(-1), max: at(1) };
}

function SameOccupancy(a: RadianceFieldData, b: RadianceFieldData): boolean {
    return a.occupancy.length === b.occupancy.length && a.occupancy.every((word, i) => word === b.occupancy[i]);
}

function SameGeometry(a: RadianceFieldData, b: RadianceFieldData): boolean {
    const same = (x: readonly number[], y: readonly number[]): boolean => x.every((v, i) => v === y[i]);
    return a.params.contracted === b.params.contracted && same(a.params.gridSize, b.params.gridSize) && same(a.params.occupancySize, b.params.occupancySize) && same(a.params.boundsMin, b.params.boundsMin) && same(a.params.boundsMax, b.params.boundsMax);
}

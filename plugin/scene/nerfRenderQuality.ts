import type { Observer } from "@babylonjs/core/Misc/observable";
import type { Scene } from "@babylonjs/core/scene";
import type { Mesh } from "@babylonjs/core/Meshes/mesh";
import { Matrix } from "@babylonjs/core/Maths/math.vector";
import type { NerfMaterial } from "./nerfMaterial";

/**
 * Keeps the editor interactive: while the active camera (or the node) moves, the field is marched
 * with coarser steps (`movingStepScale`); once nothing has moved for `settleMs`, full quality
 * (`stillStepScale`) returns.
 */
export class NerfRenderQuality {
    /** Step scale while moving (2 = half the samples). */
    public movingStepScale = 2;
    /** Step scale at rest (1 = the field's own step). */
    public stillStepScale = 1;
    /** Milliseconds without motion before full quality returns. */
    public settleMs = 150;
    /** Set false to keep the still quality all the time. */
    public adaptive = true;
    private readonly _mesh: Mesh & { nerfMaterial: NerfMaterial | null };
    private readonly _observer: Observer<Scene>;
    private readonly _lastView = new Matrix();
    private readonly _lastWorld = new Matrix();
    private _lastMotion = -Infinity;

    /** @param mesh the NerfNode */
    public constructor(mesh: Mesh & { nerfMaterial: NerfMaterial | null }) {
        this._mesh = mesh;
        this._observer = mesh.getScene().onBeforeRenderObservable.add(() => this._update());
    }

    /** True while the coarse steps are in use. */
    public get isMoving(): boolean {
        return this.adaptive && performance.now() - this._lastMotion < this.settleMs;
    }

    /** Stops watching the camera. */
    public dispose(): void {
        this._mesh.getScene().onBeforeRenderObservable.remove(this._observer);
    }

    private _update(): void {
        const material = this._mesh.nerfMaterial;
        const camera = this._mesh.getScene().activeCamera;
        if (!material || !camera) {
            return;
        }
        const view = camera.getViewMatrix();
        const world = this._mesh.getWorldMatrix();
        if (!view.equals(this._lastView) || !world.equals(this._lastWorld)) {
            this._lastMotion = performance.now();
            this._lastView.copyFrom(view);
            this._lastWorld.copyFrom(world);
        }
        material.stepScale = this.isMoving ? this.movingStepScale : this.stillStepScale;
    }
}

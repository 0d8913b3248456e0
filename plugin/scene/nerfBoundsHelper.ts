import { CreateLineSystem } from "@babylonjs/core/Meshes/Builders/linesBuilder";
import type { LinesMesh } from "@babylonjs/core/Meshes/linesMesh";
import type { Mesh } from "@babylonjs/core/Meshes/mesh";
import { Color3 } from "@babylonjs/core/Maths/math.color";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";

/** The field's box drawn as lines (a child of the node, hidden from the Inspector and pickers). */
export class NerfBoundsHelper {
    private readonly _mesh: Mesh;
    private _lines: LinesMesh | null = null;
    private _visible = false;

    /** @param mesh the NerfNode */
    public constructor(mesh: Mesh) {
        this._mesh = mesh;
    }

    /** Whether the box is shown. */
    public get visible(): boolean {
        return this._visible;
    }

    public set visible(value: boolean) {
        this._visible = value;
        if (value && !this._lines) {
            this.rebuild();
        }
        this._lines?.setEnabled(value);
    }

    /** Rebuilds the lines from the node's current bounding box. */
    public rebuild(): void {
        this._lines?.dispose();
        this._lines = null;
        if (!this._visible || this._mesh.getTotalVertices() === 0) {
            return;
        }
        const { minimum: a, maximum: b } = this._mesh.getBoundingInfo().boundingBox;
        const corner = (x: number, y: number, z: number): Vector3 => new Vector3(x ? b.x : a.x, y ? b.y : a.y, z ? b.z : a.z);
        const edges: Vector3[][] = [];
        for (const [u, v] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
            edges.push([corner(0, u, v), corner(1, u, v)], [corner(u, 0, v), corner(u, 1, v)], [corner(u, v, 0), corner(u, v, 1)]);
        }
        const lines = CreateLineSystem(`${this._mesh.name} bounds`, { lines: edges }, this._mesh.getScene());
        lines.color = new Color3(1, 0.6, 0.1);
        lines.isPickable = false;
        lines.doNotSerialize = true;
        lines.parent = this._mesh;
        lines.reservedDataStore = { hidden: true };
        this._lines = lines;
    }

    /** Removes the lines. */
    public dispose(): void {
        this._lines?.dispose();
        this._lines = null;
    }
}

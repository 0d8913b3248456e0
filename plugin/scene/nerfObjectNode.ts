import type { Scene } from "@babylonjs/core/scene";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import type { RadianceFieldData } from "../core/nerf/radianceFieldData";
import { NerfNode } from "./nerfNode";

/**
 * One fused object as a scene node: a NerfNode whose field is the capture's radiance field
 * restricted to the object (MaskRadianceField, cropped to it), with its own transform. It picks,
 * moves, rotates and scales like any node (gizmos turn it about the object's centre), renders off
 * screen, saves with the scene, and its field file re-imports it in another scene. The NerfNode it
 * came from can show the capture without the object, so moving it leaves no ghost copy.
 */
export class NerfObjectNode extends NerfNode {
    /** The object's name (kept in its field file's metadata). */
    public objectName: string;
    /** The NerfNode it was cut from (null when imported from a file). */
    public sourceNode: NerfNode | null;

    /**
     * @param name node name
     * @param scene the scene
     * @param field the object's field (metadata.objectName names it)
     * @param sourceNode the NerfNode it was cut from: its transform is copied, so the object appears in place
     */
    public constructor(name: string, scene: Scene, field?: RadianceFieldData, sourceNode: NerfNode | null = null) {
        super(name, scene);
        this.objectName = field?.metadata.objectName ?? name;
        this.sourceNode = sourceNode;
        if (sourceNode) {
            sourceNode.computeWorldMatrix(true);
            const world = sourceNode.getWorldMatrix();
            const scaling = new Vector3();
            const position = new Vector3();
            this.rotationQuaternion = sourceNode.absoluteRotationQuaternion.clone();
            world.decompose(scaling, undefined, position);
            this.position.copyFrom(position);
            this.scaling.copyFrom(scaling);
        }
        if (field) {
            this.setField(field);
        }
    }

    /** @returns "NerfObjectNode" */
    public override getClassName(): string {
        return "NerfObjectNode";
    }

    /**
     * Sets the field and puts the pivot at the centre of the object's box (gizmos rotate it there).
     * @param field the object's field
     */
    public override setField(field: RadianceFieldData): void {
        super.setField(field);
        const p = field.params;
        const centre = [0, 1, 2].map((a) => (p.boundsMin[a] + p.boundsMax[a]) / 2);
        this.setPivotPoint(new Vector3(centre[0], centre[1], this.getScene().useRightHandedSystem ? centre[2] : -centre[2]));
    }
}

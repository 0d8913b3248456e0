import type { Scene } from "@babylonjs/core/scene";
import type { Mesh } from "@babylonjs/core/Meshes/mesh";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode";
import { Matrix, Vector3 } from "@babylonjs/core/Maths/math.vector";
import type { ExtractedMesh } from "../core/extraction/extractedMesh";
import type { PipelineConfig } from "../core/pipeline/pipelineConfig";
import { ExtractSplatObjectStageAsync } from "../core/pipeline/splatStage";
import type { SplatCloud } from "../core/splats/splatCloud";
import { ExportObjectGlbAsync } from "../scene/glbExchange";
import { CreateObjectMesh } from "../scene/objectMeshBuilder";
import { ExtractionService } from "../services/extractionService";
import type { WorkspaceTasks } from "./workspaceTasks";

/** What {@link SplatObjectMeshes} needs from the workspace. */
export interface SplatMeshHost {
    readonly scene: Scene;
    readonly config: PipelineConfig;
    readonly tasks: WorkspaceTasks;
    readonly changed: () => void;
}

/** One labelled object of a splat scene, to mesh. */
export interface SplatMeshRequest {
    /** The object's id in the pane (one mesh per id; a new extraction replaces the old). */
    readonly id: number;
    readonly name: string;
    /** The file's splats and their labels. */
    readonly cloud: SplatCloud;
    readonly labels: Uint8Array;
    readonly label: number;
    /** The node whose local space is the file's coordinates, where the mesh goes: the object's own splat mesh, or the source. */
    readonly placement: TransformNode;
}

/** An object's mesh and what made it. */
interface SplatObjectMesh {
    readonly mesh: Mesh;
    readonly extracted: ExtractedMesh;
    readonly up: [number, number, number];
}

/**
 * The scene's up (+Y) in a node's local space: the up of the file coordinates a splat mesh shows,
 * as the user placed it (Babylon's loader turns 3DGS's y-down files upright).
 * @param node the node
 * @returns a unit vector, local coordinates
 */
export function LocalUpOf(node: TransformNode): [number, number, number] {
    const toLocal = Matrix.Invert(node.computeWorldMatrix(true));
    const up = Vector3.TransformNormal(Vector3.Up(), toLocal).normalize();
    return [up.x, up.y, up.z];
}

/**
 * Meshes of splat objects in the editor: an object's splats extracted as a triangle mesh by the
 * pipeline's splat extraction stage in the extraction worker (the scene's up, seen from the splat
 * mesh's placement, fills the object where it stood), placed over the splats with their transform,
 * and exported as GLB the way the CLI writes object-<k>.glb (up as +Y). A failed or cancelled
 * extraction keeps the object's earlier mesh.
 */
export class SplatObjectMeshes {
    private readonly _host: SplatMeshHost;
    private readonly _extraction = new ExtractionService();
    private readonly _meshes = new Map<number, SplatObjectMesh>();

    /** @param host scene, settings, tasks */
    public constructor(host: SplatMeshHost) {
        this._host = host;
    }

    /**
     * An object's mesh.
     * @param id the object's id
     * @returns the mesh, or null when none was extracted
     */
    public meshOf(id: number): Mesh | null {
        return this._meshes.get(id)?.mesh ?? null;
    }

    /**
     * What an object's mesh was made from.
     * @param id the object's id
     * @returns the extraction stage's result and the up it stands along, or null
     */
    public extractedOf(id: number): { readonly extracted: ExtractedMesh; readonly up: readonly [number, number, number] } | null {
        return this._meshes.get(id) ?? null;
    }

    /**
     * Extracts an object's mesh (progress shown, cancellable) and puts it over its splats.
     * @param request the object, its splats and where they are shown
     * @returns the mesh, or null when it failed or was cancelled (the message is in the workspace's error)
     */
    public async extractAsync(request: SplatMeshRequest): Promise<Mesh | null> {
        const controller = new AbortController();
        const up = LocalUpOf(request.placement);
        const extracted = await this._host.tasks.runAsync({ label: `Making a mesh of the splats of ${request.name}`, progress: null, cancel: () => controller.abort() }, async () => {
            return await ExtractSplatObjectStageAsync(this._extraction, request.cloud, request.labels, request.label, this._host.config, request.name, up, controller.signal);
        });
        if (!extracted) {
            return null;
        }
        const mesh = CreateObjectMesh(`${request.name} mesh`, this._host.scene, extracted);
        // the mesh's local space is right-handed (z mirrored in left-handed scenes); the splats' is the file's
        const placement = request.placement;
        mesh.parent = placement.parent;
        mesh.position.copyFrom(placement.position);
        mesh.rotationQuaternion = placement.rotationQuaternion?.clone() ?? null;
        mesh.rotation.copyFrom(placement.rotation);
        mesh.scaling.copyFrom(placement.scaling).multiplyInPlace(new Vector3(1, 1, this._host.scene.useRightHandedSystem ? 1 : -1));
        this._meshes.get(request.id)?.mesh.dispose();
        this._meshes.set(request.id, { mesh, extracted, up });
        this._host.changed();
        return mesh;
    }

    /**
     * An object's mesh as a GLB (unlit vertex colours, the scene's up as +Y, the file's units).
     * @param id the object's id
     * @returns the file
     * @throws Error when the object has no mesh yet
     */
    public async exportGlbAsync(id: number): Promise<Blob> {
        const entry = this._meshes.get(id);
        if (!entry) {
            throw new Error(`object ${id} has no mesh yet (make one first)`);
        }
        return await ExportObjectGlbAsync(entry.mesh.name, entry.extracted, entry.up);
    }

    /** Stops the extraction worker (meshes stay in the scene). */
    public dispose(): void {
        this._extraction.dispose();
    }
}

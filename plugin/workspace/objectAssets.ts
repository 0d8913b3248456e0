import type { Scene } from "@babylonjs/core/scene";
import type { Mesh } from "@babylonjs/core/Meshes/mesh";
import type { AbstractMesh } from "@babylonjs/core/Meshes/abstractMesh";
import { Observable } from "@babylonjs/core/Misc/observable";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { ExtractObjectStageAsync } from "../core/pipeline/extractStage";
import { DefaultPipelineConfig, type ExtractStageConfig } from "../core/pipeline/pipelineConfig";
import type { ObjectFieldData } from "../core/fusion/objectFieldTypes";
import type { RadianceFieldData } from "../core/nerf/radianceFieldData";
import { ReadRadianceFieldAsync, WriteRadianceFieldAsync } from "../core/nerf/radianceFieldFile";
import { NerfNode } from "../scene/nerfNode";
import { ExtractionService } from "../services/extractionService";
import { ExportMeshGlbAsync, ExportObjectGlbAsync, ImportGlbAsync, TriangleCount } from "../scene/glbExchange";
import type { ExtractedMesh } from "../core/extraction/objectExtraction";
import { NerfObjectNode } from "../scene/nerfObjectNode";
import { CreateObjectMesh } from "../scene/objectMeshBuilder";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode";
import { CaptureToBabylonDirection } from "../core/math/poseConversion";
import { SceneHandedness } from "../scene/captureCamera";
import { GaussianSplattingMesh } from "@babylonjs/core/Meshes/GaussianSplatting/gaussianSplattingMesh";
import { CopySplatMesh } from "../scene/splatObjectSplitter";
import { LoadSplatSceneAsync, SplatFileEndings } from "../scene/splatSceneLoader";
import { IsGltfSplatFile } from "../core/splats/gltfSplats";
import type { SplatRasterizer } from "../core/splats/splatRasterizer";
import { RenderSplatFileThumbnailAsync } from "./splatFileThumbnail";
import { ObjectSplatFiles, type SplatObjectFiles } from "../core/splats/splatObjectFiles";

/** Babylon's world up (+y) as a direction in the capture coordinates of a field node. */
function SceneUpInCapture(node: TransformNode): [number, number, number] {
    const local = Vector3.TransformNormal(Vector3.Up(), node.computeWorldMatrix(true).clone().invert()).normalize();
    return CaptureToBabylonDirection(local.asArray(), SceneHandedness(node.getScene()));
}

/** What the capture and the object show: the object alone, the capture without it, or both. */
export type ObjectViewMode = "object" | "without" | "both";

/** A splat object of the asset strip: its own Gaussian-splatting mesh and its files. */
export interface SplatAssetParts extends SplatObjectFiles {
    /** The object's splats as their own mesh (separated in place over the source, or imported). */
    readonly mesh: GaussianSplattingMesh;
    /** The splat mesh it was separated from (which no longer holds its splats), or null when imported. */
    readonly source: GaussianSplattingMesh | null;
}

/** An object in the asset strip: its field node or its splats and, once extracted, its mesh. */
export interface ObjectAsset {
    readonly id: number;
    readonly name: string;
    /** The object as a field node (null for an imported GLB and for splat objects). */
    readonly objectNode: NerfObjectNode | null;
    /** The object as splats (null for field and GLB assets). */
    readonly splat: SplatAssetParts | null;
    /** The fused object field it came from and its object id (null when imported). */
    readonly fused: { readonly objectField: ObjectFieldData; readonly objectId: number } | null;
    /** The extracted mesh, or null: a field object's is a disabled template (placing it makes copies); a splat object's lies over its splats. */
    mesh: Mesh | null;
    /** Extraction figures. */
    extraction: { triangles: number; collisionTriangles: number; seconds: number } | null;
    /** The extracted meshes (capture coordinates) and the capture's up they stand along, for export. */
    extracted: { readonly mesh: ExtractedMesh; readonly up: readonly [number, number, number] } | null;
    /** A small picture (data URL), or null. */
    thumbnail: string | null;
    /** Copies placed in the scene. */
    readonly placed: AbstractMesh[];
}

/**
 * The scene-object side of SANeRF-HQ: turns fused objects into NerfObjectNodes (the capture's
 * NerfNode can show itself without them), extracts meshes in a worker, exports GLB and object field
 * files, imports GLB and field files, and places assets on the surface under a point (drag and
 * drop). Nothing is removed from the scene when an operation fails.
 */
export class ObjectAssets {
    /** Fires when the asset list or an asset changes. */
    public readonly onChangedObservable = new Observable<ObjectAssets>();
    private readonly _scene: Scene;
    private readonly _assets: ObjectAsset[] = [];
    private readonly _extraction = new ExtractionService();
    /** Per source NerfNode: its full field and the object ids cut out of it. */
    private readonly _cuts = new Map<NerfNode, { full: RadianceFieldData; without: RadianceFieldData }>();
    private _nextId = 1;
    /** Renders imported splat files' thumbnails (the splat side's rasterizer; without it they have none). */
    public splatRasterizer: (() => Promise<SplatRasterizer>) | null = null;

    /** @param scene the scene assets live in */
    public constructor(scene: Scene) {
        this._scene = scene;
    }

    /** Every asset, in creation order. */
    public get assets(): readonly ObjectAsset[] {
        return this._assets;
    }

    /**
     * An asset by id.
     * @param id the asset's id
     * @returns the asset or undefined
     */
    public asset(id: number): ObjectAsset | undefined {
        return this._assets.find((asset) => asset.id === id);
    }

    /**
     * Makes a fused object a scene object: a NerfObjectNode in place (same transform as the node),
     * and the node showing the capture without it (view mode "both").
     * @param node the capture's NerfNode
     * @param objectField the object's fused field
     * @param objectId the object in it (1..K)
     * @param name the object's name
     * @param signal cancels
     * @returns the asset
     */
    public async createFromFusionAsync(node: NerfNode, objectField: ObjectFieldData, objectId: number, name: string, signal?: AbortSignal): Promise<ObjectAsset> {
        const full = this._cuts.get(node)?.full ?? node.field;
        if (!full) {
            throw new Error(`the NeRF node "${node.name}" has no field`);
        }
        const objectFieldData = await this._extraction.maskFieldAsync(full, objectField, objectId, "object", signal);
        const base = this._cuts.get(node)?.without ?? full;
        const without = await this._extraction.maskFieldAsync(base, objectField, objectId, "without", signal);
        const objectNode = new NerfObjectNode(name, this._scene, { ...objectFieldData, metadata: { ...objectFieldData.metadata, objectName: name } }, node);
        this._cuts.set(node, { full, without });
        const asset: ObjectAsset = { id: this._nextId++, name, objectNode, fused: { objectField, objectId }, splat: null, mesh: null, extraction: null, extracted: null, thumbnail: null, placed: [] };
        this._assets.push(asset);
        this.setViewMode(asset, "both");
        return asset;
    }

    /**
     * Shows the object alone, the capture without it, or both (the capture always without the
     * object then, so moving the object leaves no ghost).
     * @param asset the asset
     * @param mode the view mode
     */
    public setViewMode(asset: ObjectAsset, mode: ObjectViewMode): void {
        if (asset.splat) {
            // the source holds the scene without the object's splats already: hide one or the other
            asset.splat.mesh.setEnabled(mode !== "without");
            asset.splat.source?.setEnabled(mode !== "object");
            (asset.splat.mesh.metadata ??= {}).sanerfViewMode = mode;
            this._changed();
            return;
        }
        const node = asset.objectNode;
        const source = node?.sourceNode;
        const cut = source ? this._cuts.get(source) : undefined;
        if (!node || !source || !cut) {
            return;
        }
        node.isVisible = mode !== "without";
        source.isVisible = mode !== "object";
        source.setField(mode === "without" || mode === "both" ? cut.without : cut.full);
        (node.metadata ??= {}).sanerfViewMode = mode;
        this._changed();
    }

    /**
     * Extracts the asset's mesh in the worker with the pipeline's extract stage (render mesh with
     * vertex colours, collision child).
     * @param asset the asset
     * @param config resolution and budgets that differ from the pipeline's defaults (the workspace passes its configuration)
     * @param signal cancels
     * @returns the mesh (a disabled template, transformed like the object node)
     */
    public async extractMeshAsync(asset: ObjectAsset, config: Partial<ExtractStageConfig> = {}, signal?: AbortSignal): Promise<Mesh> {
        const settings = { ...DefaultPipelineConfig.extract, ...config };
        const node = asset.objectNode;
        const source = node?.sourceNode;
        const full = source ? this._cuts.get(source)?.full : undefined;
        if (!node?.field) {
            throw new Error(`"${asset.name}" has no field to extract from`);
        }
        // extraction masks the capture's field with the fused object field when it is known; an
        // imported object's field is already only the object (an all-object field masks nothing).
        // The object is cut off the surface it stands on, along the capture's up (the cameras' mean
        // up, kept in the field), or the scene's up seen from the capture for fields without one.
        const field = full ?? node.field;
        const up = field.metadata.up ?? SceneUpInCapture(source ?? node);
        const extracted = full && asset.fused ? await ExtractObjectStageAsync(this._extraction, full, asset.fused.objectField, asset.fused.objectId, settings, up, signal) : await ExtractObjectStageAsync(this._extraction, node.field, WholeField(node.field), 1, settings, up, signal);
        const mesh = CreateObjectMesh(`${asset.name} mesh`, this._scene, extracted);
        node.computeWorldMatrix(true);
        mesh.rotationQuaternion = node.absoluteRotationQuaternion.clone();
        const position = new Vector3();
        const scaling = new Vector3();
        node.getWorldMatrix().decompose(scaling, undefined, position);
        // the node turns about its pivot; the mesh's own origin is the capture's, as the node's
        mesh.position.copyFrom(position);
        mesh.scaling.copyFrom(scaling);
        mesh.setEnabled(false);
        asset.mesh?.dispose();
        asset.mesh = mesh;
        asset.extraction = { triangles: extracted.stats.triangles, collisionTriangles: extracted.stats.collisionTriangles, seconds: extracted.stats.seconds };
        asset.extracted = { mesh: extracted, up: [up[0], up[1], up[2]] };
        this._changed();
        return mesh;
    }

    /**
     * Places a copy of the asset (its mesh, else its field node) with its base on a world point.
     * @param asset the asset
     * @param point where (e.g. the surface under the cursor)
     * @returns the placed copy
     */
    public placeAt(asset: ObjectAsset, point: Vector3): AbstractMesh {
        // a splat object is placed as splats (its mesh, when made, leaves as GLB)
        const template = asset.splat?.mesh ?? asset.mesh ?? asset.objectNode;
        if (!template) {
            throw new Error(`"${asset.name}" has nothing to place`);
        }
        let copy: AbstractMesh;
        if (template instanceof GaussianSplattingMesh) {
            copy = CopySplatMesh(template, `${asset.name} ${asset.placed.length + 1}`);
        } else if (template instanceof NerfObjectNode) {
            copy = new NerfObjectNode(`${asset.name} ${asset.placed.length + 1}`, this._scene, template.field!, null);
            copy.rotationQuaternion = template.absoluteRotationQuaternion.clone();
            copy.scaling.copyFrom(template.absoluteScaling);
        } else {
            copy = template.clone(`${asset.name} ${asset.placed.length + 1}`, null)!;
            copy.setEnabled(true);
        }
        copy.computeWorldMatrix(true);
        const box = copy.getHierarchyBoundingVectors(true);
        const offset = new Vector3(point.x - (box.min.x + box.max.x) / 2, point.y - box.min.y, point.z - (box.min.z + box.max.z) / 2);
        copy.position.addInPlace(offset);
        copy.computeWorldMatrix(true);
        asset.placed.push(copy);
        this._changed();
        return copy;
    }

    /**
     * The asset's mesh as a GLB: an extracted object as ExportObjectGlbAsync writes it (unlit
     * vertex colours, upright: the capture's up is glTF's +Y), a mesh imported from a GLB as it is.
     * @param asset the asset (extracted)
     * @returns the file
     */
    public async exportGlbAsync(asset: ObjectAsset): Promise<Blob> {
        if (asset.extracted) {
            return ExportObjectGlbAsync(asset.name, asset.extracted.mesh, asset.extracted.up);
        }
        if (!asset.mesh) {
            throw new Error(`"${asset.name}" has no mesh yet: extract it first`);
        }
        asset.mesh.setEnabled(true);
        try {
            return await ExportMeshGlbAsync(asset.mesh);
        } finally {
            asset.mesh.setEnabled(false);
        }
    }

    /**
     * The asset's own field file (re-imports as a NerfObjectNode).
     * @param asset the asset
     * @returns the .snrf bytes
     */
    public async saveFieldAsync(asset: ObjectAsset): Promise<Uint8Array> {
        const field = asset.objectNode?.field;
        if (!field) {
            throw new Error(`"${asset.name}" has no field`);
        }
        return WriteRadianceFieldAsync({ ...field, metadata: { ...field.metadata, objectName: asset.name } });
    }

    /**
     * Imports files dropped or picked: .glb as mesh assets, splat files (.ply, .splat, .spz, .sog, and
     * .glb/.gltf with KHR_gaussian_splatting) as
     * splat objects (Babylon's loader's placement), field files (.snrf / .bin) as object (or
     * capture) field nodes. Each bad file is reported; the others still load.
     * @param files the files
     * @returns the new assets and the messages of files that failed
     */
    public async importFilesAsync(files: readonly File[]): Promise<{ assets: ObjectAsset[]; errors: string[] }> {
        const assets: ObjectAsset[] = [];
        const errors: string[] = [];
        const thumbnails: ((rasterizer: SplatRasterizer) => Promise<void>)[] = [];
        for (const file of files) {
            try {
                const bytes = SplatFileEndings.test(file.name) ? new Uint8Array(await file.arrayBuffer()) : null;
                if (bytes && (!/\.(glb|gltf)$/i.test(file.name) || IsGltfSplatFile(bytes, file.name))) {
                    const loaded = await LoadSplatSceneAsync(this._scene, bytes, file.name);
                    const files = ObjectSplatFiles(loaded.file, new Uint8Array(loaded.file.cloud.count).fill(1), loaded.mesh.name);
                    const asset = this.addSplatObject(loaded.mesh.name, { mesh: loaded.mesh, source: null, ...files }, [loaded.mesh]);
                    assets.push(asset);
                    thumbnails.push(async (rasterizer) => this.setThumbnail(asset, await RenderSplatFileThumbnailAsync(loaded.file.cloud, loaded.mesh, rasterizer)));
                } else if (/\.glb$/i.test(file.name)) {
                    const { root, meshes } = await ImportGlbAsync(this._scene, file, file.name);
                    const asset: ObjectAsset = { id: this._nextId++, name: root.name, objectNode: null, fused: null, splat: null, mesh: null, extraction: { triangles: TriangleCount(meshes), collisionTriangles: 0, seconds: 0 }, extracted: null, thumbnail: null, placed: [root] };
                    this._assets.push(asset);
                    assets.push(asset);
                } else {
                    const field = await ReadRadianceFieldAsync(await file.arrayBuffer(), file.name);
                    const name = field.metadata.objectName ?? file.name.replace(/\.[^.]+$/, "");
                    const node = field.metadata.objectName ? new NerfObjectNode(name, this._scene, field) : new NerfNode(name, this._scene, field);
                    const asset: ObjectAsset = { id: this._nextId++, name, objectNode: node instanceof NerfObjectNode ? node : null, fused: null, splat: null, mesh: null, extraction: null, extracted: null, thumbnail: null, placed: [node] };
                    this._assets.push(asset);
                    assets.push(asset);
                }
            } catch (error) {
                errors.push((error as Error).message);
            }
        }
        this._changed();
        if (this.splatRasterizer && thumbnails.length > 0) {
            const rasterizer = await this.splatRasterizer();
            for (const draw of thumbnails) {
                // a failed thumbnail leaves the asset without one
                await draw(rasterizer).catch(() => undefined);
            }
        }
        return { assets, errors };
    }

    /**
     * Lists a splat object in the strip (an object separated from a splat mesh, or a splat file).
     * @param name the object's name
     * @param splat its mesh, source and exports
     * @param placed meshes of it already placed in the scene (an imported file's own mesh)
     * @returns the asset
     */
    public addSplatObject(name: string, splat: SplatAssetParts, placed: AbstractMesh[] = []): ObjectAsset {
        const asset: ObjectAsset = { id: this._nextId++, name, objectNode: null, fused: null, splat, mesh: null, extraction: null, extracted: null, thumbnail: null, placed };
        this._assets.push(asset);
        this._changed();
        return asset;
    }

    /**
     * Gives an asset its extracted mesh (e.g. a splat object's, made in the splat pane).
     * @param asset the asset
     * @param mesh the mesh in the scene
     * @param extracted what the extraction stage returned
     * @param up the capture's (or file's) up the mesh stands along, for GLB export
     */
    public setExtracted(asset: ObjectAsset, mesh: Mesh, extracted: ExtractedMesh, up: readonly [number, number, number]): void {
        asset.mesh = mesh;
        asset.extraction = { triangles: extracted.stats.triangles, collisionTriangles: extracted.stats.collisionTriangles, seconds: extracted.stats.seconds };
        asset.extracted = { mesh: extracted, up: [up[0], up[1], up[2]] };
        this._changed();
    }

    /**
     * Sets an asset's thumbnail.
     * @param asset the asset
     * @param thumbnail a data URL, or null
     */
    public setThumbnail(asset: ObjectAsset, thumbnail: string | null): void {
        asset.thumbnail = thumbnail;
        this._changed();
    }

    /**
     * Takes an asset off the strip (its placed copies stay in the scene; its own nodes are the
     * caller's to dispose, e.g. an undone splat separation's).
     * @param asset the asset
     */
    public remove(asset: ObjectAsset): void {
        const index = this._assets.indexOf(asset);
        if (index >= 0) {
            this._assets.splice(index, 1);
            this._changed();
        }
    }

    /** Stops the worker (the scene objects stay). */
    public dispose(): void {
        this._extraction.dispose();
        this.onChangedObservable.clear();
    }

    private _changed(): void {
        this.onChangedObservable.notifyObservers(this);
    }
}

/** An object field saying "everything is the object" over a field's box (for fields that already hold one object). */
function WholeField(field: RadianceFieldData): ObjectFieldData {
    const p = field.params;
    return { grid: { boundsMin: p.boundsMin, boundsMax: p.boundsMax, gridSize: [2, 2, 2], contracted: p.contracted, channels: 1, mode: "sigmoid" }, logits: new Float32Array(8).fill(20), objects: [{ id: 1, name: field.metadata.objectName ?? "object" }], metadata: { iterations: 0, rayPair: false } };
}

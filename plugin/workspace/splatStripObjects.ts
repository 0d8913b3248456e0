import type { Mesh } from "@babylonjs/core/Meshes/mesh";
import type { ExtractedMesh } from "../core/extraction/extractedMesh";
import type { SplatSceneView } from "../core/pipeline/splatStage";
import type { FrameMask } from "../core/segmentation/maskSet";
import { SelectSplats } from "../core/splats/splatCloud";
import { ObjectSplatFiles } from "../core/splats/splatObjectFiles";
import type { SplatFile } from "../core/splats/splatFile";
import type { SplatRasterizer } from "../core/splats/splatRasterizer";
import type { SplatObjectSplit } from "../scene/splatObjectSplitter";
import type { ObjectAsset, ObjectAssets } from "./objectAssets";
import { RenderedObjectThumbnail } from "./objectThumbnail";

/** One separated object, as the splat pane knows it. */
export interface SplatStripObject {
    /** Its label in the segmentation (1..K). */
    readonly label: number;
    readonly name: string;
    /** Its masks on the views (the thumbnail is rendered from the view where it is largest), or null. */
    readonly masks: readonly FrameMask[] | null;
}

/**
 * The separated objects of a splat scene in the workspace's asset strip: each object's own splat
 * mesh listed as a splat asset (placed again as splats by drag and drop, shown alone or the scene
 * without it, exported as .ply / .spz, and as .glb once its mesh is made), with a thumbnail of
 * its splats rendered alone. A new separation or its undo takes the previous entries off the strip
 * (copies already placed in the scene stay).
 */
export class SplatStripObjects {
    private readonly _assets: ObjectAssets;
    private _entries = new Map<number, ObjectAsset>();
    /** Bumped by every list and clear: thumbnails of an older listing are not drawn. */
    private _generation = 0;

    /** @param assets the workspace's asset strip */
    public constructor(assets: ObjectAssets) {
        this._assets = assets;
    }

    /**
     * Lists a separation's objects (replacing the previous separation's entries) and renders their
     * thumbnails.
     * @param split the separation
     * @param file the splat file its labels index
     * @param labels one label per splat of the file
     * @param objects the separated objects' names and masks
     * @param views the views the masks are on (thumbnails are rendered from them)
     * @param rasterizer renders the thumbnails (resolved after listing)
     * @returns when the thumbnails are drawn (a failed thumbnail leaves the asset without one)
     */
    public async listAsync(split: SplatObjectSplit, file: SplatFile, labels: Uint8Array, objects: readonly SplatStripObject[], views: readonly SplatSceneView[], rasterizer: () => Promise<SplatRasterizer>): Promise<void> {
        this.clear();
        const generation = this._generation;
        const listed: { asset: ObjectAsset; keep: Uint8Array; view: SplatSceneView | undefined }[] = [];
        for (const object of objects) {
            const part = split.part(object.label);
            if (!part) {
                continue;
            }
            const keep = labels.map((label) => (label === object.label ? 1 : 0));
            const asset = this._assets.addSplatObject(object.name, { mesh: part.mesh, source: split.source, ...ObjectSplatFiles(file, keep, object.name) });
            this._entries.set(object.label, asset);
            listed.push({ asset, keep, view: views[LargestMaskView(object.masks)] });
        }
        for (const { asset, keep, view } of listed) {
            if (generation !== this._generation) {
                return;
            }
            if (!view) {
                continue;
            }
            try {
                const render = await (await rasterizer()).renderAsync(SelectSplats(file.cloud, keep, asset.name), view);
                this._assets.setThumbnail(asset, RenderedObjectThumbnail(render));
            } catch {
                // no thumbnail: the asset stays usable
            }
        }
    }

    /**
     * Records an object's extracted mesh on its asset (GLB export from the strip).
     * @param label the object's label
     * @param mesh the mesh in the scene
     * @param extracted the extraction stage's result
     * @param up the file's up the mesh stands along
     */
    public setMesh(label: number, mesh: Mesh, extracted: ExtractedMesh, up: readonly [number, number, number]): void {
        const asset = this._entries.get(label);
        if (asset) {
            this._assets.setExtracted(asset, mesh, extracted, up);
        }
    }

    /** Takes the current separation's objects off the strip. */
    public clear(): void {
        for (const asset of this._entries.values()) {
            this._assets.remove(asset);
        }
        this._entries = new Map();
        this._generation++;
    }
}

/**
 * The view where an object's mask is largest.
 * @param masks one mask per view, or null
 * @returns its index (0 without masks)
 */
function LargestMaskView(masks: readonly FrameMask[] | null): number {
    let best = 0;
    let bestCount = 0;
    masks?.forEach((mask, index) => {
        const count = mask.valid && mask.mask ? mask.mask.reduce((n, v) => n + (v ? 1 : 0), 0) : 0;
        if (count > bestCount) {
            best = index;
            bestCount = count;
        }
    });
    return best;
}

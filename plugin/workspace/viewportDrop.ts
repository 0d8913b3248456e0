import type { Scene } from "@babylonjs/core/scene";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import type { AbstractMesh } from "@babylonjs/core/Meshes/abstractMesh";
import type { ObjectAssets } from "./objectAssets";

/** The drag-and-drop data type of an asset dragged from the asset strip (its id). */
export const AssetDragType = "application/x-sanerf-asset";

/**
 * The world point under a canvas position: the first pickable surface (NerfNodes pick their
 * field's first surface), else the ground plane y = 0, else a point 3 units in front of the camera.
 * @param scene the scene
 * @param x canvas x (CSS pixels)
 * @param y canvas y (CSS pixels)
 * @param ignore meshes not to land on
 * @returns the point
 */
export function SurfacePointAt(scene: Scene, x: number, y: number, ignore: readonly AbstractMesh[] = []): Vector3 {
    // canvas CSS pixels, as Babylon's pointer positions are: picking applies the hardware scaling
    // (adaptToDeviceRatio on a high-DPI screen) itself
    const pick = scene.pick(x, y, (mesh) => mesh.isPickable && mesh.isVisible && mesh.isEnabled() && !ignore.includes(mesh));
    if (pick?.hit && pick.pickedPoint) {
        return pick.pickedPoint;
    }
    const ray = scene.createPickingRay(x, y, null, scene.activeCamera);
    if (Math.abs(ray.direction.y) > 1e-6) {
        const t = -ray.origin.y / ray.direction.y;
        if (t > 0) {
            return ray.origin.add(ray.direction.scale(t));
        }
    }
    return ray.origin.add(ray.direction.scale(3));
}

/**
 * Lets the viewport take drops: an asset from the strip is placed on the surface under the cursor;
 * .glb and field files from the desktop are imported (and placed there).
 * @param scene the scene (its rendering canvas takes the drops)
 * @param assets the asset library
 * @param onResult called with what happened (placed / imported names, or errors)
 * @returns a function that removes the listeners
 */
export function InstallViewportDrop(scene: Scene, assets: ObjectAssets, onResult: (result: { placed?: string; imported?: string[]; errors?: string[] }) => void): () => void {
    const canvas = scene.getEngine().getRenderingCanvas();
    if (!canvas) {
        return () => undefined;
    }
    const over = (event: DragEvent): void => {
        if (event.dataTransfer && ([...event.dataTransfer.types].includes(AssetDragType) || [...event.dataTransfer.types].includes("Files"))) {
            event.preventDefault();
            event.dataTransfer.dropEffect = "copy";
        }
    };
    const drop = (event: DragEvent): void => {
        const data = event.dataTransfer;
        if (!data) {
            return;
        }
        event.preventDefault();
        const rect = canvas.getBoundingClientRect();
        const x = event.clientX - rect.left;
        const y = event.clientY - rect.top;
        const id = Number(data.getData(AssetDragType));
        if (id) {
            const asset = assets.asset(id);
            if (asset) {
                try {
                    const copy = assets.placeAt(asset, SurfacePointAt(scene, x, y));
                    onResult({ placed: copy.name });
                } catch (error) {
                    onResult({ errors: [(error as Error).message] });
                }
            }
            return;
        }
        const files = [...data.files];
        if (files.length > 0) {
            const point = SurfacePointAt(scene, x, y);
            void assets.importFilesAsync(files).then(({ assets: added, errors }) => {
                for (const asset of added) {
                    for (const node of asset.placed) {
                        node.computeWorldMatrix(true);
                        const box = node.getHierarchyBoundingVectors(true);
                        node.position.addInPlace(new Vector3(point.x - (box.min.x + box.max.x) / 2, point.y - box.min.y, point.z - (box.min.z + box.max.z) / 2));
                    }
                }
                onResult({ imported: added.map((asset) => asset.name), errors });
            });
        }
    };
    canvas.addEventListener("dragover", over);
    canvas.addEventListener("drop", drop);
    return () => {
        canvas.removeEventListener("dragover", over);
        canvas.removeEventListener("drop", drop);
    };
}

import type { Scene } from "@babylonjs/core/scene";
import { GaussianSplattingMesh } from "@babylonjs/core/Meshes/GaussianSplatting/gaussianSplattingMesh";
import { LoadAssetContainerAsync } from "@babylonjs/core/Loading/sceneLoader";
import { RegisterSPLATFileLoader } from "@babylonjs/loaders/SPLAT/splatFileLoader.pure";
import { ReadSplatFileAsync } from "../core/splats/splatFile";
import type { SplatFile } from "../core/splats/splatFile";
import { SplatFileError } from "../core/splats/splatFileError";

/**
 * How a splat file's axes sit in the scene: "loader" keeps Babylon's loader's placement (3DGS
 * files are y-down, as COLMAP's world: the loader mirrors y); "y-up" reads the file as right-handed
 * y-up coordinates, like the plugin's captures and NerfNodes (z mirrored in left-handed scenes), so a
 * splat file in a capture's coordinates lines up with the capture's NerfNode and cameras.
 */
export type SplatFileAxes = "loader" | "y-up";

/**
 * Places a splat mesh's file coordinates in its parent's space as `axes` says.
 * @param mesh the splat mesh, as Babylon's loader left it (for "loader") or any
 * @param axes the file's axes
 */
export function ApplySplatFileAxes(mesh: GaussianSplattingMesh, axes: SplatFileAxes): void {
    if (axes === "y-up") {
        mesh.rotationQuaternion = null;
        mesh.rotation.setAll(0);
        mesh.scaling.set(1, 1, mesh.getScene().useRightHandedSystem ? 1 : -1);
    }
    mesh.computeWorldMatrix(true);
}

/** A splat file in a scene: Babylon's mesh and the splats read for segmentation (same order). */
export interface LoadedSplatScene {
    readonly mesh: GaussianSplattingMesh;
    readonly file: SplatFile;
}

/**
 * Reads a splat file for segmentation, with Babylon's converter for compressed PLY files.
 * @param bytes the file
 * @param name its name
 * @returns the splats
 */
export async function ReadSplatFileWithBabylonAsync(bytes: Uint8Array, name: string): Promise<SplatFile> {
    return await ReadSplatFileAsync(bytes, name, async (data) => await GaussianSplattingMesh.ConvertPLYToSplatAsync(data));
}

/**
 * Loads a Gaussian-splat file (.ply, .splat, .spz) into a scene through Babylon's own SPLAT loader,
 * after reading it for segmentation (which checks it and names what is wrong). SPZ uses the
 * loader's built-in decoder: nothing is downloaded (the loader's default fetches a WASM decoder
 * from a CDN; it is switched off).
 * @param scene the scene
 * @param bytes the file's bytes
 * @param name the file's name (its extension picks the format for `.splat`)
 * @param axes how the file's axes sit in the scene (default: as Babylon's loader places them)
 * @returns the mesh, added to the scene, and the splats
 * @throws SplatFileError naming the file when it cannot be read
 */
export async function LoadSplatSceneAsync(scene: Scene, bytes: Uint8Array, name: string, axes: SplatFileAxes = "loader"): Promise<LoadedSplatScene> {
    const file = await ReadSplatFileWithBabylonAsync(bytes, name);
    RegisterSPLATFileLoader();
    let container;
    try {
        container = await LoadAssetContainerAsync(new File([bytes as Uint8Array<ArrayBuffer>], name), scene, {
            pluginExtension: `.${file.format}`,
            name,
            pluginOptions: { splat: { keepInRam: true, spzLibraryUrl: undefined } },
        });
    } catch (error) {
        throw new SplatFileError(name, `Babylon's splat loader could not read it (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    }
    const mesh = container.meshes.find((m): m is GaussianSplattingMesh => m instanceof GaussianSplattingMesh);
    if (!mesh) {
        container.dispose();
        throw new SplatFileError(name, "Babylon's splat loader made no Gaussian-splatting mesh from it");
    }
    const loaded = (mesh.splatsData?.byteLength ?? 0) / 32;
    if (loaded !== file.cloud.count) {
        container.dispose();
        throw new SplatFileError(name, `Babylon's loader read ${loaded} splats, the file holds ${file.cloud.count}`);
    }
    mesh.name = name.replace(/\.(ply|splat|spz)$/i, "");
    ApplySplatFileAxes(mesh, axes);
    container.addAllToScene();
    return { mesh, file };
}

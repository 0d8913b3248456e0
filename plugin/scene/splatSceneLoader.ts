import type { Scene } from "@babylonjs/core/scene";
import { GaussianSplattingMesh } from "@babylonjs/core/Meshes/GaussianSplatting/gaussianSplattingMesh";
import { LoadAssetContainerAsync } from "@babylonjs/core/Loading/sceneLoader";
import { RegisterSPLATFileLoader } from "@babylonjs/loaders/SPLAT/splatFileLoader.pure";
import "@babylonjs/loaders/glTF/2.0/glTFLoader";
import "@babylonjs/loaders/glTF/2.0/Extensions/KHR_gaussian_splatting";
import type { AbstractMesh } from "@babylonjs/core/Meshes/abstractMesh";
import type { AssetContainer } from "@babylonjs/core/assetContainer";
import { ReadSplatFileAsync } from "../core/splats/splatFile";
import type { SplatFile } from "../core/splats/splatFile";
import { SplatFileError } from "../core/splats/splatFileError";
import { DecodeSogWithBabylonAsync, SogUnzip } from "./sogSplats";

/** File name endings of the splat formats the plugin opens. */
export const SplatFileEndings = /\.(ply|splat|spz|sog|glb|gltf)$/i;

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
 * Reads a splat file for segmentation, with Babylon's converter for compressed PLY files and its
 * parser for SOG bundles.
 * @param bytes the file
 * @param name its name
 * @returns the splats
 */
export async function ReadSplatFileWithBabylonAsync(bytes: Uint8Array, name: string): Promise<SplatFile> {
    return await ReadSplatFileAsync(bytes, name, {
        compressedPly: async (data) => await GaussianSplattingMesh.ConvertPLYToSplatAsync(data),
        sog: async (data) => await DecodeSogWithBabylonAsync(data, name),
    });
}

/**
 * Loads a Gaussian-splat file (.ply, .splat, .spz, .sog, or a .glb/.gltf with KHR_gaussian_splatting)
 * into a scene through Babylon's own loaders (SPLAT; glTF for glTF), after reading it for
 * segmentation (which checks it and names what is wrong). The mesh keeps its splats in memory
 * (separation needs them). Nothing is downloaded: SPZ uses the loader's built-in decoder and SOG
 * the bundled fflate (the loader's defaults fetch both from a CDN). A glTF's splat mesh leaves its
 * node hierarchy with its world placement; the file's other nodes are not added.
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
    const glb = file.format === "gltf" && bytes[0] === 0x67 && bytes[1] === 0x6c && bytes[2] === 0x54 && bytes[3] === 0x46;
    try {
        container = await LoadAssetContainerAsync(new File([bytes as Uint8Array<ArrayBuffer>], name), scene, {
            pluginExtension: file.format === "gltf" ? (glb ? ".glb" : ".gltf") : `.${file.format}`,
            name,
            pluginOptions: {
                splat: { keepInRam: true, spzLibraryUrl: undefined, fflate: SogUnzip, useSogTextures: false },
                // Babylon's KHR_gaussian_splatting extension makes its mesh without keepInRam (no public switch);
                // the mesh is announced before its data is uploaded, so it is told to keep the rows here
                gltf: { onMeshLoaded: (loadedMesh: AbstractMesh) => KeepSplatsInRam(loadedMesh) },
            },
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
    KeepOnlySplatMesh(container, mesh);
    mesh.name = name.replace(SplatFileEndings, "");
    ApplySplatFileAxes(mesh, axes);
    container.addAllToScene();
    return { mesh, file };
}

function KeepSplatsInRam(mesh: AbstractMesh): void {
    if (mesh instanceof GaussianSplattingMesh) {
        (mesh as unknown as { _keepInRam: boolean })._keepInRam = true;
    }
}

/** Takes the splat mesh out of a glTF's node hierarchy (keeping its world placement) and drops the container's other nodes. */
function KeepOnlySplatMesh(container: AssetContainer, mesh: GaussianSplattingMesh): void {
    if (!mesh.parent) {
        return;
    }
    mesh.computeWorldMatrix(true);
    mesh.setParent(null);
    for (const other of [...container.meshes.filter((m) => m !== mesh), ...container.transformNodes]) {
        other.dispose();
    }
    container.meshes = [mesh];
    container.transformNodes = [];
}

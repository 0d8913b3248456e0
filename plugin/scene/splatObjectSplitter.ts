import type { Scene } from "@babylonjs/core/scene";
import { GaussianSplattingMesh } from "@babylonjs/core/Meshes/GaussianSplatting/gaussianSplattingMesh";
import { Quaternion, Vector3 } from "@babylonjs/core/Maths/math.vector";
import { SplatRowBytes } from "../core/splats/splatCloud";

/** Bytes per splat in each of Babylon's SH arrays (one RGBA32UI texel). */
const ShBytesPerSplat = 16;

/** What an object mesh carries in its metadata (saved with the scene by Babylon's serializer). */
export interface SplatObjectMetadata {
    /** The label of the object in the segmentation (1..K). */
    readonly label: number;
    /** The name of the mesh it was separated from. */
    readonly sourceName: string;
    /** Base64 of a little-endian Uint32Array: the source splat of each of the object's rows. */
    readonly sourceIndices: string;
}

/** Key of {@link SplatObjectMetadata} in an object mesh's `metadata`. */
export const SplatObjectMetadataKey = "sanerfSplatObject";

/** One object separated from a splat mesh. */
export interface SplatObjectPart {
    /** The object's label (1..K). */
    readonly label: number;
    /** Its own Gaussian-splatting mesh, in place over the source, pickable, rows kept in RAM. */
    readonly mesh: GaussianSplattingMesh;
    /** Which source splat each of the mesh's rows came from (ascending). */
    readonly sourceIndices: Uint32Array;
}

/** Options of {@link SplatObjectSplit.Separate}. */
export interface SplatSeparateOptions {
    /** Name of object k's mesh (default "<source> object k"). */
    readonly nameOf?: (label: number) => string;
}

/**
 * Objects separated from a Gaussian-splatting mesh by per-splat labels: each object gets its own
 * mesh holding exactly its rows (in the source's order, with the source's parent and transform so
 * it appears in place), and the source keeps only the remaining rows, so nothing is drawn twice.
 * {@link undo} puts the source's original rows back (byte for byte) and disposes the objects.
 */
export class SplatObjectSplit {
    /** The mesh the objects were separated from. */
    public readonly source: GaussianSplattingMesh;
    /** The separated objects, by ascending label (labels without splats make no part). */
    public readonly parts: readonly SplatObjectPart[];
    /** Which source splats the source mesh still holds (ascending). */
    public readonly remainingIndices: Uint32Array;
    private readonly _originalRows: ArrayBuffer;
    private readonly _originalSh: Uint8Array[] | null;
    private readonly _shDegree: number;
    private readonly _wasEnabled: boolean;
    private _undone = false;

    private constructor(source: GaussianSplattingMesh, parts: SplatObjectPart[], remaining: Uint32Array, rows: ArrayBuffer, sh: Uint8Array[] | null, shDegree: number, wasEnabled: boolean) {
        this.source = source;
        this.parts = parts;
        this.remainingIndices = remaining;
        this._originalRows = rows;
        this._originalSh = sh;
        this._shDegree = shDegree;
        this._wasEnabled = wasEnabled;
    }

    /**
     * Separates the labelled splats of a mesh into one mesh per object.
     * @param source the mesh, loaded with keepInRam (its `splatsData` holds the rows)
     * @param labels one label per splat: 0 = stays in the source, k = object k
     * @param options names of the object meshes
     * @returns the split, to undo
     * @throws Error when the source keeps no rows in RAM, the labels do not match its splats, or no splat is labelled
     */
    public static Separate(source: GaussianSplattingMesh, labels: Uint8Array, options: SplatSeparateOptions = {}): SplatObjectSplit {
        const data = source.splatsData;
        if (!data) {
            throw new Error(`${source.name}: its splats are not kept in memory (load it with keepInRam) and cannot be separated`);
        }
        const count = data.byteLength / SplatRowBytes;
        if (labels.length !== count) {
            throw new Error(`${source.name}: ${labels.length} labels for ${count} splats (labels from another file or an earlier separation?)`);
        }
        const byLabel = new Map<number, number[]>();
        const remaining: number[] = [];
        labels.forEach((label, i) => (label === 0 ? remaining.push(i) : byLabel.has(label) ? byLabel.get(label)!.push(i) : byLabel.set(label, [i])));
        if (byLabel.size === 0) {
            throw new Error(`${source.name}: no splat carries an object's label, nothing to separate`);
        }
        const rows = data.slice(0);
        const sh = source.shData?.map((array) => array.slice()) ?? null;
        const shDegree = source.maxShDegree;
        const wasEnabled = source.isEnabled(false);
        const parts = [...byLabel.keys()]
            .sort((a, b) => a - b)
            .map((label) => {
                const indices = Uint32Array.from(byLabel.get(label)!);
                const name = options.nameOf?.(label) ?? `${source.name} object ${label}`;
                return { label, mesh: CreateSplatMesh(source, name, rows, sh, shDegree, indices, label), sourceIndices: indices };
            });
        const rest = Uint32Array.from(remaining);
        if (rest.length > 0) {
            const selected = SelectRows(rows, sh, rest);
            source.updateData(selected.rows, selected.sh, { flipY: false }, undefined, shDegree);
        } else {
            // a mesh of zero splats is not drawable: hide the source instead
            source.setEnabled(false);
        }
        return new SplatObjectSplit(source, parts, rest, rows, sh, shDegree, wasEnabled);
    }

    /** Whether {@link undo} was called. */
    public get undone(): boolean {
        return this._undone;
    }

    /** The source's rows before the separation (count * 32 bytes, a copy). */
    public get originalRows(): ArrayBuffer {
        return this._originalRows;
    }

    /**
     * The part of an object.
     * @param label the object's label
     * @returns the part, or undefined when no splat carried that label
     */
    public part(label: number): SplatObjectPart | undefined {
        return this.parts.find((part) => part.label === label);
    }

    /** Puts the source's original rows back and disposes the object meshes (a second call does nothing). */
    public undo(): void {
        if (this._undone) {
            return;
        }
        this._undone = true;
        for (const part of this.parts) {
            part.mesh.dispose();
        }
        if (!this.source.isDisposed()) {
            this.source.updateData(this._originalRows.slice(0), this._originalSh?.map((array) => array.slice()), { flipY: false }, undefined, this._shDegree);
            this.source.setEnabled(this._wasEnabled);
        }
    }
}

/** The rows (and SH texels) of the given splats, in order. */
function SelectRows(rows: ArrayBuffer, sh: readonly Uint8Array[] | null, indices: Uint32Array): { rows: ArrayBuffer; sh: Uint8Array[] | undefined } {
    const source = new Uint8Array(rows);
    const selected = new Uint8Array(indices.length * SplatRowBytes);
    indices.forEach((index, row) => selected.set(source.subarray(index * SplatRowBytes, (index + 1) * SplatRowBytes), row * SplatRowBytes));
    const selectedSh = sh?.map((array) => {
        const out = new Uint8Array(indices.length * ShBytesPerSplat);
        indices.forEach((index, row) => out.set(array.subarray(index * ShBytesPerSplat, (index + 1) * ShBytesPerSplat), row * ShBytesPerSplat));
        return out;
    });
    return { rows: selected.buffer, sh: selectedSh };
}

/**
 * A copy of a Gaussian-splatting mesh's splats as a new mesh (rows and SH copied, so the two are
 * independent), with the source's world transform and no parent: what placing a splat object again
 * makes.
 * @param source the mesh, its rows kept in RAM
 * @param name the copy's name
 * @returns the copy, pickable, in the source's scene
 * @throws Error when the source keeps no rows in RAM
 */
export function CopySplatMesh(source: GaussianSplattingMesh, name: string): GaussianSplattingMesh {
    const data = source.splatsData;
    if (!data) {
        throw new Error(`${source.name}: its splats are not kept in memory (load it with keepInRam) and cannot be copied`);
    }
    const copy = new GaussianSplattingMesh(name, null, source.getScene(), true);
    copy.updateData(data.slice(0), source.shData?.map((array) => array.slice()), { flipY: false }, undefined, source.maxShDegree);
    source.computeWorldMatrix(true);
    const scaling = new Vector3();
    const rotation = new Quaternion();
    const position = new Vector3();
    source.getWorldMatrix().decompose(scaling, rotation, position);
    copy.scaling.copyFrom(scaling);
    copy.rotationQuaternion = rotation;
    copy.position.copyFrom(position);
    copy.isPickable = true;
    copy.computeWorldMatrix(true);
    return copy;
}

/** A mesh of some of the source's splats, in place over it. */
function CreateSplatMesh(source: GaussianSplattingMesh, name: string, rows: ArrayBuffer, sh: readonly Uint8Array[] | null, shDegree: number, indices: Uint32Array, label: number): GaussianSplattingMesh {
    const scene: Scene = source.getScene();
    const mesh = new GaussianSplattingMesh(name, null, scene, true);
    const selected = SelectRows(rows, sh, indices);
    mesh.updateData(selected.rows, selected.sh, { flipY: false }, undefined, shDegree);
    mesh.parent = source.parent;
    mesh.position.copyFrom(source.position);
    mesh.rotation.copyFrom(source.rotation);
    mesh.rotationQuaternion = source.rotationQuaternion?.clone() ?? null;
    mesh.scaling.copyFrom(source.scaling);
    mesh.isPickable = true;
    const metadata: SplatObjectMetadata = { label, sourceName: source.name, sourceIndices: IndicesToBase64(indices) };
    mesh.metadata = { ...(mesh.metadata as object | null), [SplatObjectMetadataKey]: metadata };
    return mesh;
}

/**
 * The source indices saved in an object mesh's metadata (survives a scene save and load).
 * @param mesh an object mesh made by {@link SplatObjectSplit.Separate}
 * @returns the source splat of each row, or null when the mesh is not a separated object
 */
export function SplatObjectSourceIndices(mesh: GaussianSplattingMesh): Uint32Array | null {
    const metadata = (mesh.metadata as Record<string, SplatObjectMetadata | undefined> | null)?.[SplatObjectMetadataKey];
    if (!metadata) {
        return null;
    }
    const binary = atob(metadata.sourceIndices);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) {
        bytes[i] = binary.charCodeAt(i);
    }
    return new Uint32Array(bytes.buffer);
}

/** Base64 of the indices' bytes (little-endian, as the platform's typed arrays are). */
function IndicesToBase64(indices: Uint32Array): string {
    const bytes = new Uint8Array(indices.buffer, indices.byteOffset, indices.byteLength);
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) {
        binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    }
    return btoa(binary);
}

import type { Scene } from "@babylonjs/core/scene";
import { SceneSerializer } from "@babylonjs/core/Misc/sceneSerializer";
// StandardMaterial.Parse (image processing) needs ColorCurves; without it Babylon drops the whole
// load silently, NerfNodes included.
import "@babylonjs/core/Materials/colorCurves";
import { AddParser } from "@babylonjs/core/Loading/Plugins/babylonFileParser.function";
import { Quaternion, Vector3 } from "@babylonjs/core/Maths/math.vector";
import { Observable } from "@babylonjs/core/Misc/observable";
import type { Node } from "@babylonjs/core/node";
import { ReadRadianceFieldAsync, WriteRadianceFieldAsync } from "../core/nerf/radianceFieldFile";
import { NerfNode } from "./nerfNode";

/** Key of the NeRF nodes' section in a serialized .babylon scene. */
export const NerfNodesSceneKey = "sanerfNerfNodes";

/** One NerfNode as saved in a scene. */
export interface SerializedNerfNode {
    /** "NerfNode", or "NerfObjectNode" for a fused object cut from a capture. */
    readonly kind?: string;
    readonly name: string;
    readonly id: string;
    readonly uniqueId: number;
    readonly parentId?: string;
    readonly childIds: readonly string[];
    readonly position: number[];
    readonly rotationQuaternion?: number[];
    readonly rotation: number[];
    readonly scaling: number[];
    readonly isVisible: boolean;
    readonly isPickable: boolean;
    readonly enabled: boolean;
    readonly showBounds: boolean;
    readonly surfaceThreshold: number;
    /** The field file: embedded (base64) or a sidecar path relative to the scene file. */
    readonly field?: { readonly data?: string; readonly url?: string };
}

/** Options of {@link SerializeSceneWithNerfNodesAsync}. */
export interface NerfSerializeOptions {
    /** Embed fields as base64 (default) or write them as sidecar files. */
    readonly embedFields?: boolean;
    /** Sidecar file name for a node (default `<name>.field.bin`). */
    readonly sidecarName?: (node: NerfNode) => string;
}

/** Fires when a saved NerfNode could not get its field; the rest of the scene loads anyway. */
export const NerfNodeLoadErrorObservable = new Observable<{ node: NerfNode; message: string }>();

/**
 * Serializes a scene like `SceneSerializer.Serialize`, plus its NerfNodes (transform, settings and
 * field) under {@link NerfNodesSceneKey}.
 * @param scene the scene
 * @param options embed fields or write sidecars
 * @returns the scene object (JSON-ready) and the sidecar files to write next to it
 */
export async function SerializeSceneWithNerfNodesAsync(scene: Scene, options: NerfSerializeOptions = {}): Promise<{ scene: Record<string, unknown>; sidecars: Map<string, Uint8Array> }> {
    const serialized = SceneSerializer.Serialize(scene) as Record<string, unknown>;
    const sidecars = new Map<string, Uint8Array>();
    const entries: SerializedNerfNode[] = [];
    for (const node of scene.meshes.filter((mesh): mesh is NerfNode => mesh instanceof NerfNode)) {
        let field: SerializedNerfNode["field"];
        if (node.field) {
            const bytes = await WriteRadianceFieldAsync(node.field);
            if (options.embedFields === false) {
                const name = options.sidecarName?.(node) ?? `${node.name.replace(/[^\w.-]+/g, "_")}.field.bin`;
                sidecars.set(name, bytes);
                field = { url: name };
            } else {
                field = { data: ToBase64(bytes) };
            }
        }
        entries.push({
            kind: node.getClassName(),
            name: node.name,
            id: node.id,
            uniqueId: node.uniqueId,
            parentId: node.parent?.id,
            childIds: node.getChildren().filter((child) => !child.doNotSerialize).map((child) => child.id),
            position: node.position.asArray(),
            rotationQuaternion: node.rotationQuaternion?.asArray(),
            rotation: node.rotation.asArray(),
            scaling: node.scaling.asArray(),
            isVisible: node.isVisible,
            isPickable: node.isPickable,
            enabled: node.isEnabled(false),
            showBounds: node.showBounds,
            surfaceThreshold: node.surfaceThreshold,
            field,
        });
    }
    serialized[NerfNodesSceneKey] = entries;
    return { scene: serialized, sidecars };
}

let registered = false;

/** Makes an empty node of one NerfNode class when a scene is loaded. */
export type NerfNodeFactory = (name: string, scene: Scene) => NerfNode;

/** The node classes the parser recreates, by class name (each subclass registers its own). */
const NerfNodeKinds = new Map<string, NerfNodeFactory>([["NerfNode", (name, scene) => new NerfNode(name, scene)]]);

/**
 * Registers a NerfNode subclass with the scene-file parser, so saved nodes of that class come back
 * as that class (a class that is not registered comes back as a plain NerfNode).
 * @param className the class's `getClassName()`
 * @param factory makes an empty node of the class
 */
export function RegisterNerfNodeKind(className: string, factory: NerfNodeFactory): void {
    NerfNodeKinds.set(className, factory);
}

/**
 * Registers the scene-file parser that recreates NerfNodes (and the registered subclasses) when a
 * scene is loaded (SceneLoader / AppendSceneAsync / LoadAssetContainerAsync with .babylon data).
 * Idempotent.
 */
export function RegisterNerfNodeParser(): void {
    if (registered) {
        return;
    }
    registered = true;
    AddParser(NerfNodesSceneKey, (parsedData: Record<string, unknown>, scene: Scene, container, rootUrl: string) => {
        const entries = (parsedData[NerfNodesSceneKey] as SerializedNerfNode[] | undefined) ?? [];
        for (const entry of entries) {
            const node = (NerfNodeKinds.get(entry.kind ?? "NerfNode") ?? NerfNodeKinds.get("NerfNode")!)(entry.name, scene);
            node.id = entry.id;
            node.position = Vector3.FromArray(entry.position);
            node.rotation = Vector3.FromArray(entry.rotation);
            node.rotationQuaternion = entry.rotationQuaternion ? Quaternion.FromArray(entry.rotationQuaternion) : null;
            node.scaling = Vector3.FromArray(entry.scaling);
            node.isVisible = entry.isVisible;
            node.isPickable = entry.isPickable;
            node.setEnabled(entry.enabled);
            node.surfaceThreshold = entry.surfaceThreshold;
            node.showBounds = entry.showBounds;
            container.meshes.push(node);
            if (entry.parentId) {
                node.parent = scene.getNodeById(entry.parentId);
            }
            for (const childId of entry.childIds) {
                const child = scene.getNodeById(childId) as Node | null;
                if (child && !child.parent) {
                    child.parent = node;
                }
            }
            void LoadFieldAsync(node, entry, rootUrl);
        }
    });
}

async function LoadFieldAsync(node: NerfNode, entry: SerializedNerfNode, rootUrl: string): Promise<void> {
    const source = entry.field?.url ?? (entry.field?.data ? "embedded field" : null);
    node.fieldSource = entry.field?.url ?? null;
    if (!source || !entry.field) {
        return;
    }
    try {
        let bytes: ArrayBuffer;
        if (entry.field.data !== undefined) {
            bytes = FromBase64(entry.field.data).buffer as ArrayBuffer;
        } else {
            const url = new URL(entry.field.url!, new URL(rootUrl || "./", self.location.href)).href;
            const response = await fetch(url);
            if (!response.ok) {
                throw new Error(`${entry.field.url}: ${response.status === 404 ? "file not found" : `HTTP ${response.status}`}`);
            }
            bytes = await response.arrayBuffer();
        }
        node.setField(await ReadRadianceFieldAsync(bytes, entry.field.url ?? `${entry.name} (embedded field)`));
    } catch (error) {
        const message = `NerfNode "${entry.name}": its field could not be loaded (${(error as Error).message}); the rest of the scene is loaded`;
        node.loadError = message;
        console.error(message);
        NerfNodeLoadErrorObservable.notifyObservers({ node, message });
    }
}

function ToBase64(bytes: Uint8Array): string {
    let text = "";
    for (let i = 0; i < bytes.length; i += 0x8000) {
        text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    }
    return btoa(text);
}

function FromBase64(text: string): Uint8Array {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) {
        bytes[i] = binary.charCodeAt(i);
    }
    return bytes;
}

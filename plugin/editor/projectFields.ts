/**
 * NerfNodes in a Babylon.js Editor project. The Editor saves a scene's meshes itself (per-mesh
 * JSON with `metadata`, in `<name>.scene/`, a folder it empties of files it did not write), and
 * only meshes whose class is "Mesh"; it brings them back as plain meshes. So each NerfNode is
 * shown to the Editor as a Mesh (its box) whose `metadata.sanerf` names its kind and its field
 * file, and its field is written as a file of its own in the project's `assets/sanerf/` folder
 * (never inlined in JSON) after each save; when a scene is opened, each such placeholder mesh is
 * replaced by its NerfNode again and its field read back. A missing or corrupt field file is
 * reported by name on the node; the rest of the project loads.
 */
import type { Scene } from "@babylonjs/core/scene";
import type { AbstractMesh } from "@babylonjs/core/Meshes/abstractMesh";
import type { RadianceFieldData } from "../core/nerf/radianceFieldData";
import { ReadRadianceFieldAsync, WriteRadianceFieldAsync } from "../core/nerf/radianceFieldFile";
import { NerfNode } from "../scene/nerfNode";
import { NerfObjectNode } from "../scene/nerfObjectNode";

/** What the plugin keeps in a node's metadata (saved by the Editor with the mesh). */
export interface SanerfNodeMetadata {
    readonly kind: "NerfNode" | "NerfObjectNode";
    /** The field file, relative to the project folder (forward slashes). */
    readonly field: string;
    /** For an object: the id of the NerfNode it was cut from. */
    readonly sourceId?: string;
}

/** The Node file system calls the store uses (fs/promises in the Editor's renderer). */
export interface ProjectFileSystem {
    readFile(path: string): Promise<Uint8Array>;
    writeFile(path: string, data: Uint8Array): Promise<void>;
    mkdir(path: string, options: { recursive: boolean }): Promise<unknown>;
    rename(from: string, to: string): Promise<void>;
}

/** The project folder's field files. */
export class ProjectFieldStore {
    private readonly _projectFolder: string;
    private readonly _fs: ProjectFileSystem;
    private readonly _written = new WeakMap<NerfNode, RadianceFieldData>();

    /**
     * @param projectPath the project file (`editor.state.projectPath`)
     * @param fs the file system
     */
    public constructor(projectPath: string, fs: ProjectFileSystem) {
        this._projectFolder = projectPath.replace(/[\\/][^\\/]*$/, "");
        this._fs = fs;
    }

    /**
     * Marks a NerfNode for the Editor: a "Mesh" to its graph, gizmo and save code, saved with its
     * kind and field file in its metadata.
     * @param node the node
     */
    public adopt(node: NerfNode): void {
        const kind = node instanceof NerfObjectNode ? "NerfObjectNode" : "NerfNode";
        node.getClassName = () => "Mesh";
        node.doNotSerialize = false;
        const previous = node.metadata?.sanerf as SanerfNodeMetadata | undefined;
        const sourceId = node instanceof NerfObjectNode ? (node.sourceNode?.id ?? previous?.sourceId) : undefined;
        const metadata: SanerfNodeMetadata = { kind, field: `assets/sanerf/${node.id.replace(/[^\w.-]+/g, "_")}.snrf`, ...(sourceId ? { sourceId } : {}) };
        node.metadata = { ...(node.metadata ?? {}), sanerf: metadata };
    }

    /**
     * Writes the fields that changed since they were last written (after a project save).
     * @param scene the scene
     * @returns the files written, relative to the project folder
     */
    public async saveChangedAsync(scene: Scene): Promise<string[]> {
        const written: string[] = [];
        for (const node of scene.meshes.filter((mesh): mesh is NerfNode => mesh instanceof NerfNode)) {
            const metadata = node.metadata?.sanerf as SanerfNodeMetadata | undefined;
            const field = node.field;
            if (!metadata || !field || this._written.get(node) === field) {
                continue;
            }
            const file = this._absolute(metadata.field);
            await this._fs.mkdir(file.replace(/[\\/][^\\/]*$/, ""), { recursive: true });
            // a temporary file renamed when complete: a crash never leaves half a field
            await this._fs.writeFile(`${file}.part`, await WriteRadianceFieldAsync(field));
            await this._fs.rename(`${file}.part`, file);
            this._written.set(node, field);
            written.push(metadata.field);
        }
        return written;
    }

    /**
     * Replaces the placeholder meshes a saved project brings back (plain meshes with
     * `metadata.sanerf`) by NerfNodes with the same name, id, transform, parent and children, and
     * reads their field files.
     * @param scene the scene just opened
     * @param onError called with a message for each field that could not be read
     * @returns the nodes brought back
     */
    public async reviveAsync(scene: Scene, onError: (message: string) => void): Promise<NerfNode[]> {
        const placeholders = scene.meshes.filter(IsPlaceholder);
        const revived = new Map<string, NerfNode>();
        for (const placeholder of placeholders) {
            const metadata = placeholder.metadata.sanerf as SanerfNodeMetadata;
            const node = metadata.kind === "NerfObjectNode" ? new NerfObjectNode(placeholder.name, scene) : new NerfNode(placeholder.name, scene);
            TakePlace(node, placeholder);
            node.metadata = { ...placeholder.metadata };
            this.adopt(node);
            placeholder.dispose(true);
            revived.set(node.id, node);
        }
        // objects find the node they were cut from (revived now or earlier: meshes arrive over time)
        for (const object of scene.meshes.filter((mesh): mesh is NerfObjectNode => mesh instanceof NerfObjectNode && !mesh.sourceNode)) {
            const sourceId = (object.metadata?.sanerf as SanerfNodeMetadata | undefined)?.sourceId;
            const source = sourceId ? scene.getMeshById(sourceId) : null;
            object.sourceNode = source instanceof NerfNode && !(source instanceof NerfObjectNode) ? source : null;
        }
        for (const node of revived.values()) {
            const metadata = node.metadata.sanerf as SanerfNodeMetadata;
            try {
                const bytes = await this._fs.readFile(this._absolute(metadata.field));
                const field = await ReadRadianceFieldAsync(bytes.slice().buffer as ArrayBuffer, metadata.field, (warning) => onError(`${node.name}: ${warning}`));
                node.setField(field);
                this._written.set(node, field);
            } catch (error) {
                const reason = (error as { code?: string }).code === "ENOENT" ? `${metadata.field}: file not found` : (error as Error).message;
                node.loadError = `NerfNode "${node.name}": its field could not be loaded (${reason}); the rest of the project is loaded`;
                onError(node.loadError);
            }
        }
        return [...revived.values()];
    }

    /**
     * Whether a scene holds placeholders still to revive.
     * @param scene the scene
     * @returns true when some mesh carries a NerfNode's metadata but is a plain mesh
     */
    public hasPlaceholders(scene: Scene): boolean {
        return scene.meshes.some(IsPlaceholder);
    }

    private _absolute(relative: string): string {
        return `${this._projectFolder}/${relative}`;
    }
}

/** A plain mesh standing for a saved NerfNode (what the Editor brings back). */
function IsPlaceholder(mesh: AbstractMesh): boolean {
    return !(mesh instanceof NerfNode) && Boolean((mesh.metadata?.sanerf as SanerfNodeMetadata | undefined)?.kind);
}

/** Gives a new node a placeholder's identity, transform, parent and children. */
function TakePlace(node: NerfNode, placeholder: AbstractMesh): void {
    node.id = placeholder.id;
    node.uniqueId = placeholder.uniqueId;
    node.position.copyFrom(placeholder.position);
    node.rotation.copyFrom(placeholder.rotation);
    node.rotationQuaternion = placeholder.rotationQuaternion?.clone() ?? null;
    node.scaling.copyFrom(placeholder.scaling);
    node.parent = placeholder.parent;
    node.setEnabled(placeholder.isEnabled(false));
    node.isVisible = placeholder.isVisible;
    for (const child of placeholder.getChildren()) {
        child.parent = node;
    }
}

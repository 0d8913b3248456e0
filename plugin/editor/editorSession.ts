import type { Scene } from "@babylonjs/core/scene";
import type { AbstractMesh } from "@babylonjs/core/Meshes/abstractMesh";
import type { Observer } from "@babylonjs/core/Misc/observable";
import type { PipelineOverrides } from "../core/pipeline/pipelineConfig";
import { SanerfPlugin } from "../sanerfPlugin";
import { NerfNode } from "../scene/nerfNode";
import type { EditorLike, EditorModuleLike } from "./editorApi";
import { ProjectFieldStore, type ProjectFileSystem } from "./projectFields";

/** Where the plugin's own files are (workers, onnxruntime-web's wasm, the built-in model). */
export interface EditorSessionOptions {
    /** URL of the folder holding onnxruntime-web's runtime files (the plugin's `ort/`). */
    readonly onnxWasmBaseUrl: string;
    /** The project's file system (Node's fs/promises in the Editor). */
    readonly fs: ProjectFileSystem;
    /** Pipeline settings that differ from the defaults. */
    readonly config?: PipelineOverrides;
    /** How often the preview is checked for a replaced scene (ms; opening a scene replaces it). */
    readonly scenePollMs?: number;
}

/**
 * The plugin inside one Babylon.js Editor window: a SanerfPlugin on the preview's scene (rebuilt
 * when the Editor opens another scene, which replaces the preview's engine and scene), NerfNodes
 * shown to the Editor as meshes it can list, select, move with its gizmo and save, their fields
 * written beside the project after each save and read back when a scene is opened, and clicks on
 * the preview handed to the prompt tool (the Editor's own picking paused while the tool is open).
 */
export class SanerfEditorSession {
    /** Fires when the plugin is replaced (another scene was opened). */
    public onPluginChanged: ((plugin: SanerfPlugin) => void) | null = null;
    private readonly _editor: EditorLike;
    private readonly _module: EditorModuleLike;
    private readonly _options: EditorSessionOptions;
    private _plugin: SanerfPlugin;
    private _store: ProjectFieldStore | null;
    private _meshAdded: Observer<AbstractMesh> | null = null;
    private readonly _saved: Observer<unknown> | null;
    private readonly _poll: ReturnType<typeof setInterval>;
    private _toolOpen = false;
    private _reviving = false;

    /**
     * @param editor the Editor (`main(editor)`'s argument)
     * @param module the `babylonjs-editor` module's exports
     * @param options where the plugin's files are, the project's file system, settings
     */
    public constructor(editor: EditorLike, module: EditorModuleLike, options: EditorSessionOptions) {
        this._editor = editor;
        this._module = module;
        this._options = options;
        this._store = editor.state.projectPath ? new ProjectFieldStore(editor.state.projectPath, options.fs) : null;
        this._plugin = this._attach(editor.layout.preview.scene);
        this._saved = module.onProjectSavedObservable?.add(() => void this.saveFieldsAsync()) ?? null;
        this._poll = setInterval(() => this._followScene(), options.scenePollMs ?? 1000);
    }

    /** The plugin on the preview's current scene. */
    public get plugin(): SanerfPlugin {
        return this._plugin;
    }

    /**
     * Writes the NerfNodes' changed fields into the project's assets/sanerf/ folder (the Editor
     * calls this after each save through onProjectSavedObservable).
     * @returns the files written (relative to the project folder)
     */
    public async saveFieldsAsync(): Promise<string[]> {
        if (!this._store) {
            return [];
        }
        try {
            return await this._store.saveChangedAsync(this._plugin.scene);
        } catch (error) {
            this._report(`SANeRF-HQ: the fields could not be written beside the project (${(error as Error).message})`);
            return [];
        }
    }

    /**
     * Brings back the NerfNodes of a scene the Editor just opened (placeholders → NerfNodes, fields read).
     * @returns the nodes
     */
    public async reviveAsync(): Promise<NerfNode[]> {
        if (!this._store) {
            return [];
        }
        const nodes = await this._store.reviveAsync(this._plugin.scene, (message) => this._report(message));
        if (nodes.length > 0) {
            await this._editor.layout.graph.refresh();
        }
        return nodes;
    }

    /** Detaches from the Editor: the plugin's workers and devices stop; the nodes stay in the scene. */
    public dispose(): void {
        clearInterval(this._poll);
        if (this._saved) {
            this._module.onProjectSavedObservable?.remove(this._saved);
        }
        this._detach();
    }

    /** A plugin on a scene, NerfNodes made there shown to the Editor. */
    private _attach(scene: Scene): SanerfPlugin {
        const plugin = new SanerfPlugin(scene, { onnxWasmBaseUrl: this._options.onnxWasmBaseUrl, config: this._options.config });
        void plugin.detectCapabilitiesAsync();
        this._meshAdded = scene.onNewMeshAddedObservable.add((mesh) => {
            if (mesh instanceof NerfNode && this._store && !mesh.metadata?.sanerf) {
                // the node's id is set after construction: adopt it once it is known
                queueMicrotask(() => {
                    this._store?.adopt(mesh);
                    void this._editor.layout.graph.refresh();
                    this._module.onNodesAddedObservable?.notifyObservers();
                });
            }
        });
        plugin.workspace.onChangedObservable.add(() => this._syncPicking());
        return plugin;
    }

    private _detach(): void {
        const scene = this._plugin.scene;
        if (this._meshAdded) {
            scene.onNewMeshAddedObservable.remove(this._meshAdded);
        }
        if (this._toolOpen) {
            this._toolOpen = false;
            this._editor.layout.preview.setState({ pickingEnabled: true });
        }
        this._plugin.dispose();
    }

    /**
     * The Editor replaces its preview's scene when it opens another (follow it), then loads the
     * scene's meshes over time (revive the placeholders as they arrive).
     */
    private _followScene(): void {
        const scene = this._editor.layout.preview.scene;
        if (scene && scene !== this._plugin.scene) {
            this._detach();
            this._plugin = this._attach(scene);
            this.onPluginChanged?.(this._plugin);
        }
        if (!this._reviving && this._store?.hasPlaceholders(this._plugin.scene)) {
            this._reviving = true;
            void this.reviveAsync().finally(() => (this._reviving = false));
        }
    }

    /** The Editor's click-to-select is paused while the prompt tool takes the preview's clicks. */
    private _syncPicking(): void {
        const open = this._plugin.workspace.promptTool !== null;
        if (open !== this._toolOpen) {
            this._toolOpen = open;
            this._editor.layout.preview.setState({ pickingEnabled: !open });
        }
    }

    private _report(message: string): void {
        if (this._editor.layout.console) {
            this._editor.layout.console.error(message);
        } else {
            console.error(message);
        }
    }
}

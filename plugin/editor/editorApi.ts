/**
 * The parts of the Babylon.js Editor (v5, BabylonJS/Editor) this plugin uses, typed here because
 * `babylonjs-editor` ships no sources on npm. Checked against the Editor's source at commit
 * fdf0a2a8 (5.4.3-alpha): editor/src/editor/main.tsx (Editor), layout.tsx (addLayoutTab,
 * removeLayoutTab), layout/preview.tsx (EditorPreview), layout/graph.tsx (refresh,
 * setSelectedNode), tools/observables.ts (onProjectSavedObservable, onNodesAddedObservable).
 */
import type { ReactNode } from "react";
import type { Scene } from "@babylonjs/core/scene";
import type { AbstractEngine } from "@babylonjs/core/Engines/abstractEngine";
import type { Camera } from "@babylonjs/core/Cameras/camera";
import type { Node } from "@babylonjs/core/node";
import type { Observable } from "@babylonjs/core/Misc/observable";

/** Options of `editor.layout.addLayoutTab`. */
export interface EditorLayoutTabOptions {
    readonly id?: string;
    readonly title: string;
    readonly neighborId?: "inspector" | "assets-browser";
    readonly enableClose?: boolean;
    readonly setAsActiveTab?: boolean;
}

/** `editor.layout.preview`: the WebGL2 viewport. Re-read its members each time: opening a scene replaces them. */
export interface EditorPreviewLike {
    readonly engine: AbstractEngine;
    readonly scene: Scene;
    readonly camera: Camera;
    readonly gizmo: { setAttachedObject(object: Node | null): void };
    /** React state setter; `pickingEnabled: false` stops clicks selecting objects (the decal tool does so). */
    setState(state: { pickingEnabled?: boolean }): void;
}

/** `editor.layout`. */
export interface EditorLayoutLike {
    addLayoutTab(component: ReactNode, options: EditorLayoutTabOptions): void;
    removeLayoutTab(id: string): void;
    readonly preview: EditorPreviewLike;
    readonly graph: { refresh(): Promise<void>; setSelectedNode(node: Node): void };
    readonly inspector: { setEditedObject(object: unknown): void };
    readonly console?: { log(message: unknown): void; warn(message: unknown): void; error(message: unknown): void };
}

/** The `editor` object `main(editor)` receives. */
export interface EditorLike {
    readonly layout: EditorLayoutLike;
    readonly state: { readonly projectPath: string | null };
}

/** The exports of the `babylonjs-editor` module this plugin uses. */
export interface EditorModuleLike {
    /** Notified at the end of every successful project save. */
    readonly onProjectSavedObservable?: Observable<unknown>;
    /** Makes the scene graph refresh (new nodes appear). */
    readonly onNodesAddedObservable?: Observable<void>;
}

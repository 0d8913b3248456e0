/**
 * The SANeRF-HQ plugin for the Babylon.js Editor (v5): a CommonJS module the Editor `require`s from
 * the project's node_modules or a local folder (package.json "main": dist/editor/index.js). It
 * exports `title`, `description`, `main(editor)` and `close(editor)`. Built from the same sources as
 * the package (webpack "editor" build): Babylon comes from the Editor's `babylonjs` UMD packages,
 * React from the Editor's own, never a second copy.
 */
// first: the public path of the plugin's files (workers, wasm, model) must be set before anything else
// first: the public path of the plugin's files (workers, wasm, model) is set when this module runs
import { PluginFolderUrl } from "./pluginFolder";
import { createElement } from "react";
import * as EditorModule from "babylonjs-editor";
import type { EditorLike, EditorModuleLike } from "./editorApi";
import { SanerfEditorSession } from "./editorSession";
import { SanerfEditorTab } from "./editorTab";
import type { ProjectFileSystem } from "./projectFields";
import type { PipelineOverrides } from "../core/pipeline/pipelineConfig";

/** Shown in the Editor's plugin list. */
export const title = "SANeRF-HQ";

/** Shown in the Editor's plugin list. */
export const description = "Train a radiance field from a posed capture, click an object with Segment Anything, fuse its masks in 3-D and use it as a movable scene object or a GLB.";

/** The tab's id in the Editor's layout. */
export const TabId = "sanerf-hq";

/** Node's CommonJS require (the Editor's renderer runs plugins with Node integration). */
declare const require: (id: string) => unknown;

let session: SanerfEditorSession | null = null;

/** What a script (or a test) may pass to {@link main} besides the editor; the Editor passes none. */
export interface EditorPluginOptions {
    /** Pipeline settings that differ from the defaults (the tab's controls start from them). */
    readonly config?: PipelineOverrides;
}

/**
 * Called by the Editor when the plugin loads: adds the "SANeRF-HQ" tab beside the inspector and
 * attaches the plugin to the preview's scene (bringing back the NerfNodes of a saved project).
 * @param editor the Editor
 * @param options pipeline settings (none from the Editor)
 */
export function main(editor: EditorLike, options: EditorPluginOptions = {}): void {
    session?.dispose();
    // Node's fs in the Editor's renderer (the project's files)
    const fs = require("fs/promises") as ProjectFileSystem;
    session = new SanerfEditorSession(editor, EditorModule as unknown as EditorModuleLike, { onnxWasmBaseUrl: `${PluginFolderUrl()}ort/`, fs, config: options.config });
    editor.layout.addLayoutTab(createElement(SanerfEditorTab, { session }), { id: TabId, title, neighborId: "inspector", enableClose: false });
    void session.reviveAsync();
}

/**
 * The plugin's session in this Editor window (its plugin, workspace and scene), for scripts.
 * @returns the session, or null before main or after close
 */
export function getSession(): SanerfEditorSession | null {
    return session;
}

/**
 * Called by the Editor when the plugin is removed or reloaded (sometimes without the editor):
 * removes the tab, stops the workers and GPU devices; the nodes made stay in the scene.
 * @param editor the Editor, when given
 */
export function close(editor?: EditorLike): void {
    editor?.layout.removeLayoutTab(TabId);
    session?.dispose();
    session = null;
}

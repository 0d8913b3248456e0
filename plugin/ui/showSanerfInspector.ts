import type { Scene } from "@babylonjs/core/scene";
import type { InspectorToken } from "@babylonjs/inspector";
import type { SanerfPlugin } from "../sanerfPlugin";
import { MakeSanerfServiceDefinitions } from "./sanerfServices";

/** Options of {@link ShowSanerfInspectorAsync}. */
export interface ShowSanerfInspectorOptions {
    /** Open the plugin's pane at once (default true). */
    readonly selectPane?: boolean;
    /** Keep the Inspector's Tools pane (off by default: its GIF tool fetches a worker from a CDN). */
    readonly keepToolsPane?: boolean;
}

/**
 * Shows the Babylon Inspector (v2) with the plugin's services registered: its side pane and its
 * scene-explorer and property sections. The Inspector is imported lazily (it is large).
 * @param scene the scene to inspect
 * @param plugin the registered plugin
 * @param options pane selection and Tools-pane policy
 * @returns the Inspector token (dispose() hides it)
 */
export async function ShowSanerfInspectorAsync(scene: Scene, plugin: SanerfPlugin, options: ShowSanerfInspectorOptions = {}): Promise<InspectorToken> {
    await import("@babylonjs/core/Engines/AbstractEngine/abstractEngine.query.js");
    const { ShowInspector } = await import("@babylonjs/inspector");
    const services = MakeSanerfServiceDefinitions(plugin, { selectPane: options.selectPane ?? true });
    return ShowInspector(scene, {
        serviceDefinitions: services,
        layoutMode: "overlay",
        disableTeachingMoments: true,
        sidePaneRemapper: (pane: { key: string }) => (pane.key === "Tools" && !options.keepToolsPane ? null : pane),
    });
}

import { useEffect, useState, type FunctionComponent } from "react";
import { SanerfPanel } from "../ui/sanerfPane";
import type { SanerfEditorSession } from "./editorSession";

/**
 * The "SANeRF-HQ" tab of the Babylon.js Editor: the same panel as the Inspector's pane (capture,
 * training, segmentation, fusion, scene objects), on the plugin of the preview's current scene.
 * @param props the session
 * @param props.session the plugin's session in this Editor window
 * @returns the tab's content
 */
export const SanerfEditorTab: FunctionComponent<{ session: SanerfEditorSession }> = ({ session }) => {
    const [plugin, setPlugin] = useState(session.plugin);
    useEffect(() => {
        session.onPluginChanged = setPlugin;
        return () => {
            session.onPluginChanged = null;
        };
    }, [session]);
    return (
        <div data-testid="sanerf-editor-tab" style={{ height: "100%", overflow: "auto", color: "inherit" }}>
            <SanerfPanel key={plugin.scene.uid} plugin={plugin} />
        </div>
    );
};

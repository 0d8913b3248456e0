import { useCallback, type FunctionComponent } from "react";
import { Button, MessageBar, TextPropertyLine, useObservableState } from "@babylonjs/inspector";
import type { SanerfPlugin } from "../sanerfPlugin";
import { CaptureSection } from "./captureSection";
import { FieldSection } from "./fieldSection";
import { ProgressLine } from "./progressLine";
import { SegmentSection } from "./segmentSection";
import { ObjectsSection } from "./objectsSection";
import { SplatSection } from "./splatSection";

/**
 * The plugin's panel: capabilities, errors, the running task, and the capture, field, segment and
 * objects sections. The Inspector's side pane and the Babylon.js Editor's tab both show it.
 * @param props the plugin
 * @param props.plugin the plugin whose state the panel shows
 * @returns the panel
 */
export const SanerfPanel: FunctionComponent<{ plugin: SanerfPlugin }> = ({ plugin }) => {
    const capabilities = useObservableState(
        useCallback(() => plugin.capabilities, []),
        plugin.onStateChangedObservable
    );
    // re-render on every workspace change (task progress, capture, training steps)
    useObservableState(
        useCallback(() => ({}), []),
        plugin.workspace.onChangedObservable
    );
    const workspace = plugin.workspace;
    return (
        <div data-testid="sanerf-pane" style={{ padding: 8, display: "flex", flexDirection: "column", gap: 4 }}>
            <TextPropertyLine label="Scene engine" value={capabilities.engine} />
            <TextPropertyLine label="WebGPU adapter" value={capabilities.webGpuAdapter ? capabilities.adapterName || "yes" : "none"} />
            {!capabilities.webGpuAdapter && (
                <MessageBar intent="warning" title="Training unavailable" message="This browser offers no WebGPU adapter: trained fields can still be loaded and rendered, but training and GPU fusion are off." />
            )}
            {workspace.error && (
                <>
                    <MessageBar intent="error" title="Problem" message={workspace.error} />
                    <Button label="Dismiss" appearance="subtle" onClick={() => workspace.dismissError()} />
                </>
            )}
            <ProgressLine task={workspace.task} />
            <h4 style={{ margin: "8px 0 2px" }}>Capture</h4>
            <CaptureSection plugin={plugin} />
            <h4 style={{ margin: "8px 0 2px" }}>Radiance field</h4>
            <FieldSection plugin={plugin} />
            <h4 style={{ margin: "8px 0 2px" }}>Segment (SAM)</h4>
            <SegmentSection plugin={plugin} />
            <h4 style={{ margin: "8px 0 2px" }}>Objects</h4>
            <ObjectsSection plugin={plugin} />
            <h4 style={{ margin: "8px 0 2px" }}>Gaussian splats</h4>
            <SplatSection plugin={plugin} />
        </div>
    );
};

/**
 * Makes the plugin's side-pane component bound to one plugin instance.
 * @param plugin the plugin whose state the pane shows
 * @returns a React component without props (what the shell service expects)
 */
export function MakeSanerfPane(plugin: SanerfPlugin): FunctionComponent {
    const SanerfPane: FunctionComponent = () => <SanerfPanel plugin={plugin} />;
    return SanerfPane;
}

import { useCallback, type FunctionComponent } from "react";
import { MessageBar, TextPropertyLine, useObservableState } from "@babylonjs/inspector";
import type { SanerfPlugin } from "../sanerfPlugin";

/**
 * Makes the plugin's side-pane component bound to one plugin instance.
 * @param plugin the plugin whose state the pane shows
 * @returns a React component without props (what the shell service expects)
 */
export function MakeSanerfPane(plugin: SanerfPlugin): FunctionComponent {
    const SanerfPane: FunctionComponent = () => {
        const capabilities = useObservableState(
            useCallback(() => plugin.capabilities, []),
            plugin.onStateChangedObservable
        );
        return (
            <div data-testid="sanerf-pane" style={{ padding: 8, display: "flex", flexDirection: "column", gap: 4 }}>
                <TextPropertyLine label="Scene engine" value={capabilities.engine} />
                <TextPropertyLine label="WebGPU adapter" value={capabilities.webGpuAdapter ? capabilities.adapterName || "yes" : "none"} />
                {!capabilities.webGpuAdapter && (
                    <MessageBar intent="warning" title="Training unavailable" message="This browser offers no WebGPU adapter: trained fields can still be loaded and rendered, but training and GPU fusion are off." />
                )}
            </div>
        );
    };
    return SanerfPane;
}

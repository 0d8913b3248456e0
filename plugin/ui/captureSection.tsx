import { useRef, type FunctionComponent } from "react";
import { Button, TextPropertyLine } from "@babylonjs/inspector";
import { UrlCaptureSource } from "../core/capture/urlCaptureSource";
import { FileCaptureSource } from "../core/capture/fileCaptureSource";
import { CaptureSourceFromDropAsync } from "../workspace/droppedFiles";
import { SplitHoldout } from "../core/capture/holdout";
import type { SanerfPlugin } from "../sanerfPlugin";

/**
 * Capture section of the plugin pane: sample captures, a folder picker and a drop zone, and a
 * summary of the loaded capture.
 * @param props the plugin
 * @param props.plugin the plugin whose workspace loads the capture
 * @returns the section
 */
export const CaptureSection: FunctionComponent<{ plugin: SanerfPlugin }> = ({ plugin }) => {
    const workspace = plugin.workspace;
    const capture = workspace.capture;
    const folderInput = useRef<HTMLInputElement>(null);
    const busy = workspace.task !== null;
    return (
        <div data-testid="sanerf-capture-section" style={{ display: "flex", flexDirection: "column", gap: 4 }}>
            <div style={{ display: "flex", flexWrap: "wrap", gap: 4 }}>
                {(plugin.options.sampleCaptures ?? []).map((sample) => (
                    <Button key={sample.name} label={`Sample: ${sample.name}`} disabled={busy} onClick={() => workspace.loadCaptureAsync(new UrlCaptureSource(sample.url, sample.name))} />
                ))}
                <Button label="Open folder…" disabled={busy} onClick={() => folderInput.current?.click()} />
            </div>
            <input
                ref={folderInput}
                type="file"
                style={{ display: "none" }}
                {...{ webkitdirectory: "", directory: "" }}
                multiple
                onChange={(event) => event.target.files && workspace.loadCaptureAsync(FileCaptureSource.FromFileList(event.target.files))}
            />
            <div
                data-testid="sanerf-capture-drop"
                onDragOver={(event) => event.preventDefault()}
                onDrop={async (event) => {
                    event.preventDefault();
                    if (!busy) {
                        await workspace.loadCaptureAsync(await CaptureSourceFromDropAsync(event.dataTransfer));
                    }
                }}
                style={{ border: "1px dashed rgba(127,127,127,0.6)", borderRadius: 4, padding: 8, fontSize: 12, textAlign: "center" }}
            >
                Drop a capture folder here (transforms.json, transforms_train.json, poses_bounds.npy or COLMAP sparse/ + images/)
            </div>
            {capture && (
                <>
                    <TextPropertyLine label="Capture" value={`${capture.name} (${capture.format})`} />
                    <TextPropertyLine label="Frames" value={`${capture.frames.length} (${SplitHoldout(capture.frames.length).holdout.length} holdout) at ${capture.frames[0].image.width}x${capture.frames[0].image.height}`} />
                </>
            )}
        </div>
    );
};

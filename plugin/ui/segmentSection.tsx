import { useMemo, useRef, useState, type FunctionComponent } from "react";
import { Button, TextPropertyLine } from "@babylonjs/inspector";
import type { SanerfPlugin } from "../sanerfPlugin";
import type { SamModelFamily } from "../core/sam/samTypes";
import { FrameStrip } from "./frameStrip";
import type { FusedObject } from "../workspace/objectFusionController";
import type { FrameMask } from "../core/segmentation/maskSet";

/** A fused object's per-frame masks in the strip's format. */
function FusedFrameMasks(fused: FusedObject): FrameMask[] {
    return fused.frameMasks.map((image, frameIndex) => ({ frameIndex, valid: true, visibleFraction: 1, mask: image.labels.map((label) => (label ? 255 : 0)), width: image.width, height: image.height }));
}

const Families: (SamModelFamily | "detect")[] = ["detect", "sam", "mobilesam", "efficientsam", "sam2"];

/**
 * Segment section of the plugin pane: the segmentation model (built-in stand-in, URLs or files),
 * the prompt tool (modes, objects, undo / redo / clear), propagation to all views with its
 * thumbnail strip, and the frame browser that snaps the camera to a capture frame.
 * @param props the plugin
 * @param props.plugin the plugin whose workspace segments
 * @returns the section
 */
export const SegmentSection: FunctionComponent<{ plugin: SanerfPlugin }> = ({ plugin }) => {
    const workspace = plugin.workspace;
    const [encoderUrl, setEncoderUrl] = useState("");
    const [decoderUrl, setDecoderUrl] = useState("");
    const [family, setFamily] = useState<SamModelFamily | "detect">("detect");
    const files = useRef<HTMLInputElement>(null);
    const model = workspace.samModel;
    const tool = workspace.promptTool;
    const session = tool?.session;
    const busy = workspace.task !== null;
    const features = workspace.segmentation.featureField;
    const chosenFamily = family === "detect" ? undefined : family;
    const [showFused, setShowFused] = useState(true);
    const fused = session ? workspace.fusion.result(session.activeObject.id) : undefined;
    // the same array for the same result: the strip re-draws its thumbnails only when it changes
    const fusedMasks = useMemo(() => (fused ? FusedFrameMasks(fused) : null), [fused]);
    return (
        <div data-testid="sanerf-segment-section" style={{ display: "flex", flexDirection: "column", gap: 4 }}>
            <TextPropertyLine label="Model" value={model ? `${model.name} (${model.backend})` : "none loaded"} />
            <div style={{ display: "flex", flexWrap: "wrap", gap: 4 }}>
                <Button label="Built-in" disabled={busy} title="Lightweight stand-in segmenter shipped with the plugin (not SAM)" onClick={() => workspace.loadSamModelAsync("builtin")} />
                <Button label="Model files…" disabled={busy} title="Pick an encoder and a decoder .onnx" onClick={() => files.current?.click()} />
            </div>
            <input
                ref={files}
                type="file"
                accept=".onnx"
                multiple
                style={{ display: "none" }}
                onChange={(event) => {
                    const picked = [...(event.target.files ?? [])].sort((a, b) => Number(/decoder/i.test(a.name)) - Number(/decoder/i.test(b.name)));
                    if (picked.length === 2) {
                        void workspace.loadSamModelAsync({ encoder: picked[0], decoder: picked[1] }, chosenFamily);
                    }
                }}
            />
            <input aria-label="Encoder URL" placeholder="encoder .onnx URL" value={encoderUrl} onChange={(event) => setEncoderUrl(event.target.value)} />
            <input aria-label="Decoder URL" placeholder="decoder .onnx URL" value={decoderUrl} onChange={(event) => setDecoderUrl(event.target.value)} />
            <div style={{ display: "flex", gap: 4, alignItems: "center" }}>
                <select aria-label="Model family" value={family} onChange={(event) => setFamily(event.target.value as SamModelFamily | "detect")}>
                    {Families.map((name) => (
                        <option key={name} value={name}>
                            {name === "detect" ? "detect family" : name}
                        </option>
                    ))}
                </select>
                <Button label="Load URLs" disabled={busy || !encoderUrl || !decoderUrl} onClick={() => workspace.loadSamModelAsync({ encoder: encoderUrl, decoder: decoderUrl }, chosenFamily)} />
            </div>
            {!tool && <Button label="Open prompt tool" appearance="primary" disabled={busy || !workspace.nerfNode?.field} onClick={() => workspace.openPromptToolAsync()} />}
            {tool && session && (
                <>
                    <div style={{ display: "flex", flexWrap: "wrap", gap: 4 }}>
                        {(["positive", "negative", "box"] as const).map((mode) => (
                            <Button key={mode} label={`${mode[0].toUpperCase()}${mode.slice(1)} (${mode[0].toUpperCase()})`} appearance={session.mode === mode ? "primary" : "secondary"} onClick={() => ((session.mode = mode), plugin.workspace.onChangedObservable.notifyObservers(workspace))} />
                        ))}
                    </div>
                    <div style={{ display: "flex", flexWrap: "wrap", gap: 4 }}>
                        {session.objects.map((object) => (
                            <Button key={object.id} label={`${object.id === session.activeObject.id ? "● " : ""}${object.name}`} appearance={object.id === session.activeObject.id ? "primary" : "subtle"} onClick={() => session.selectObject(object.id)} />
                        ))}
                        <Button label="+ Object (O)" onClick={() => session.addObject()} />
                    </div>
                    <div style={{ display: "flex", flexWrap: "wrap", gap: 4 }}>
                        <Button label="Undo" disabled={!session.canUndo} onClick={() => session.undo()} />
                        <Button label="Redo" disabled={!session.canRedo} onClick={() => session.redo()} />
                        <Button label="Clear" onClick={() => session.clear()} />
                        <Button label="Close tool" appearance="subtle" onClick={() => workspace.closePromptTool()} />
                    </div>
                    {session.liveMask && <TextPropertyLine label="Live mask" value={`predicted IoU ${session.liveMask.result.iou.toFixed(3)}${session.liveMask.source === "feature-field" ? " (from the feature field)" : ""}`} />}
                    <Button
                        label={features ? "Distil features again" : "Distil features"}
                        title="Distil the model's features of every training view into a feature field: prompts in the free viewport then decode from rendered features, without running the encoder"
                        disabled={busy}
                        onClick={() => workspace.distilFeaturesAsync()}
                    />
                    {features && <TextPropertyLine label="Feature field" value={`${features.grid.gridSize.join("x")} x ${features.grid.channels} channels on ${features.backend}, loss ${features.loss.toFixed(3)}${session.usesFeatureField ? "; free view decodes from it" : "; not used (another model or field)"}`} />}
                    <Button label="Propagate to all views (Enter)" appearance="primary" disabled={busy || (session.activeObject.clicks.length === 0 && !session.activeObject.box)} onClick={() => workspace.propagateAsync()} />
                    {session.lastReport && <TextPropertyLine label="Propagation" value={`${session.lastReport.validViews} valid views, ${session.lastReport.decoderCalls} decodes, ${session.lastReport.encoderRuns} encoder runs, ${session.lastReport.seconds.toFixed(1)} s`} />}
                    <Button
                        label={fused ? "Refine in 3-D (F)" : "Fuse into 3-D (F)"}
                        title="Fuse the object's masks from every view into a 3-D object field (mask aggregator, with the Ray-Pair RGB loss)"
                        disabled={busy || !session.activeObject.frames}
                        onClick={() => workspace.fuseActiveObjectAsync()}
                    />
                    {fused && (
                        <>
                            <TextPropertyLine label="Object field" value={`${fused.field.grid.gridSize.join("x")}, ${fused.field.metadata.iterations} iterations on ${fused.backend}${fused.refined ? " (refined)" : ""}, ${fused.seconds.toFixed(1)} s, loss ${fused.history[fused.history.length - 1]?.loss.toFixed(4)}`} />
                            <div style={{ display: "flex", gap: 4 }}>
                                <Button label="2-D masks" appearance={showFused ? "subtle" : "primary"} onClick={() => setShowFused(false)} />
                                <Button label="Fused (3-D)" appearance={showFused ? "primary" : "subtle"} onClick={() => setShowFused(true)} />
                            </div>
                        </>
                    )}
                    {workspace.capture && (
                        <>
                            <div style={{ display: "flex", gap: 4 }}>
                                <Button label="Free view" appearance="subtle" disabled={!tool.frameCamera} onClick={() => tool.freeView()} />
                            </div>
                            <FrameStrip capture={workspace.capture} masks={fused && showFused ? fusedMasks : session.activeObject.frames} fused={Boolean(fused && showFused)} color={session.activeObject.color} current={session.view.kind === "frame" ? session.view.index : null} onSelect={(index) => tool.snapToFrame(index)} />
                        </>
                    )}
                </>
            )}
        </div>
    );
};

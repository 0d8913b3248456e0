import { useMemo, useRef, type FunctionComponent } from "react";
import { Button, TextPropertyLine } from "@babylonjs/inspector";
import type { SanerfPlugin } from "../sanerfPlugin";
import { DownloadFile } from "./downloadFile";
import { ProgressLine } from "./progressLine";
import { SplatViewCanvas, SplatViewStrip } from "./splatViewCanvas";

/**
 * Gaussian-splats section of the plugin pane: open a splat file (.ply, .splat, .spz, .sog, splat .glb) into the
 * scene, its views as thumbnails (the capture's cameras when a capture is loaded, else views
 * around the content), one view large to click objects on (Shift+click or right click:
 * background) or drag a box around one, clicks in the 3-D view (on a view rendered from its
 * camera), objects, Segment (the pipeline's splat stage, with progress and cancel), the
 * separated objects' meshes with undo, a triangle mesh of an object, and export of an object as
 * .ply, .spz or .glb; the file's axes (3DGS's y-down or y-up) can be switched before separating.
 * @param props the plugin
 * @param props.plugin the plugin whose workspace holds the splats
 * @returns the section
 */
export const SplatSection: FunctionComponent<{ plugin: SanerfPlugin }> = ({ plugin }) => {
    const workspace = plugin.workspace;
    const splats = workspace.splats;
    const files = useRef<HTMLInputElement>(null);
    const loaded = splats.loaded;
    const views = splats.views;
    const images = useMemo(() => views?.map((view) => view.image) ?? [], [views]);
    const prompts = splats.prompts;
    const active = prompts.activeObject;
    const busy = workspace.task !== null;
    const split = splats.split;
    const shown = splats.shownView;
    const label = splats.labelOf(active.id);
    const part = label === null ? undefined : split?.part(label);
    const report = (error: unknown): void => workspace.reportError((error as Error).message);
    const name = loaded?.mesh.name ?? "splats";
    return (
        <div data-testid="sanerf-splat-section" style={{ display: "flex", flexDirection: "column", gap: 4 }}>
            <div style={{ display: "flex", flexWrap: "wrap", gap: 4 }}>
                <Button label="Open splat file…" disabled={busy} title="A 3DGS .ply, .splat, .spz, .sog or a .glb with KHR_gaussian_splatting: added to the scene, its views rendered for prompting" onClick={() => files.current?.click()} />
                {loaded && <Button label="Render views again" disabled={busy} title={workspace.capture ? "Render the capture's cameras (its poses must be in the splat file's coordinates)" : "Render views placed around the content"} onClick={() => splats.renderViewsAsync()} />}
                {loaded && workspace.capture && <Button label="Views around the content" appearance="subtle" disabled={busy} onClick={() => splats.renderViewsAsync(false)} />}
                {loaded && !split && (
                    <Button
                        label={loaded.mesh.scaling.y < 0 ? "File is y-up" : "File is y-down (3DGS)"}
                        appearance="subtle"
                        disabled={busy}
                        title="How the file's axes sit in the scene: 3DGS/COLMAP files are y-down (Babylon's loader turns them upright); the plugin's captures and sample scenes are y-up"
                        onClick={() => splats.setFileAxes(loaded.mesh.scaling.y < 0 ? "y-up" : "loader")}
                    />
                )}
            </div>
            <input
                ref={files}
                type="file"
                accept=".ply,.splat,.spz,.sog,.glb,.gltf"
                aria-label="Splat file"
                style={{ display: "none" }}
                onChange={(event) => {
                    const file = event.target.files?.[0];
                    event.target.value = "";
                    if (file) {
                        void splats.loadFileAsync(file);
                    }
                }}
            />
            {workspace.task && /splat/i.test(workspace.task.label) && <ProgressLine task={workspace.task} />}
            {!loaded && <span style={{ fontSize: 12, opacity: 0.7 }}>No splats loaded: open a .ply, .splat, .spz, .sog or splat .glb capture.</span>}
            {loaded && (
                <TextPropertyLine label="Splats" value={`${loaded.file.cloud.count} splats (${loaded.file.format}, SH degree ${loaded.file.cloud.shDegree})${views ? `, ${views.length} views ${splats.viewsFromCapture ? "from the capture" : "around the content"}` : ""}`} />
            )}
            {views && views.length > 0 && (
                <>
                    <div style={{ display: "flex", flexWrap: "wrap", gap: 4 }}>
                        {prompts.objects.map((object) => (
                            <Button
                                key={object.id}
                                label={`${object.id === active.id ? "● " : ""}${object.name}${object.prompts.length ? ` (${PromptCount(object.clicks.length, object.box !== null)})` : ""}`}
                                appearance={object.id === active.id ? "primary" : "subtle"}
                                onClick={() => prompts.selectObject(object.id)}
                            />
                        ))}
                        <Button label="+ Object" onClick={() => prompts.addObject()} />
                        <Button label="Undo" title="Remove the active object's last click or box" disabled={active.prompts.length === 0} onClick={() => prompts.undo()} />
                        <Button
                            label={splats.viewport.enabled ? "Clicking in the viewport (Esc)" : "Click in the viewport"}
                            appearance={splats.viewport.enabled ? "primary" : "subtle"}
                            disabled={busy && !splats.viewport.enabled}
                            title="Click objects in the 3-D view (Shift+click: background): the splats are rendered from the viewport's camera into a view of their own, which joins the views"
                            onClick={() => (splats.viewport.enabled = !splats.viewport.enabled)}
                        />
                        {splats.viewport.enabled && (
                            <Button
                                label={splats.viewport.boxMode ? "Dragging a box (B)" : "Box (B)"}
                                appearance={splats.viewport.boxMode ? "primary" : "subtle"}
                                title="Drag a box around the object in the 3-D view (the camera holds still meanwhile); B again for clicks"
                                onClick={() => (splats.viewport.boxMode = !splats.viewport.boxMode)}
                            />
                        )}
                    </div>
                    <SplatViewStrip images={images} masks={active.masks} color={active.color} current={shown} onSelect={(index) => splats.showView(index)} />
                    <span style={{ fontSize: 11, opacity: 0.8 }}>View {shown}: click the object, Shift+click or right click the background, drag a box around it.</span>
                    <SplatViewCanvas
                        image={images[shown]}
                        view={shown}
                        objects={prompts.objects}
                        activeId={active.id}
                        onClick={(x, y, point) => splats.addClick(shown, x, y, point)}
                        onBox={(box) => splats.setBox(shown, box)}
                    />
                    <Button
                        label="Segment"
                        appearance="primary"
                        disabled={busy || prompts.prompted.length === 0}
                        title="Propagate each object's clicks and box to every view, decode them with the loaded model (the built-in one when none is), label every splat and separate the objects into their own meshes"
                        onClick={() => splats.segmentAsync()}
                    />
                    {splats.labels && (
                        <TextPropertyLine
                            label="Objects"
                            value={prompts.objects
                                .filter((object) => splats.labelOf(object.id) !== null)
                                .map((object) => `${object.name}: ${object.splats} splats`)
                                .join(", ")}
                        />
                    )}
                    <div style={{ display: "flex", flexWrap: "wrap", gap: 4 }}>
                        {splats.labels && !split && <Button label="Separate" disabled={busy} title="Move each object's splats into its own mesh" onClick={() => splats.separate()} />}
                        {split && <Button label="Undo separation" disabled={busy} title="Put the objects' splats back into the source mesh" onClick={() => splats.undoSeparate()} />}
                        <Button label="Export .ply" disabled={label === null} title="The object's splats with the file's own records" onClick={() => DownloadFile(splats.objectFiles(active.id).exportPly(), `${name}-${active.name.replace(/\s+/g, "-")}.ply`)} />
                        <Button label="Export .spz" disabled={label === null} onClick={() => splats.objectFiles(active.id).exportSpzAsync().then((bytes) => DownloadFile(bytes, `${name}-${active.name.replace(/\s+/g, "-")}.spz`), report)} />
                        <Button label="Make mesh" disabled={label === null || busy} title="A triangle mesh of the object's splats (their opacity's iso-surface, vertex colours), over them in the scene" onClick={() => splats.extractMeshAsync(active.id)} />
                        {splats.meshes.meshOf(active.id) && <Button label="Export .glb" onClick={() => splats.meshes.exportGlbAsync(active.id).then((blob) => DownloadFile(blob, `${name}-${active.name.replace(/\s+/g, "-")}.glb`), report)} />}
                    </div>
                    {part && <TextPropertyLine label="Mesh" value={`"${part.mesh.name}": ${part.sourceIndices.length} splats, pickable (move it with the gizmo)`} />}
                </>
            )}
        </div>
    );
};

/**
 * An object's prompts in words, for its button.
 * @param clicks how many clicks
 * @param box whether it has a box
 * @returns e.g. "2 clicks, box"
 */
function PromptCount(clicks: number, box: boolean): string {
    const words = clicks > 0 ? [`${clicks} click${clicks === 1 ? "" : "s"}`] : [];
    return [...words, ...(box ? ["box"] : [])].join(", ");
}

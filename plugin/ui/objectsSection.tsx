import { useRef, type FunctionComponent } from "react";
import { Button, TextPropertyLine } from "@babylonjs/inspector";
import type { SanerfPlugin } from "../sanerfPlugin";
import type { ObjectAsset, ObjectViewMode } from "../workspace/objectAssets";
import { AssetDragType } from "../workspace/viewportDrop";
import { DownloadFile } from "./downloadFile";

const Modes: { mode: ObjectViewMode; label: string }[] = [
    { mode: "both", label: "Both" },
    { mode: "object", label: "Object only" },
    { mode: "without", label: "Scene without" },
];

/**
 * One asset of the strip: a draggable thumbnail (drop it on the viewport to place a copy on the
 * surface under the cursor), its figures, view mode, and GLB and field-file (or .ply / .spz) export.
 * @param props the plugin and the asset
 * @param props.plugin the plugin
 * @param props.asset the asset
 * @returns the row
 */
const AssetRow: FunctionComponent<{ plugin: SanerfPlugin; asset: ObjectAsset }> = ({ plugin, asset }) => {
    const objects = plugin.workspace.objects;
    const mode = ((asset.splat?.mesh ?? asset.objectNode)?.metadata?.sanerfViewMode as ObjectViewMode | undefined) ?? "both";
    const splat = asset.splat;
    const figures = asset.extraction ? `${asset.extraction.triangles} triangles (collider ${asset.extraction.collisionTriangles}), ${asset.extraction.seconds.toFixed(1)} s` : splat ? "splats only" : "field only";
    const report = (error: unknown): void => void plugin.workspace.reportError((error as Error).message);
    return (
        <div data-testid={`sanerf-asset-${asset.id}`} style={{ display: "flex", gap: 6, alignItems: "flex-start", padding: "4px 0", borderTop: "1px solid rgba(127,127,127,0.25)" }}>
            <div
                draggable
                title="Drag onto the viewport to place a copy"
                aria-label={`asset ${asset.name}`}
                role="img"
                onDragStart={(event) => {
                    event.dataTransfer.setData(AssetDragType, String(asset.id));
                    event.dataTransfer.effectAllowed = "copy";
                }}
                style={{ width: 56, height: 56, flex: "none", cursor: "grab", borderRadius: 4, background: asset.thumbnail ? `center / cover url(${asset.thumbnail})` : "rgba(127,127,127,0.3)" }}
            />
            <div style={{ display: "flex", flexDirection: "column", gap: 2, minWidth: 0 }}>
                <strong style={{ fontSize: 12 }}>{asset.name}</strong>
                <span style={{ fontSize: 11 }}>
                    {splat ? `${Math.round((splat.mesh.splatsData?.byteLength ?? 0) / 32)} splats · ` : ""}
                    {figures}
                    {asset.placed.length > 0 ? ` · ${asset.placed.length} placed` : ""}
                </span>
                {(asset.objectNode?.sourceNode || splat?.source) && (
                    <div style={{ display: "flex", gap: 2, flexWrap: "wrap" }}>
                        {Modes.map((m) => (
                            <Button key={m.mode} label={m.label} appearance={mode === m.mode ? "primary" : "subtle"} onClick={() => objects.setViewMode(asset, m.mode)} />
                        ))}
                    </div>
                )}
                <div style={{ display: "flex", gap: 2, flexWrap: "wrap" }}>
                    <Button label="Export GLB" disabled={!asset.mesh} onClick={() => objects.exportGlbAsync(asset).then((blob) => DownloadFile(blob, `${asset.name}.glb`), report)} />
                    {splat ? (
                        <>
                            <Button label="Export .ply" onClick={() => DownloadFile(splat.exportPly(), `${asset.name}.ply`)} />
                            <Button label="Export .spz" onClick={() => splat.exportSpzAsync().then((bytes) => DownloadFile(bytes, `${asset.name}.spz`), report)} />
                        </>
                    ) : (
                        <Button label="Save field" disabled={!asset.objectNode?.field} onClick={() => objects.saveFieldAsync(asset).then((bytes) => DownloadFile(bytes, `${asset.name}.snrf`), report)} />
                    )}
                </div>
            </div>
        </div>
    );
};

/**
 * Objects section of the plugin pane: make the active fused object a scene object (NerfObjectNode
 * plus an extracted mesh), the asset strip (splat objects separated in the splat section too), and
 * importing .glb, splat and field files (or drop them on the viewport).
 * @param props the plugin
 * @param props.plugin the plugin
 * @returns the section
 */
export const ObjectsSection: FunctionComponent<{ plugin: SanerfPlugin }> = ({ plugin }) => {
    const workspace = plugin.workspace;
    const files = useRef<HTMLInputElement>(null);
    const session = workspace.promptTool?.session;
    const fused = session ? workspace.fusion.result(session.activeObject.id) : undefined;
    const assets = workspace.objects.assets;
    return (
        <div data-testid="sanerf-objects-section" style={{ display: "flex", flexDirection: "column", gap: 4 }}>
            <div style={{ display: "flex", gap: 4, flexWrap: "wrap" }}>
                <Button label="Make scene object" appearance="primary" disabled={!fused || workspace.task !== null} title="Cut the fused object out of the capture as a movable NerfObjectNode and extract its mesh" onClick={() => workspace.makeSceneObjectAsync()} />
                <Button label="Import…" title="Import .glb, splat (.ply, .splat, .spz, .sog, splat .glb) or field (.snrf) files" onClick={() => files.current?.click()} />
            </div>
            <input
                ref={files}
                type="file"
                accept=".glb,.snrf,.bin,.ply,.splat,.spz,.sog"
                multiple
                style={{ display: "none" }}
                onChange={(event) => {
                    const picked = [...(event.target.files ?? [])];
                    void workspace.objects.importFilesAsync(picked).then(({ errors }) => errors.length > 0 && workspace.reportError(errors.join("; ")));
                }}
            />
            {workspace.notice && <TextPropertyLine label="Last action" value={workspace.notice} />}
            {assets.length === 0 ? <span style={{ fontSize: 12, opacity: 0.7 }}>No objects yet: fuse one in the prompt tool and make it a scene object, or segment a splat scene.</span> : assets.map((asset) => <AssetRow key={asset.id} plugin={plugin} asset={asset} />)}
        </div>
    );
};

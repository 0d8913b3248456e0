import { useCallback, useState, type FunctionComponent } from "react";
import { ButtonLine, MessageBar, SwitchPropertyLine, SyncedSliderPropertyLine, TextPropertyLine, useObservableState } from "@babylonjs/inspector";
import { NerfNode } from "../scene/nerfNode";

/**
 * Properties-pane section for a NerfNode: grid, bounds, provenance, render quality, bounds box,
 * and an on-demand samples-per-pixel estimate for the active camera.
 * @param props the selected node
 * @param props.context the NerfNode
 * @returns the section's content
 */
export const NerfNodeProperties: FunctionComponent<{ context: NerfNode }> = ({ context: node }) => {
    const field = useObservableState(
        useCallback(() => node.field, [node]),
        node.onFieldChangedObservable
    );
    const [, refresh] = useState(0);
    const [samples, setSamples] = useState<string>("not measured");
    const measure = async (): Promise<void> => {
        const camera = node.getScene().activeCamera;
        if (!camera || !node.field) {
            return;
        }
        const engine = node.getScene().getEngine();
        const width = 160;
        const height = Math.max(1, Math.round((160 * engine.getRenderHeight()) / Math.max(1, engine.getRenderWidth())));
        const view = await node.renderOffscreenAsync(camera, { width, height });
        setSamples(`${view.samplesPerRay.toFixed(1)} per pixel (${width}x${height} probe)`);
    };
    if (node.loadError) {
        return <MessageBar intent="error" title="Field not loaded" message={node.loadError} />;
    }
    if (!field) {
        return <MessageBar intent="info" message="No field yet: train one or load a field file." />;
    }
    const p = field.params;
    const fmt = (v: readonly number[]): string => v.map((x) => x.toFixed(2)).join(", ");
    return (
        <div data-testid="nerf-node-properties">
            <TextPropertyLine label="Grid" value={p.gridSize.join(" x ")} />
            <TextPropertyLine label="Bounds" value={`[${fmt(p.boundsMin)}] .. [${fmt(p.boundsMax)}]`} />
            <TextPropertyLine label="Step" value={p.stepSize.toFixed(4)} />
            <TextPropertyLine label="Background" value={field.background} />
            <TextPropertyLine label="Iterations" value={String(field.metadata.iterations)} />
            {field.metadata.psnr !== undefined && <TextPropertyLine label="Holdout PSNR" value={`${field.metadata.psnr.toFixed(2)} dB`} />}
            <SyncedSliderPropertyLine label="Step scale (still)" value={node.quality.stillStepScale} min={0.5} max={4} step={0.25} onChange={(value) => ((node.quality.stillStepScale = value), refresh((n) => n + 1))} />
            <SyncedSliderPropertyLine label="Step scale (moving)" value={node.quality.movingStepScale} min={1} max={8} step={0.5} onChange={(value) => ((node.quality.movingStepScale = value), refresh((n) => n + 1))} />
            <SwitchPropertyLine label="Adaptive quality" value={node.quality.adaptive} onChange={(value) => ((node.quality.adaptive = value), refresh((n) => n + 1))} />
            <SwitchPropertyLine label="Show bounds" value={node.showBounds} onChange={(value) => ((node.showBounds = value), refresh((n) => n + 1))} />
            <TextPropertyLine label="Samples" value={samples} />
            <ButtonLine label="Measure samples per pixel" onClick={measure} />
        </div>
    );
};

/**
 * Type guard for the properties service predicate.
 * @param entity the selected entity
 * @returns whether it is a NerfNode
 */
export function IsNerfNode(entity: unknown): entity is NerfNode {
    return entity instanceof NerfNode;
}

import { useRef, useState, type FunctionComponent } from "react";
import { Button, SwitchPropertyLine, SyncedSliderPropertyLine, TextPropertyLine } from "@babylonjs/inspector";
import type { SanerfPlugin } from "../sanerfPlugin";
import { TrainingCurve } from "./trainingCurve";
import { DownloadFile } from "./downloadFile";

/**
 * Radiance-field section of the plugin pane: train (iterations, resolution, whole scene or box,
 * per-photo appearance: both preset from the capture as the pipeline's "auto" chooses), pause,
 * resume, stop, the PSNR curve, and saving / loading the field file.
 * @param props the plugin
 * @param props.plugin the plugin whose workspace trains
 * @returns the section
 */
export const FieldSection: FunctionComponent<{ plugin: SanerfPlugin }> = ({ plugin }) => {
    const workspace = plugin.workspace;
    const [iterations, setIterations] = useState(workspace.config.train.budget.iterations);
    const [resolution, setResolution] = useState(workspace.config.train.budget.gridResolution);
    // null: as configured ("auto": as the capture suggests)
    const [wholeScene, setWholeScene] = useState<boolean | null>(null);
    const [perPhoto, setPerPhoto] = useState<boolean | null>(null);
    const capture = workspace.capture;
    const configured = workspace.config.train;
    const wholeSceneShown = wholeScene ?? (configured.sceneModel === "auto" ? (capture?.wholeScene.unbounded ?? false) : configured.sceneModel === "contracted");
    const perPhotoShown = perPhoto ?? (configured.appearance === "auto" ? capture?.background === "none" : configured.appearance === "per-photo");
    const fileInput = useRef<HTMLInputElement>(null);
    const trainer = workspace.trainer;
    const training = trainer?.status === "running" || trainer?.status === "paused";
    const history = workspace.trainingHistory;
    const last = history[history.length - 1];
    const download = async (): Promise<void> => {
        const bytes = await workspace.saveFieldAsync();
        if (bytes) {
            DownloadFile(bytes, `${workspace.nerfNode?.name ?? "field"}.field.bin`);
        }
    };
    return (
        <div data-testid="sanerf-field-section" style={{ display: "flex", flexDirection: "column", gap: 4 }}>
            <SyncedSliderPropertyLine label="Iterations" value={iterations} min={100} max={10000} step={100} onChange={setIterations} />
            <SyncedSliderPropertyLine label="Grid resolution" value={resolution} min={32} max={160} step={16} onChange={setResolution} />
            <SwitchPropertyLine label="Whole scene" description="Model everything the photos see (the box finely, the rest contracted) instead of the box alone" value={wholeSceneShown} onChange={setWholeScene} />
            <SwitchPropertyLine label="Per-photo appearance" description="Learn each photo's exposure and white balance, so differences between shots stay out of the field" value={perPhotoShown} onChange={setPerPhoto} />
            <div style={{ display: "flex", flexWrap: "wrap", gap: 4 }}>
                <Button label="Train" appearance="primary" disabled={!workspace.capture || workspace.task !== null || !plugin.capabilities.webGpuAdapter} title={plugin.capabilities.webGpuAdapter ? "Train a radiance field on the capture" : "Training needs WebGPU"} onClick={() => workspace.trainAsync({ iterations, gridResolution: resolution }, { ...(wholeScene === null ? {} : { sceneModel: wholeScene ? "contracted" : "bounded" }), ...(perPhoto === null ? {} : { appearance: perPhoto ? "per-photo" : "none" }) })} />
                {training && trainer?.status === "running" && <Button label="Pause" onClick={() => workspace.pauseTraining()} />}
                {training && trainer?.status === "paused" && <Button label="Resume" onClick={() => workspace.resumeTraining()} />}
                {training && <Button label="Stop" onClick={() => trainer?.stop()} />}
                {!training && workspace.training.resumableIteration !== null && (
                    <Button label={`Continue from iteration ${workspace.training.resumableIteration}`} title="Continue the last training from its checkpoint (on a new GPU device if the old one was lost)" disabled={workspace.task !== null} onClick={() => workspace.resumeTrainingFromCheckpointAsync()} />
                )}
            </div>
            {last && <TextPropertyLine label="Training" value={`it ${last.iteration}: ${last.psnr.toFixed(2)} dB, ${last.samplesPerRay.toFixed(1)} samples/ray`} />}
            {trainer && <TrainingCurve history={history} iterations={trainer.options.budget.iterations} />}
            <div style={{ display: "flex", flexWrap: "wrap", gap: 4 }}>
                <Button label="Save field" disabled={!workspace.nerfNode?.field} onClick={download} />
                <Button label="Load field…" disabled={workspace.task !== null} onClick={() => fileInput.current?.click()} />
            </div>
            <input
                ref={fileInput}
                type="file"
                accept=".bin"
                style={{ display: "none" }}
                onChange={async (event) => {
                    const file = event.target.files?.[0];
                    if (file) {
                        await workspace.loadFieldAsync(await file.arrayBuffer(), file.name);
                    }
                }}
            />
        </div>
    );
};

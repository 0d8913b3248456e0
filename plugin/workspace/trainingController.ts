import type { Scene } from "@babylonjs/core/scene";
import type { Capture } from "../core/capture/captureTypes";
import type { GpuContext } from "../core/gpu/gpuContext";
import type { NerfTrainer, TrainingStepEvent } from "../core/nerf/nerfTrainer";
import type { RadianceFieldData } from "../core/nerf/radianceFieldData";
import { ReadRadianceFieldAsync, WriteRadianceFieldAsync } from "../core/nerf/radianceFieldFile";
import type { TrainerOptions } from "../core/nerf/trainerOptions";
import { CreateTrainerStageAsync, ExportTrainedFieldAsync } from "../core/pipeline/trainStage";
import { NerfNode } from "../scene/nerfNode";
import { CreateTrainingContextAsync } from "../scene/trainingContext";
import { ConnectTrainingPreview } from "../scene/trainingPreview";

/**
 * The workspace's radiance field: trains one on a capture through the pipeline's training stage
 * (on a WebGPU device of its own), shows it live in a NerfNode, pauses and resumes, saves and loads
 * field files. A failed training or a bad file leaves the node and its field as they were. The
 * trainer takes a checkpoint every `checkpointInterval` iterations; when training fails (a lost
 * device, say), the device is dropped and {@link resumeAsync} continues from the last checkpoint
 * on a new one, without reloading anything.
 */
export class TrainingController {
    private readonly _scene: Scene;
    private readonly _changed: () => void;
    private _node: NerfNode | null = null;
    private _trainer: NerfTrainer | null = null;
    private _context: GpuContext | null = null;
    private _history: TrainingStepEvent[] = [];
    private _resumable: { capture: Capture; options: TrainerOptions; checkpoint: RadianceFieldData } | null = null;

    /**
     * @param scene the scene the node lives in
     * @param changed called on every change visible in the UI
     */
    public constructor(scene: Scene, changed: () => void) {
        this._scene = scene;
        this._changed = changed;
    }

    /** The node showing the field, or null. */
    public get node(): NerfNode | null {
        return this._node && !this._node.isDisposed() ? this._node : null;
    }

    /** The trainer (null before training, and after a field was loaded from a file). */
    public get trainer(): NerfTrainer | null {
        return this._trainer;
    }

    /** Step events of the current run (the loss curve). */
    public get history(): readonly TrainingStepEvent[] {
        return this._history;
    }

    /** The WebGPU context training runs on (null before the first run, and after its device was lost). */
    public get context(): GpuContext | null {
        return this._context;
    }

    /** The checkpoint a failed or stopped run can continue from (its iteration), or null. */
    public get resumableIteration(): number | null {
        return this._resumable?.checkpoint.metadata.iterations ?? null;
    }

    /**
     * Trains a field on the capture's training frames, shown live in the node.
     * @param capture the capture
     * @param options the trainer settings (the pipeline's, with the pane's overrides)
     * @param setProgress progress 0..1
     * @returns the node
     */
    public async trainAsync(capture: Capture, options: TrainerOptions, setProgress: (value: number) => void): Promise<NerfNode> {
        return this._runAsync(capture, options, setProgress);
    }

    /**
     * Continues the last failed or stopped run from its checkpoint, on a new device when the old
     * one was lost (same capture and settings; the iterations count on from the checkpoint's).
     * @param setProgress progress 0..1
     * @returns the node
     * @throws Error when there is no checkpoint to continue from
     */
    public async resumeAsync(setProgress: (value: number) => void): Promise<NerfNode> {
        const resumable = this._resumable;
        if (!resumable) {
            throw new Error("there is no training checkpoint to continue from");
        }
        return this._runAsync(resumable.capture, resumable.options, setProgress, resumable.checkpoint);
    }

    private async _runAsync(capture: Capture, options: TrainerOptions, setProgress: (value: number) => void, start?: RadianceFieldData): Promise<NerfNode> {
        if (this._context?.lostInfo) {
            // a lost device never comes back: the next run starts on a new one
            this._context.dispose();
            this._context = null;
        }
        this._context ??= await CreateTrainingContextAsync();
        this._trainer?.dispose();
        this._trainer = null;
        this._resumable = null;
        const trainer = await CreateTrainerStageAsync(this._context, capture, options, start);
        this._trainer = trainer;
        this._history = [];
        const node = this.node ?? new NerfNode(`${capture.name} field`, this._scene);
        this._node = node;
        const disconnect = ConnectTrainingPreview(node, trainer, { everyIterations: Math.max(100, Math.round(trainer.options.budget.iterations / 20)) });
        trainer.onStep.add((step) => {
            this._history = [...this._history, step];
            setProgress(step.iteration / step.iterations);
        });
        try {
            const result = await trainer.trainAsync();
            const field = await ExportTrainedFieldAsync(trainer, capture);
            node.setField(field);
            if (result.stopped) {
                this._resumable = { capture, options, checkpoint: field };
            }
        } catch (error) {
            const checkpoint = trainer.lastCheckpoint;
            if (checkpoint && checkpoint.metadata.iterations > (start?.metadata.iterations ?? -1)) {
                this._resumable = { capture, options, checkpoint };
                node.setField(checkpoint);
            } else if (start) {
                this._resumable = { capture, options, checkpoint: start };
            }
            if (this._context?.lostInfo) {
                this._context.dispose();
                this._context = null;
            }
            throw error;
        } finally {
            disconnect();
        }
        return node;
    }

    /** Pauses training. */
    public pause(): void {
        this._trainer?.pause();
        this._changed();
    }

    /** Resumes training. */
    public resume(): void {
        this._trainer?.resume();
        this._changed();
    }

    /** Stops training (the field trained so far is kept). */
    public stop(): void {
        this._trainer?.stop();
    }

    /**
     * The shown field as a file.
     * @returns the bytes, or null when there is no field
     */
    public async saveFieldAsync(): Promise<Uint8Array | null> {
        const field = this.node?.field;
        return field ? WriteRadianceFieldAsync(field) : null;
    }

    /**
     * Loads a field file into the node (a bad file leaves the current field alone).
     * @param bytes the file
     * @param name its name, for messages
     * @param onWarning called for a file that loads but should be saved again (an old format version)
     * @returns the node
     */
    public async loadFieldAsync(bytes: ArrayBuffer, name: string, onWarning?: (message: string) => void): Promise<NerfNode> {
        const field = await ReadRadianceFieldAsync(bytes, name, onWarning);
        const node = this.node ?? new NerfNode(name.replace(/\.[^.]+$/, ""), this._scene);
        this._node = node;
        node.setField(field);
        return node;
    }

    /** Releases the trainer and the device (the node stays in the scene). */
    public dispose(): void {
        this._trainer?.dispose();
        this._context?.dispose();
    }
}

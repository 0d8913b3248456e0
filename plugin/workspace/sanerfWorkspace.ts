import type { Scene } from "@babylonjs/core/scene";
import { Observable } from "@babylonjs/core/Misc/observable";
import { ImageDecoderPool } from "../services/imageDecoderPool";
import { LoadCaptureAsync } from "../core/capture/captureLoader";
import type { CaptureSource } from "../core/capture/captureSource";
import type { Capture } from "../core/capture/captureTypes";
import { SplitHoldout } from "../core/capture/holdout";
import type { GpuContext } from "../core/gpu/gpuContext";
import { NerfTrainer, type TrainingStepEvent } from "../core/nerf/nerfTrainer";
import { ReadRadianceFieldAsync, WriteRadianceFieldAsync } from "../core/nerf/radianceFieldFile";
import type { TrainingBudget } from "../core/nerf/trainerOptions";
import { NerfNode } from "../scene/nerfNode";
import { FieldViewFromCamera } from "../scene/fieldViews";
import { ConnectTrainingPreview } from "../scene/trainingPreview";
import { CreateTrainingContextAsync } from "../scene/trainingContext";
import { SamService } from "../services/samService";
import { PromptTool } from "../prompt/promptTool";
import type { SamModelFamily, SamModelInfo } from "../core/sam/samTypes";
import { ObjectFusionController, type FusedObject } from "./objectFusionController";
import { ObjectAssets, type ObjectAsset } from "./objectAssets";
import { InstallViewportDrop } from "./viewportDrop";
import { ObjectThumbnail } from "./objectThumbnail";

/** Long work in progress, shown with a progress bar and a cancel button. */
export interface WorkspaceTask {
    /** What is running ("Loading capture", "Training"). */
    readonly label: string;
    /** 0..1, or null when unknown. */
    readonly progress: number | null;
    /** Cancels it. */
    readonly cancel: () => void;
}

/**
 * The plugin's working state for one scene: the loaded capture, the radiance field being trained
 * (and the NerfNode showing it), the running task and the last error. UI panes observe
 * `onChangedObservable`; nothing the user has (field, node) is dropped when a task fails.
 */
export class SanerfWorkspace {
    /** Fires on every change visible in the UI. */
    public readonly onChangedObservable = new Observable<SanerfWorkspace>();
    /** The scene worked in. */
    public readonly scene: Scene;
    private _capture: Capture | null = null;
    private _node: NerfNode | null = null;
    private _trainer: NerfTrainer | null = null;
    private _context: GpuContext | null = null;
    private _task: WorkspaceTask | null = null;
    private _error: string | null = null;
    private _history: TrainingStepEvent[] = [];
    private _sam: SamService | null = null;
    private _promptTool: PromptTool | null = null;
    private _fusion: ObjectFusionController | null = null;
    private _objects: ObjectAssets | null = null;
    private readonly _removeDrop: () => void;
    private _notice: string | null = null;

    /** @param scene the scene */
    public constructor(scene: Scene) {
        this.scene = scene;
        this._removeDrop = InstallViewportDrop(scene, this.objects, (result) => {
            this._error = result.errors && result.errors.length > 0 ? result.errors.join("; ") : null;
            this._notice = result.placed ? `Placed ${result.placed}` : result.imported ? `Imported ${result.imported.join(", ")}` : null;
            this._changed();
        });
    }

    /** The scene-object library: objects cut from captures, their meshes, imports (the asset strip). */
    public get objects(): ObjectAssets {
        if (!this._objects) {
            this._objects = new ObjectAssets(this.scene);
            this._objects.onChangedObservable.add(() => this._changed());
        }
        return this._objects;
    }

    /** The last informational message ("Placed ..."), or null. */
    public get notice(): string | null {
        return this._notice;
    }

    /**
     * Makes the active fused object a scene object: a NerfObjectNode in place (the capture shown
     * without it), its mesh extracted in a worker, listed in the asset strip.
     * @param resolution extraction grid points along the object's longest axis
     * @returns the asset, or null on error (nothing in the scene is lost)
     */
    public async makeSceneObjectAsync(resolution = 128): Promise<ObjectAsset | null> {
        const tool = this._promptTool;
        const node = this._node;
        const object = tool?.session.activeObject;
        const fused = object ? this._fusion?.result(object.id) : undefined;
        if (!tool || !node || !object || !fused || !this._capture) {
            this._error = "Fuse the object into 3-D first (prompt tool: propagate, then fuse).";
            this._changed();
            return null;
        }
        const capture = this._capture;
        const controller = new AbortController();
        return this._runAsync({ label: `Extracting "${object.name}"`, progress: null, cancel: () => controller.abort() }, async () => {
            const asset = await this.objects.createFromFusionAsync(node, fused.field, 1, object.name, controller.signal);
            await this.objects.extractMeshAsync(asset, { resolution }, controller.signal);
            asset.thumbnail = ObjectThumbnail(capture, fused.frameMasks, object.color);
            return asset;
        });
    }

    /** The loaded capture. */
    public get capture(): Capture | null {
        return this._capture;
    }

    /** The node showing the field. */
    public get nerfNode(): NerfNode | null {
        return this._node;
    }

    /** The trainer (null when no training was started or after a field was loaded from a file). */
    public get trainer(): NerfTrainer | null {
        return this._trainer;
    }

    /** Running task, or null. */
    public get task(): WorkspaceTask | null {
        return this._task;
    }

    /** The last error message, or null. */
    public get error(): string | null {
        return this._error;
    }

    /** Training step events of the current run (for the loss curve). */
    public get trainingHistory(): readonly TrainingStepEvent[] {
        return this._history;
    }

    /** The segmentation service (created on first use). */
    public get sam(): SamService {
        this._sam ??= new SamService();
        return this._sam;
    }

    /** The loaded segmentation model, or null. */
    public get samModel(): SamModelInfo | null {
        return this._sam?.model ?? null;
    }

    /** The mask aggregator (created on first use); its results outlive the prompt tool. */
    public get fusion(): ObjectFusionController {
        this._fusion ??= new ObjectFusionController();
        return this._fusion;
    }

    /**
     * Fuses the active object's propagated masks into a 3-D object field in the fusion worker (a
     * second run refines the object's field), then renders it into every capture frame.
     * @returns the result, or null on error or cancel (the previous result stays)
     */
    public async fuseActiveObjectAsync(): Promise<FusedObject | null> {
        const tool = this._promptTool;
        const field = this._node?.field;
        if (!tool || !field || !this._capture) {
            this._error = "Open the prompt tool on a trained field first.";
            this._changed();
            return null;
        }
        const object = tool.session.activeObject;
        const capture = this._capture;
        const controller = new AbortController();
        const result = await this._runAsync({ label: `Fusing "${object.name}" into 3-D`, progress: 0, cancel: () => controller.abort() }, async (setProgress) =>
            this.fusion.fuseAsync(object, capture, field, (p) => setProgress(p.iteration / p.iterations), controller.signal)
        );
        if (result) {
            await this.showFusedInViewAsync();
        }
        return result;
    }

    /**
     * Draws the active object's fused mask over the current view (a capture frame: its rendered
     * mask; the free viewport: rendered now from the camera), or clears it when it was not fused.
     * @returns true when a mask is shown
     */
    public async showFusedInViewAsync(): Promise<boolean> {
        const tool = this._promptTool;
        const node = this._node;
        if (!tool || !node?.field) {
            return false;
        }
        const object = tool.session.activeObject;
        const result = this._fusion?.result(object.id);
        if (!result) {
            tool.overlay.showFusedMask(null);
            return false;
        }
        const view = tool.session.view;
        let mask = view.kind === "frame" ? result.frameMasks[view.index] : null;
        const camera = this.scene.activeCamera;
        if (!mask && camera) {
            const engine = this.scene.getEngine();
            const aspect = engine.getRenderWidth() / Math.max(1, engine.getRenderHeight());
            const size = tool.session.viewportSize;
            const fieldView = FieldViewFromCamera(node, camera, Math.round(aspect >= 1 ? size : size * aspect), Math.round(aspect >= 1 ? size / aspect : size));
            mask = await this.fusion.renderViewAsync(object.id, fieldView, node.field);
        }
        tool.overlay.showFusedMask(mask?.labels ?? null, mask?.width, mask?.height, object.color);
        return mask !== null;
    }

    /** The open prompt tool, or null. */
    public get promptTool(): PromptTool | null {
        return this._promptTool;
    }

    /**
     * Loads the built-in stand-in segmenter, or a SAM-family model from URLs or files.
     * @param source "builtin", URLs or files of the encoder and decoder
     * @param family the family, or undefined to detect it
     * @returns the model, or null on error (kept in {@link error}; the previous model is unloaded)
     */
    public async loadSamModelAsync(source: "builtin" | { encoder: string; decoder: string } | { encoder: File; decoder: File }, family?: SamModelFamily): Promise<SamModelInfo | null> {
        return this._runAsync({ label: "Loading the segmentation model", progress: null, cancel: () => undefined }, async () => {
            if (source === "builtin") {
                return this.sam.loadBuiltinAsync();
            }
            if (typeof source.encoder === "string") {
                return this.sam.loadFromUrlsAsync(source.encoder, source.decoder as string, family);
            }
            return this.sam.loadFromFilesAsync(source.encoder, source.decoder as File, family);
        });
    }

    /**
     * Opens the SAM prompt tool on the NerfNode (loads the built-in model first when none is loaded).
     * @returns the tool, or null when there is no field or capture yet
     */
    public async openPromptToolAsync(): Promise<PromptTool | null> {
        if (!this._node?.field || !this._capture) {
            this._error = "Load a capture and train (or load) a field first.";
            this._changed();
            return null;
        }
        if (!this.sam.model && !(await this.loadSamModelAsync("builtin"))) {
            return null;
        }
        this._promptTool?.dispose();
        this._promptTool = new PromptTool(this.scene, this._node, this._capture, this.sam, {
            onPropagateRequested: () => void this.propagateAsync(),
            onFuseRequested: () => void this.fuseActiveObjectAsync(),
            onCloseRequested: () => this.closePromptTool(),
            onError: (error) => {
                this._error = (error as Error).message;
                this._changed();
            },
        });
        let shownView = "";
        this._promptTool.session.onChangedObservable.add((session) => {
            const key = `${session.activeObject.id}:${session.view.kind === "frame" ? session.view.index : "viewport"}`;
            if (key !== shownView && this._fusion?.result(session.activeObject.id)) {
                shownView = key;
                void this.showFusedInViewAsync().catch((error) => ((this._error = (error as Error).message), this._changed()));
            }
            this._changed();
        });
        this._changed();
        return this._promptTool;
    }

    /** Closes the prompt tool (objects and masks are kept in the session until reopened). */
    public closePromptTool(): void {
        this._promptTool?.dispose();
        this._promptTool = null;
        this._changed();
    }

    /**
     * Propagates the active object's prompts to every capture frame.
     * @returns true when done
     */
    public async propagateAsync(): Promise<boolean> {
        const tool = this._promptTool;
        if (!tool) {
            return false;
        }
        const controller = new AbortController();
        const report = await this._runAsync({ label: "Propagating to all views", progress: 0, cancel: () => controller.abort() }, async (setProgress) =>
            tool.session.propagateAsync((done, total) => setProgress(done / total), controller.signal)
        );
        return report !== null;
    }

    /**
     * Shows an error message in the pane.
     * @param message what went wrong
     */
    public reportError(message: string): void {
        this._error = message;
        this._changed();
    }

    /** Clears the error message. */
    public dismissError(): void {
        this._error = null;
        this._changed();
    }

    /**
     * Loads a capture (images decoded in workers), replacing the previous one only on success.
     * @param source where the files are
     * @param maxSide longest image side
     * @returns the capture
     */
    public async loadCaptureAsync(source: CaptureSource, maxSide = 200): Promise<Capture | null> {
        const controller = new AbortController();
        const pool = new ImageDecoderPool();
        return this._runAsync({ label: `Loading ${source.name}`, progress: 0, cancel: () => controller.abort() }, async (setProgress) => {
            try {
                const capture = await LoadCaptureAsync(source, { maxSide, signal: controller.signal, decodeImage: (request, signal) => pool.decodeAsync(request, signal), onProgress: (done, total) => setProgress(done / total) });
                this._capture = capture;
                return capture;
            } finally {
                pool.dispose();
            }
        });
    }

    /**
     * Trains a field on the capture's training views and shows it live in a NerfNode.
     * @param budget iterations, rays per batch, grid resolution
     * @returns the node, or null when training failed (the error is kept in {@link error})
     */
    public async trainAsync(budget: Partial<TrainingBudget> = {}): Promise<NerfNode | null> {
        const capture = this._capture;
        if (!capture) {
            this._error = "Load a capture first.";
            this._changed();
            return null;
        }
        return this._runAsync({ label: "Training", progress: 0, cancel: () => this._trainer?.stop() }, async (setProgress) => {
            this._context ??= await CreateTrainingContextAsync(this.scene);
            this._trainer?.dispose();
            const { train } = SplitHoldout(capture.frames.length);
            const trainer = await NerfTrainer.CreateAsync(this._context, train.map((i) => capture.frames[i]), capture.bounds, capture.background, { budget });
            this._trainer = trainer;
            this._history = [];
            const node = this._node && !this._node.isDisposed() ? this._node : new NerfNode(`${capture.name} field`, this.scene);
            this._node = node;
            const disconnect = ConnectTrainingPreview(node, trainer, { everyIterations: Math.max(100, Math.round(trainer.options.budget.iterations / 20)) });
            trainer.onStep.add((step) => {
                this._history = [...this._history, step];
                setProgress(step.iteration / step.iterations);
            });
            try {
                await trainer.trainAsync();
                node.setField(await trainer.exportFieldAsync());
            } finally {
                disconnect();
            }
            return node;
        });
    }

    /** Pauses training. */
    public pauseTraining(): void {
        this._trainer?.pause();
        this._changed();
    }

    /** Resumes training. */
    public resumeTraining(): void {
        this._trainer?.resume();
        this._changed();
    }

    /**
     * The shown field as a file.
     * @returns the bytes, or null when there is no field
     */
    public async saveFieldAsync(): Promise<Uint8Array | null> {
        const field = this._node?.field;
        return field ? WriteRadianceFieldAsync({ ...field, metadata: { ...field.metadata, captureName: this._capture?.name } }) : null;
    }

    /**
     * Loads a field file into the node (a bad file leaves the current field alone).
     * @param bytes the file
     * @param name its name, for messages
     * @returns the node, or null on error
     */
    public async loadFieldAsync(bytes: ArrayBuffer, name: string): Promise<NerfNode | null> {
        return this._runAsync({ label: `Loading ${name}`, progress: null, cancel: () => undefined }, async () => {
            const field = await ReadRadianceFieldAsync(bytes, name);
            this._node = this._node && !this._node.isDisposed() ? this._node : new NerfNode(name.replace(/\.[^.]+$/, ""), this.scene);
            this._node.setField(field);
            return this._node;
        });
    }

    /** Stops work and releases the trainer and device (the node stays in the scene). */
    public dispose(): void {
        this._task?.cancel();
        this._promptTool?.dispose();
        this._sam?.dispose();
        this._fusion?.dispose();
        this._objects?.dispose();
        this._removeDrop();
        this._trainer?.dispose();
        this._context?.dispose();
        this.onChangedObservable.clear();
    }

    private async _runAsync<T>(task: WorkspaceTask, work: (setProgress: (value: number) => void) => Promise<T>): Promise<T | null> {
        this._task = task;
        this._error = null;
        this._changed();
        let last = 0;
        const setProgress = (value: number): void => {
            this._task = { ...task, progress: value };
            if (performance.now() - last > 100 || value >= 1) {
                last = performance.now();
                this._changed();
            }
        };
        try {
            return await work(setProgress);
        } catch (error) {
            this._error = (error as Error).name === "AbortError" ? `${task.label} was cancelled.` : (error as Error).message;
            return null;
        } finally {
            this._task = null;
            this._changed();
        }
    }

    private _changed(): void {
        this.onChangedObservable.notifyObservers(this);
    }
}

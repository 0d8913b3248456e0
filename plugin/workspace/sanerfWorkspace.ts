import type { Scene } from "@babylonjs/core/scene";
import { Observable } from "@babylonjs/core/Misc/observable";
import type { CaptureSource } from "../core/capture/captureSource";
import type { Capture } from "../core/capture/captureTypes";
import type { NerfTrainer, TrainingStepEvent } from "../core/nerf/nerfTrainer";
import type { TrainerOptions, TrainingBudget } from "../core/nerf/trainerOptions";
import { LoadCaptureStageAsync } from "../core/pipeline/captureStage";
import { ResolvePipelineConfig, type PipelineConfig, type PipelineOverrides } from "../core/pipeline/pipelineConfig";
import type { SamModelFamily, SamModelInfo } from "../core/sam/samTypes";
import type { PromptTool } from "../prompt/promptTool";
import type { NerfNode } from "../scene/nerfNode";
import { FieldViewFromCamera } from "../scene/fieldViews";
import { ImageDecoderPool } from "../services/imageDecoderPool";
import type { SamService, SamServiceOptions } from "../services/samService";
import { ObjectAssets, type ObjectAsset } from "./objectAssets";
import { ObjectFusionController, type FusedObject } from "./objectFusionController";
import { ObjectThumbnail } from "./objectThumbnail";
import { SegmentationController, type SamModelSource } from "./segmentationController";
import { SplatSegmentationController } from "./splatSegmentationController";
import { TrainingController } from "./trainingController";
import { InstallViewportDrop } from "./viewportDrop";
import { WorkspaceTasks, type WorkspaceTask } from "./workspaceTasks";

export type { WorkspaceTask };

/**
 * The plugin's working state for one scene, and the editor's side of the one pipeline: it runs the
 * same stages (plugin/core/pipeline) with the same configuration as the CLI and the benchmarks,
 * through one small controller per stage (training, segmentation, fusion, scene objects), one
 * task at a time. UI panes observe `onChangedObservable`; nothing the user has (field, node,
 * masks, objects) is dropped when a task fails.
 */
export class SanerfWorkspace {
    /** Fires on every change visible in the UI. */
    public readonly onChangedObservable = new Observable<SanerfWorkspace>();
    /** The scene worked in. */
    public readonly scene: Scene;
    /** The pipeline's settings the workspace runs with (defaults plus the host's overrides). */
    public readonly config: PipelineConfig;
    /** The running task, last error and notice. */
    public readonly tasks: WorkspaceTasks;
    /** Radiance field: training, the NerfNode, field files. */
    public readonly training: TrainingController;
    /** Segmentation: the model and the prompt tool. */
    public readonly segmentation: SegmentationController;
    /** The mask aggregator; its results outlive the prompt tool. */
    public readonly fusion = new ObjectFusionController();
    /** The scene-object library: objects cut from captures, their meshes, imports (the asset strip). */
    public readonly objects: ObjectAssets;
    /** Gaussian splats: the loaded splat file, its views and prompts, separated objects. */
    public readonly splats: SplatSegmentationController;
    private _capture: Capture | null = null;
    private readonly _removeDrop: () => void;

    /**
     * @param scene the scene
     * @param overrides pipeline settings that differ from the defaults
     * @param samOptions the SAM worker's wasm location and provider preference
     */
    public constructor(scene: Scene, overrides: PipelineOverrides = {}, samOptions: SamServiceOptions = {}) {
        this.scene = scene;
        this.config = ResolvePipelineConfig(overrides);
        const changed = (): void => {
            this.onChangedObservable.notifyObservers(this);
        };
        this.tasks = new WorkspaceTasks(changed);
        this.training = new TrainingController(scene, changed);
        this.segmentation = new SegmentationController(scene, samOptions);
        this.objects = new ObjectAssets(scene);
        this.objects.onChangedObservable.add(changed);
        this.splats = new SplatSegmentationController({ scene, config: this.config, tasks: this.tasks, segmentation: this.segmentation, capture: () => this._capture, changed, assets: this.objects });
        this._removeDrop = InstallViewportDrop(scene, this.objects, (result) => {
            this.tasks.reportError(result.errors && result.errors.length > 0 ? result.errors.join("; ") : null);
            this.tasks.reportNotice(result.placed ? `Placed ${result.placed}` : result.imported ? `Imported ${result.imported.join(", ")}` : null);
        });
    }

    /** The loaded capture. */
    public get capture(): Capture | null {
        return this._capture;
    }

    /** The node showing the field. */
    public get nerfNode(): NerfNode | null {
        return this.training.node;
    }

    /** The trainer (null when no training was started or after a field was loaded from a file). */
    public get trainer(): NerfTrainer | null {
        return this.training.trainer;
    }

    /** Training step events of the current run (for the loss curve). */
    public get trainingHistory(): readonly TrainingStepEvent[] {
        return this.training.history;
    }

    /** Running task, or null. */
    public get task(): WorkspaceTask | null {
        return this.tasks.task;
    }

    /** The last error message, or null. */
    public get error(): string | null {
        return this.tasks.error;
    }

    /** The last informational message ("Placed ..."), or null. */
    public get notice(): string | null {
        return this.tasks.notice;
    }

    /** The segmentation service (created on first use). */
    public get sam(): SamService {
        return this.segmentation.sam;
    }

    /** The loaded segmentation model, or null. */
    public get samModel(): SamModelInfo | null {
        return this.segmentation.model;
    }

    /** The open prompt tool, or null. */
    public get promptTool(): PromptTool | null {
        return this.segmentation.tool;
    }

    /**
     * Loads a capture (images decoded in workers) with the pipeline's capture stage, replacing the
     * previous one only on success.
     * @param source where the files are
     * @param maxSide longest image side (default: the configuration's)
     * @returns the capture, or null on error
     */
    public async loadCaptureAsync(source: CaptureSource, maxSide = this.config.capture.maxSide): Promise<Capture | null> {
        const controller = new AbortController();
        const pool = new ImageDecoderPool();
        return this.tasks.runAsync({ label: `Loading ${source.name}`, progress: 0, cancel: () => controller.abort() }, async (setProgress) => {
            try {
                const capture = await LoadCaptureStageAsync(source, { maxSide }, { signal: controller.signal, decodeImage: (request, signal) => pool.decodeAsync(request, signal), onProgress: (done, total) => setProgress(done / total) });
                this._capture = capture;
                return capture;
            } finally {
                pool.dispose();
            }
        });
    }

    /**
     * Trains a field on the capture's training views and shows it live in a NerfNode.
     * @param budget iterations, grid... that differ from the configuration's
     * @param models the scene model and per-photo appearance, when they differ from the configuration's
     * @returns the node, or null when training failed (the error is kept in {@link error})
     */
    public async trainAsync(budget: Partial<TrainingBudget> = {}, models: Partial<Pick<TrainerOptions, "sceneModel" | "appearance">> = {}): Promise<NerfNode | null> {
        const capture = this._capture;
        if (!capture) {
            this.tasks.reportError("Load a capture first.");
            return null;
        }
        const options = ResolvePipelineConfig({ train: { budget, ...models } }, this.config).train;
        return this.tasks.runAsync({ label: "Training", progress: 0, cancel: () => this.training.stop() }, (setProgress) => this.training.trainAsync(capture, options, setProgress));
    }

    /**
     * Continues a failed (a lost device, say) or stopped training from its last checkpoint, on a
     * new device when the old one was lost.
     * @returns the node, or null when it failed again (the error is kept in {@link error})
     */
    public async resumeTrainingFromCheckpointAsync(): Promise<NerfNode | null> {
        return this.tasks.runAsync({ label: "Training", progress: 0, cancel: () => this.training.stop() }, (setProgress) => this.training.resumeAsync(setProgress));
    }

    /** Pauses training. */
    public pauseTraining(): void {
        this.training.pause();
    }

    /** Resumes training. */
    public resumeTraining(): void {
        this.training.resume();
    }

    /**
     * The shown field as a file.
     * @returns the bytes, or null when there is no field
     */
    public async saveFieldAsync(): Promise<Uint8Array | null> {
        return this.training.saveFieldAsync();
    }

    /**
     * Loads a field file into the node (a bad file leaves the current field alone).
     * @param bytes the file
     * @param name its name, for messages
     * @returns the node, or null on error
     */
    public async loadFieldAsync(bytes: ArrayBuffer, name: string): Promise<NerfNode | null> {
        return this.tasks.runAsync({ label: `Loading ${name}`, progress: null, cancel: () => undefined }, () => this.training.loadFieldAsync(bytes, name, (warning) => this.tasks.reportNotice(warning)));
    }

    /**
     * Loads the built-in stand-in segmenter, or a SAM-family model from URLs or files.
     * @param source "builtin", URLs or files of the encoder and decoder
     * @param family the family, or undefined to detect it
     * @returns the model, or null on error (the previous model is unloaded)
     */
    public async loadSamModelAsync(source: SamModelSource, family?: SamModelFamily): Promise<SamModelInfo | null> {
        return this.tasks.runAsync({ label: "Loading the segmentation model", progress: null, cancel: () => undefined }, () => this.segmentation.loadModelAsync(source, family));
    }

    /**
     * Opens the SAM prompt tool on the NerfNode (loads the built-in model first when none is loaded).
     * @returns the tool, or null when there is no field or capture yet
     */
    public async openPromptToolAsync(): Promise<PromptTool | null> {
        const node = this.nerfNode;
        const capture = this._capture;
        if (!node?.field || !capture) {
            this.tasks.reportError("Load a capture and train (or load) a field first.");
            return null;
        }
        if (!this.samModel && !(await this.loadSamModelAsync("builtin"))) {
            return null;
        }
        const tool = this.segmentation.openTool(node, capture, this.config.segment, {
            onPropagateRequested: () => void this.propagateAsync(),
            onFuseRequested: () => void this.fuseActiveObjectAsync(),
            onCloseRequested: () => this.closePromptTool(),
            onError: (error) => this.tasks.reportError((error as Error).message),
        });
        let shownView = "";
        tool.session.onChangedObservable.add((session) => {
            const key = `${session.activeObject.id}:${session.view.kind === "frame" ? session.view.index : "viewport"}`;
            if (key !== shownView && this.fusion.result(session.activeObject.id)) {
                shownView = key;
                void this.showFusedInViewAsync().catch((error) => this.tasks.reportError((error as Error).message));
            }
            this.onChangedObservable.notifyObservers(this);
        });
        this.onChangedObservable.notifyObservers(this);
        return tool;
    }

    /** Closes the prompt tool. */
    public closePromptTool(): void {
        this.segmentation.closeTool();
        this.onChangedObservable.notifyObservers(this);
    }

    /**
     * Propagates the active object's prompts to every capture frame (the pipeline's segment stage).
     * @returns true when done
     */
    public async propagateAsync(): Promise<boolean> {
        const tool = this.promptTool;
        if (!tool) {
            return false;
        }
        const controller = new AbortController();
        const report = await this.tasks.runAsync({ label: "Propagating to all views", progress: 0, cancel: () => controller.abort() }, (setProgress) => tool.session.propagateAsync((done, total) => setProgress(done / total), controller.signal));
        return report !== null;
    }

    /**
     * Distils the loaded model's features of the capture's training frames into a feature field, so
     * prompts in the free viewport decode without running the encoder (the pipeline's feature
     * stage; on the training device when there is one, else on the CPU twins).
     * @returns true when done (a failure or cancel keeps the previous feature field)
     */
    public async distilFeaturesAsync(): Promise<boolean> {
        const field = this.nerfNode?.field;
        const capture = this._capture;
        if (!field || !capture || !this.samModel) {
            this.tasks.reportError("Load a capture, train (or load) a field and load a segmentation model first.");
            return false;
        }
        const controller = new AbortController();
        const context = this.training.context?.lostInfo ? null : this.training.context;
        const done = await this.tasks.runAsync({ label: "Distilling features", progress: 0, cancel: () => controller.abort() }, (setProgress) =>
            this.segmentation.distilFeaturesAsync(capture, field, this.config, context, (p) => setProgress(p.phase === "embed" ? (0.5 * p.done) / p.total : 0.5 + (0.5 * p.iteration) / p.iterations), controller.signal)
        );
        return done !== null;
    }

    /**
     * Fuses the active object's propagated masks into a 3-D object field (the pipeline's fuse
     * stage; a second run refines the object's field), then shows it in the current view.
     * @returns the result, or null on error or cancel (the previous result stays)
     */
    public async fuseActiveObjectAsync(): Promise<FusedObject | null> {
        const tool = this.promptTool;
        const field = this.nerfNode?.field;
        const capture = this._capture;
        if (!tool || !field || !capture) {
            this.tasks.reportError("Open the prompt tool on a trained field first.");
            return null;
        }
        const object = tool.session.activeObject;
        const controller = new AbortController();
        const result = await this.tasks.runAsync({ label: `Fusing "${object.name}" into 3-D`, progress: 0, cancel: () => controller.abort() }, (setProgress) =>
            this.fusion.fuseAsync(object, capture, field, this.config, (p) => setProgress(p.iteration / p.iterations), controller.signal)
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
        const tool = this.promptTool;
        const node = this.nerfNode;
        if (!tool || !node?.field) {
            return false;
        }
        const object = tool.session.activeObject;
        const result = this.fusion.result(object.id);
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
            const size = tool.session.views.viewportSize;
            const fieldView = FieldViewFromCamera(node, camera, Math.round(aspect >= 1 ? size : size * aspect), Math.round(aspect >= 1 ? size / aspect : size));
            mask = await this.fusion.renderViewAsync(object.id, fieldView, node.field);
        }
        tool.overlay.showFusedMask(mask?.labels ?? null, mask?.width, mask?.height, object.color);
        return mask !== null;
    }

    /**
     * Makes the active fused object a scene object: a NerfObjectNode in place (the capture shown
     * without it), its mesh extracted in a worker (the pipeline's extract stage), listed in the
     * asset strip.
     * @returns the asset, or null on error (nothing in the scene is lost)
     */
    public async makeSceneObjectAsync(): Promise<ObjectAsset | null> {
        const node = this.nerfNode;
        const object = this.promptTool?.session.activeObject;
        const fused = object ? this.fusion.result(object.id) : undefined;
        const capture = this._capture;
        if (!node || !object || !fused || !capture) {
            this.tasks.reportError("Fuse the object into 3-D first (prompt tool: propagate, then fuse).");
            return null;
        }
        const controller = new AbortController();
        return this.tasks.runAsync({ label: `Extracting "${object.name}"`, progress: null, cancel: () => controller.abort() }, async () => {
            const asset = await this.objects.createFromFusionAsync(node, fused.field, 1, object.name, controller.signal);
            await this.objects.extractMeshAsync(asset, this.config.extract, controller.signal);
            asset.thumbnail = ObjectThumbnail(capture, fused.frameMasks, object.color);
            return asset;
        });
    }

    /**
     * Shows an error message in the pane.
     * @param message what went wrong
     */
    public reportError(message: string): void {
        this.tasks.reportError(message);
    }

    /** Clears the error message. */
    public dismissError(): void {
        this.tasks.reportError(null);
    }

    /** Stops work and releases workers and the device (the nodes stay in the scene). */
    public dispose(): void {
        this.tasks.cancel();
        this.segmentation.dispose();
        this.fusion.dispose();
        this.splats.dispose();
        this.objects.dispose();
        this._removeDrop();
        this.training.dispose();
        this.onChangedObservable.clear();
    }
}

import type { Scene } from "@babylonjs/core/scene";
import type { Capture } from "../core/capture/captureTypes";
import { CompositeOnBackground } from "../core/image/compositeOnBackground";
import type { PipelineConfig } from "../core/pipeline/pipelineConfig";
import { RenderSplatViewsAsync, SegmentSplatObjectsAsync, SplatCamerasOf, type SplatSceneView } from "../core/pipeline/splatStage";
import type { SamBox } from "../core/sam/samTypes";
import type { SplatRasterizer } from "../core/splats/splatRasterizer";
import type { Camera } from "@babylonjs/core/Cameras/camera";
import { SplatViewFromCamera } from "../scene/fieldViews";
import { SplatViewportPrompts } from "../prompt/splatViewportPrompts";
import { SplatPromptMarkers } from "../prompt/splatPromptMarkers";
import { ApplySplatFileAxes, LoadSplatSceneAsync, type LoadedSplatScene, type SplatFileAxes } from "../scene/splatSceneLoader";
import { SplatObjectSplit } from "../scene/splatObjectSplitter";
import type { SegmentationController } from "./segmentationController";
import { SplatObjectMeshes } from "./splatObjectMeshes";
import { SplatPromptObjects, StagePrompts } from "./splatPromptObjects";
import { SplatRasterizerSource } from "./splatRasterizerSource";
import { ObjectSplatFiles, type SplatObjectFiles } from "../core/splats/splatObjectFiles";
import { SplatStripObjects } from "./splatStripObjects";
import type { ObjectAssets } from "./objectAssets";
import type { WorkspaceTasks } from "./workspaceTasks";

/** What the controller uses of the workspace. */
export interface SplatWorkspaceHost {
    readonly scene: Scene;
    /** The pipeline's settings (`splats`, `segment`), the ones the CLI runs with. */
    readonly config: PipelineConfig;
    /** Runs tasks with progress and cancel, keeps the last error. */
    readonly tasks: WorkspaceTasks;
    /** The segmentation model's client (shared with the prompt tool). */
    readonly segmentation: SegmentationController;
    /** The loaded capture, whose cameras and photos become the views. */
    readonly capture: () => Capture | null;
    /** Reports a change visible in the UI. */
    readonly changed: () => void;
    /** The asset strip, where separated objects are listed. */
    readonly assets: ObjectAssets;
}

/**
 * The workspace's Gaussian-splat side: loads a splat file into the scene (Babylon's loader, rows
 * kept in RAM), renders its views with the pipeline's splat stage (the capture's cameras and
 * photos when a capture is loaded, else cameras placed around the content), keeps click prompts
 * per object on those views, segments with the same stage functions as the CLI (LiftScenePrompts,
 * SegmentSceneViewsAsync, LabelSplatsAsync), separates each object's splats into its own mesh
 * (undoable), makes an object's mesh ({@link meshes}) and exports an object as .ply (the file's
 * records), .spz or .glb.
 */
export class SplatSegmentationController {
    /** Meshes made from the objects' splats. */
    public readonly meshes: SplatObjectMeshes;
    /** The objects prompted on the views: clicks and boxes per object, the active one, masks and splat counts. */
    public readonly prompts: SplatPromptObjects;
    /** Prompting in the 3-D view: clicks there land on views rendered from the viewport's camera (off until switched on). */
    public readonly viewport: SplatViewportPrompts;
    private readonly _host: SplatWorkspaceHost;
    private _loaded: LoadedSplatScene | null = null;
    private _views: SplatSceneView[] | null = null;
    private _viewsFromCapture = false;
    private _shownView = 0;
    private _labels: Uint8Array | null = null;
    private _labelOf = new Map<number, number>();
    private _split: SplatObjectSplit | null = null;
    private readonly _rasterizers = new SplatRasterizerSource();
    private readonly _strip: SplatStripObjects;
    private readonly _markers: SplatPromptMarkers;

    /** @param host the workspace's scene, settings, tasks and segmentation model */
    public constructor(host: SplatWorkspaceHost) {
        this._host = host;
        this.meshes = new SplatObjectMeshes(host);
        this._strip = new SplatStripObjects(host.assets);
        host.assets.splatRasterizer = async () => await this._rasterizers.rasterizerAsync(host.config.splats.preferGpu);
        this._markers = new SplatPromptMarkers(host.scene);
        this.prompts = new SplatPromptObjects(() => this._views, () => this._changed());
        this.viewport = new SplatViewportPrompts(host.scene, this, host.config.splats.viewSide, () => this._changed(), (message) => host.tasks.reportError(message));
    }

    /** The clicks' markers in the 3-D view: shown while prompting (before a separation, or while clicking in the viewport). */
    public get markers(): SplatPromptMarkers {
        return this._markers;
    }

    /**
     * How the loaded file's axes sit in the scene (SplatFileAxes): Babylon's loader's placement
     * (3DGS files are y-down), or right-handed y-up like the plugin's captures. Files loaded while a
     * capture is loaded start as y-up (they share its coordinates).
     * @param axes the file's axes
     */
    public setFileAxes(axes: SplatFileAxes): void {
        if (this._loaded && !this._split) {
            ApplySplatFileAxes(this._loaded.mesh, axes);
            this._changed();
        }
    }

    /**
     * Makes a mesh of a segmented object's splats, over them (on its separated mesh when separated).
     * @param id the object's id
     * @returns true when made
     */
    public async extractMeshAsync(id: number): Promise<boolean> {
        const label = this._labelOf.get(id);
        if (!this._loaded || !this._labels || label === undefined) {
            this._host.tasks.reportError(`object ${id} has not been segmented (click on it, then Segment)`);
            return false;
        }
        const part = this._split?.parts.find((p) => p.label === label);
        const name = part?.mesh.name ?? `${this._loaded.mesh.name} ${this.prompts.objects.find((o) => o.id === id)?.name ?? `object ${id}`}`;
        const mesh = await this.meshes.extractAsync({ id, name, cloud: this._loaded.file.cloud, labels: this._labels, label, placement: part?.mesh ?? this._loaded.mesh });
        const made = this.meshes.extractedOf(id);
        if (mesh && made) {
            this._strip.setMesh(label, mesh, made.extracted, made.up);
        }
        return mesh !== null;
    }

    /** The loaded splat mesh and file, or null. */
    public get loaded(): LoadedSplatScene | null {
        return this._loaded;
    }

    /** The rendered views (null until rendered). */
    public get views(): readonly SplatSceneView[] | null {
        return this._views;
    }

    /** The view shown large in the pane (clicks there go to it). */
    public get shownView(): number {
        return Math.min(this._shownView, Math.max(0, (this._views?.length ?? 1) - 1));
    }

    /**
     * Shows a view large in the pane.
     * @param index the view
     */
    public showView(index: number): void {
        this._shownView = index;
        this._changed();
    }

    /**
     * Renders the splats from a camera (e.g. the viewport's, where the user is looking) and adds
     * that view to the views prompts are made on and propagated to; it becomes the shown view.
     * @param camera the camera, in the scene
     * @param width the view's width, pixels (its height follows the camera's aspect)
     * @param aspect width / height of the camera's image
     * @returns the new view's index, or null when there are no views yet or rendering failed
     */
    public async addCameraViewAsync(camera: Camera, width: number, aspect: number): Promise<number | null> {
        const loaded = this._loaded;
        if (!loaded || !this._views) {
            this._host.tasks.reportError("Load a splat file and render its views first.");
            return null;
        }
        const view = SplatViewFromCamera(loaded.mesh, camera, Math.round(width), Math.max(1, Math.round(width / aspect)));
        const rendered = await this._host.tasks.runAsync({ label: "Rendering the viewport's splat view", progress: null, cancel: () => undefined }, async () => {
            return await RenderSplatViewsAsync(await this._rasterizers.rasterizerAsync(this._host.config.splats.preferGpu), loaded.file.cloud, [view], this._host.config.splats);
        });
        if (!rendered || this._loaded !== loaded || !this._views) {
            return null;
        }
        this._views = [...this._views, ...rendered];
        this._shownView = this._views.length - 1;
        this._changed();
        return this._shownView;
    }

    /** Whether the views are the capture's cameras and photos (else cameras around the content). */
    public get viewsFromCapture(): boolean {
        return this._viewsFromCapture;
    }

    /** One label per splat from the last segmentation (0 background, k the k-th segmented object), or null. */
    public get labels(): Uint8Array | null {
        return this._labels;
    }

    /** The current separation of objects into meshes, or null. */
    public get split(): SplatObjectSplit | null {
        return this._split;
    }

    /**
     * Loads a splat file (.ply, .splat, .spz, .sog, splat .glb/.gltf) into the scene and renders its views. A bad file is
     * reported by name and leaves the scene and the previous splats as they were.
     * @param file the file, or its bytes and name
     * @returns true when loaded and rendered
     */
    public async loadFileAsync(file: File | { bytes: Uint8Array; name: string }): Promise<boolean> {
        const loaded = await this._host.tasks.runAsync({ label: `Loading splats from ${file.name}`, progress: null, cancel: () => undefined }, async () => {
            const bytes = file instanceof File ? new Uint8Array(await file.arrayBuffer()) : file.bytes;
            return await LoadSplatSceneAsync(this._host.scene, bytes, file.name, this._host.capture() ? "y-up" : "loader");
        });
        if (!loaded) {
            return false;
        }
        this._loaded = loaded;
        this._split = null;
        this._views = null;
        this._labels = null;
        this.prompts.reset();
        return await this.renderViewsAsync();
    }

    /**
     * Renders the views segmentation works on (the pipeline's RenderSplatViewsAsync, on WebGPU when
     * available, else on the CPU twin); the previous views stay on failure or cancel.
     * @param fromCapture use the loaded capture's cameras and photos (default: when one is loaded)
     * @returns true when rendered
     */
    public async renderViewsAsync(fromCapture = this._host.capture() !== null): Promise<boolean> {
        const loaded = this._loaded;
        if (!loaded) {
            this._host.tasks.reportError("Load a splat file (.ply, .splat, .spz, .sog or splat .glb) first.");
            return false;
        }
        const capture = fromCapture ? this._host.capture() : null;
        const config = this._host.config.splats;
        const controller = new AbortController();
        const views = await this._host.tasks.runAsync({ label: "Rendering splat views", progress: 0, cancel: () => controller.abort() }, async (setProgress) => {
            const cameras = SplatCamerasOf(
                loaded.file.cloud,
                config,
                capture?.frames.map((frame) => ({ cameraToWorld: frame.cameraToWorld, intrinsics: frame.intrinsics, image: CompositeOnBackground(frame.image, capture.background) }))
            );
            return await RenderSplatViewsAsync(await this._rasterizers.rasterizerAsync(this._host.config.splats.preferGpu), loaded.file.cloud, cameras, config, { signal: controller.signal, onProgress: (done, total) => setProgress(done / total) });
        });
        if (!views) {
            return false;
        }
        this._views = views;
        this._viewsFromCapture = capture !== null;
        this._shownView = 0;
        this.prompts.clearPrompts();
        return true;
    }

    /**
     * Adds a click to the active object; a view that does not exist is reported.
     * @param view the view clicked
     * @param x pixels of the view
     * @param y pixels of the view
     * @param label 1 positive, 0 negative
     */
    public addClick(view: number, x: number, y: number, label: 0 | 1): void {
        this._prompt(() => this.prompts.addClick(view, x, y, label));
    }

    /**
     * Sets the active object's box; a view that does not exist or a box without area is reported.
     * @param view the view it was drawn on
     * @param box two corners, pixels of the view
     */
    public setBox(view: number, box: SamBox): void {
        this._prompt(() => this.prompts.setBox(view, box));
    }

    /**
     * Segments every object that has clicks or a box (the CLI's flow: prompts lifted to the splats' surface,
     * propagated to every view and decoded with the loaded model, the built-in one when none is),
     * labels every splat (FlashSplat) and separates the objects into their own meshes.
     * @returns true when done (a failure or cancel keeps the previous labels and meshes)
     */
    public async segmentAsync(): Promise<boolean> {
        const loaded = this._loaded;
        const views = this._views;
        const prompted = this.prompts.prompted;
        if (!loaded || !views) {
            this._host.tasks.reportError("Load a splat file and render its views first.");
            return false;
        }
        if (prompted.length === 0) {
            this._host.tasks.reportError("Click on an object in a view, or drag a box around it, first (click: object, Shift+click: background).");
            return false;
        }
        const { config, segmentation } = this._host;
        const controller = new AbortController();
        const signal = controller.signal;
        const result = await this._host.tasks.runAsync({ label: "Segmenting splats", progress: 0, cancel: () => controller.abort() }, async (setProgress) => {
            if (!segmentation.model) {
                await segmentation.loadModelAsync("builtin");
            }
            const rasterizer = await this._rasterizers.rasterizerAsync(config.splats.preferGpu);
            return await SegmentSplatObjectsAsync(segmentation.sam, rasterizer, loaded.file.cloud, views, prompted.map((object) => StagePrompts(object)), config, { signal, onProgress: (done, total) => setProgress(done / total) });
        });
        if (!result) {
            return false;
        }
        this._labels = result.labels;
        this._labelOf = new Map(prompted.map((object, k) => [object.id, k + 1]));
        const counts = new Map<number, number>();
        result.labels.forEach((label) => counts.set(label, (counts.get(label) ?? 0) + 1));
        this.prompts.setResults(new Map(prompted.map((object, k) => [object.id, { masks: result.objectMasks[k], splats: counts.get(k + 1) ?? 0 }])));
        return this.separate();
    }

    /**
     * Separates the segmented objects' splats into their own meshes (an earlier separation is
     * undone first; labels index the file's splats).
     * @returns true when at least one object mesh was made
     */
    public separate(): boolean {
        const loaded = this._loaded;
        const labels = this._labels;
        if (!loaded || !labels) {
            this._host.tasks.reportError("Segment the splats first.");
            return false;
        }
        if (!labels.some((label) => label > 0)) {
            // keep the earlier separation: there is nothing to replace it with
            this._host.tasks.reportError("The segmentation labelled no splat as an object: add clicks (on the object, Shift+click on the background) and segment again.");
            return false;
        }
        this.undoSeparate();
        const names = new Map([...this._labelOf].map(([id, label]) => [label, this.prompts.objects.find((object) => object.id === id)?.name ?? `object ${label}`]));
        try {
            const split = SplatObjectSplit.Separate(loaded.mesh, labels, { nameOf: (label) => `${loaded.mesh.name} ${names.get(label) ?? `object ${label}`}` });
            this._split = split;
            const objects = [...this._labelOf].map(([id, label]) => ({ label, name: split.part(label)?.mesh.name ?? `object ${label}`, masks: this.prompts.objects.find((object) => object.id === id)?.masks ?? null }));
            const rasterizer = (): Promise<SplatRasterizer> => this._rasterizers.rasterizerAsync(this._host.config.splats.preferGpu);
            void this._strip.listAsync(split, loaded.file, labels, objects, this._views ?? [], rasterizer);
        } catch (error) {
            this._host.tasks.reportError((error as Error).message);
            return false;
        } finally {
            this._changed();
        }
        return true;
    }

    /** Puts the separated splats back into the source mesh, removes the object meshes and takes them off the asset strip. */
    public undoSeparate(): void {
        this._strip.clear();
        this._split?.undo();
        this._split = null;
        this._changed();
    }

    /**
     * The label an object got in the last segmentation.
     * @param id the object's id
     * @returns 1..K, or null when it was not segmented
     */
    public labelOf(id: number): number | null {
        return this._labelOf.get(id) ?? null;
    }

    /**
     * An object's splats as files, in the file's coordinates: a PLY with the file's own vertex
     * records for a standard 3DGS PLY (SH and extra properties kept; else the standard layout), an
     * SPZ (version 2; PLY and .splat inputs turned into SPZ's axes).
     * @param id the object's id
     * @returns its exports
     * @throws Error when the object was not segmented
     */
    public objectFiles(id: number): SplatObjectFiles {
        const label = this._labelOf.get(id);
        if (!this._loaded || !this._labels || label === undefined) {
            throw new Error(`object ${id} has not been segmented (click on it, then Segment)`);
        }
        return ObjectSplatFiles(this._loaded.file, this._labels.map((value) => (value === label ? 1 : 0)), `object-${id}`);
    }

    /** Releases the splat rasterizer's device and the extraction worker (meshes stay in the scene). */
    public dispose(): void {
        this.viewport.dispose();
        this._markers.dispose();
        this.meshes.dispose();
        this._rasterizers.dispose();
        this._host.assets.splatRasterizer = null;
    }

    /** Redraws the markers and tells the workspace. */
    private _changed(): void {
        const showing = this._loaded && (this.viewport?.enabled || !this._split) ? this._loaded.mesh : null;
        this._markers.update(this.prompts?.objects ?? [], this.prompts?.activeObject.id ?? 0, this._views, showing);
        this._host.changed();
    }

    private _prompt(edit: () => void): void {
        try {
            edit();
        } catch (error) {
            this._host.tasks.reportError((error as Error).message);
        }
    }
}

import type { CameraIntrinsics } from "../capture/captureTypes";
import type { RgbaImage } from "../image/rgbaImage";
import type { FrameMask } from "../segmentation/maskSet";
import { DepthMapSurfaceProbe } from "../segmentation/surfaceProbe";
import { AutoSplatCameras, SplatContentBox } from "../splats/autoCameras";
import { SelectSplats, type SplatCloud } from "../splats/splatCloud";
import { AssignSplatObjects } from "../splats/splatLabelAssignment";
import type { SplatLabels } from "../splats/splatLabelAssignment";
import type { SplatRasterizer } from "../splats/splatRasterizer";
import type { SplatView } from "../splats/splatView";
import type { ExtractedMesh } from "../extraction/extractedMesh";
import type { PipelineConfig, SplatStageConfig } from "./pipelineConfig";
import type { MaskDecoder, MeshExtractor } from "./pipelineServices";
import { LiftScenePrompts, SegmentSceneViewsAsync, type FrameBox, type FrameClick, type SegmentationScene } from "./segmentStage";
import type { PromptPoint3D } from "../segmentation/promptPropagation";

/** One view of a splat scene as segmentation uses it. */
export interface SplatSceneView {
    readonly cameraToWorld: Float64Array;
    readonly intrinsics: CameraIntrinsics;
    /** What the segmentation model sees: the capture's photo, or the splats rendered on the background. */
    readonly image: RgbaImage;
    /** The splats' depth along the view's -z (expected depth of the blended splats), 0 where less than half opaque. */
    readonly depth: Float32Array;
}

/** A camera for a splat scene's views, with the capture's photo when there is one. */
export interface SplatCamera {
    readonly cameraToWorld: ArrayLike<number>;
    readonly intrinsics: CameraIntrinsics;
    /** The capture's image at the intrinsics' size; without it the view is rendered from the splats. */
    readonly image?: RgbaImage;
}

/** Progress and cancellation of a splat stage. */
export interface SplatRunOptions {
    readonly onProgress?: (done: number, total: number) => void;
    readonly signal?: AbortSignal;
}

/**
 * The cameras of a splat scene: the capture's, or (without a capture) AutoSplatCameras' ring of
 * views around the content.
 * @param cloud the splats
 * @param config camera placement
 * @param capture the capture's cameras and photos, when the user has them
 * @returns the cameras
 */
export function SplatCamerasOf(cloud: SplatCloud, config: SplatStageConfig, capture?: readonly SplatCamera[]): SplatCamera[] {
    return capture && capture.length > 0 ? [...capture] : AutoSplatCameras(cloud, config);
}

/**
 * Renders every camera's view of the splats: its depth always, its image where the camera has no
 * photo (composited on the configured background).
 * @param rasterizer the splat rasterizer (WebGPU or CPU)
 * @param cloud the splats
 * @param cameras the cameras
 * @param config the background
 * @param options progress, cancel
 * @returns one view per camera
 */
export async function RenderSplatViewsAsync(rasterizer: SplatRasterizer, cloud: SplatCloud, cameras: readonly SplatCamera[], config: SplatStageConfig, options: SplatRunOptions = {}): Promise<SplatSceneView[]> {
    const views: SplatSceneView[] = [];
    for (const camera of cameras) {
        options.signal?.throwIfAborted();
        const render = await rasterizer.renderAsync(cloud, camera);
        const { width, height } = render;
        let image = camera.image;
        if (!image) {
            const data = new Uint8ClampedArray(width * height * 4);
            for (let p = 0; p < width * height; p++) {
                const rest = 1 - render.opacity[p];
                for (let c = 0; c < 3; c++) {
                    data[p * 4 + c] = Math.round((render.color[p * 3 + c] + rest * config.background[c]) * 255);
                }
                data[p * 4 + 3] = 255;
            }
            image = { width, height, data };
        }
        views.push({ cameraToWorld: Float64Array.from(camera.cameraToWorld), intrinsics: camera.intrinsics, image, depth: render.depth });
        options.onProgress?.(views.length, cameras.length);
    }
    return views;
}

/**
 * A splat scene's views as a segmentation scene: the rendered depth is the surface (a prompt
 * point is visible where it lies within the configured share of the content's diagonal of it),
 * the depth the built-in model takes, and the depth the candidate choice reasons with.
 * @param cloud the splats
 * @param views their rendered views
 * @param config the visibility tolerance
 * @returns the scene
 */
export function SplatSegmentationScene(cloud: SplatCloud, views: readonly SplatSceneView[], config: SplatStageConfig): SegmentationScene {
    const box = SplatContentBox(cloud, config.contentShare);
    const diagonal = Math.hypot(box.max[0] - box.min[0], box.max[1] - box.min[1], box.max[2] - box.min[2]);
    return {
        views,
        viewsPhrase: "the splat scene has views",
        probe: DepthMapSurfaceProbe(views.map((view) => view.depth), config.visibilityTolerance * diagonal),
        viewInput: (index, withDepth) => (withDepth ? { ...views[index].image, depth: views[index].depth } : views[index].image),
        choiceDepth: (index) => views[index].depth,
    };
}

/**
 * Labels every splat from the objects' masks (FlashSplat, training-free): for each object, each
 * splat's blending weight inside and outside that object's masks is summed over the views where
 * the object was decoded (splatBlend.wgsl), then AssignSplatObjects picks per splat the object
 * that holds the most of it, or the background.
 * @param rasterizer the splat rasterizer
 * @param cloud the splats
 * @param views the views the masks were made in
 * @param objectMasks per object (labels 1..K in order), one FrameMask per view
 * @param config the background bias and the seen threshold
 * @param options progress (views summed / all), cancel
 * @returns one label per splat
 */
export async function LabelSplatsAsync(
    rasterizer: SplatRasterizer,
    cloud: SplatCloud,
    views: readonly SplatView[],
    objectMasks: readonly (readonly FrameMask[])[],
    config: SplatStageConfig,
    options: SplatRunOptions = {},
): Promise<SplatLabels> {
    const perObject: Float32Array[] = [];
    const total = objectMasks.reduce((sum, masks) => sum + masks.filter((mask) => mask.valid && mask.mask).length, 0);
    let done = 0;
    for (const masks of objectMasks) {
        const labelled = masks.flatMap((mask) => {
            const view = views[mask.frameIndex];
            if (!mask.valid || !mask.mask || !view) {
                return [];
            }
            if (mask.width !== view.intrinsics.width || mask.height !== view.intrinsics.height) {
                throw new Error(`mask of view ${mask.frameIndex} is ${mask.width} x ${mask.height}, the view ${view.intrinsics.width} x ${view.intrinsics.height}`);
            }
            return [{ view, labels: mask.mask.map((value) => (value > 127 ? 1 : 0)) }];
        });
        perObject.push(await rasterizer.sumLabelWeightsAsync(cloud, labelled, 2, { vote: config.vote, surfaceTolerance: config.surfaceTolerance, backgroundPrior: config.backgroundPrior, signal: options.signal, onView: () => options.onProgress?.(++done, total) }));
    }
    return AssignSplatObjects(perObject, cloud.count, config);
}

/** One object's prompts on a splat scene: clicks and a box in its views, points in 3-D (the file's coordinates). */
export interface SplatObjectPrompts {
    readonly clicks: readonly FrameClick[];
    readonly box: FrameBox | null;
    readonly points?: readonly PromptPoint3D[];
}

/** What {@link SegmentSplatObjectsAsync} gives: each object's masks on the views, and the splats' labels (0 background, k the k-th object). */
export interface SplatSegmentation extends SplatLabels {
    /** Per object (in the order given), one mask per view. */
    readonly objectMasks: FrameMask[][];
    /** Seconds spent propagating and decoding, and labelling. */
    readonly segmentSeconds: number;
    readonly labelSeconds: number;
}

/**
 * The splat stage's segmentation, as the editor's Segment button and the CLI's --splat run it:
 * each object's prompts lifted to the splats' surface (LiftScenePrompts), propagated to every view
 * and decoded (SegmentSceneViewsAsync), then every splat labelled from all objects' masks at once
 * (LabelSplatsAsync). Progress: decoding takes the first 80 %, labels the rest.
 * @param decoder the segmentation model
 * @param rasterizer sums the label votes
 * @param cloud the splats
 * @param views their views (RenderSplatViewsAsync)
 * @param objects each object's prompts (object k gets label k + 1)
 * @param config the pipeline's settings (segment, splats)
 * @param options progress, cancellation, and a call after each object's masks
 * @param options.onObjectMasks called with each object's index and masks as they are decoded
 * @returns masks and labels
 * @throws Error when an object has no prompt that reaches a view
 */
export async function SegmentSplatObjectsAsync(
    decoder: MaskDecoder,
    rasterizer: SplatRasterizer,
    cloud: SplatCloud,
    views: readonly SplatSceneView[],
    objects: readonly SplatObjectPrompts[],
    config: Pick<PipelineConfig, "segment" | "splats">,
    options: SplatRunOptions & { onObjectMasks?: (index: number, masks: readonly FrameMask[]) => void } = {},
): Promise<SplatSegmentation> {
    const scene = SplatSegmentationScene(cloud, views, config.splats);
    const objectMasks: FrameMask[][] = [];
    const share = 0.8 / Math.max(1, objects.length);
    const report = (fraction: number): void => options.onProgress?.(Math.round(fraction * 1000), 1000);
    let started = performance.now();
    for (const object of objects) {
        const prompt = LiftScenePrompts(scene, object.clicks, object.box, config.segment, object.points ?? []);
        const base = objectMasks.length * share;
        const masks = await SegmentSceneViewsAsync(decoder, scene, prompt, config.segment, { signal: options.signal, onProgress: (done, total) => report(base + (share * done) / total) });
        options.onObjectMasks?.(objectMasks.length, masks);
        objectMasks.push(masks);
    }
    const segmentSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    const labelled = await LabelSplatsAsync(rasterizer, cloud, views, objectMasks, config.splats, { signal: options.signal, onProgress: (done, total) => report(0.8 + (0.2 * done) / Math.max(1, total)) });
    return { ...labelled, objectMasks, segmentSeconds, labelSeconds: (performance.now() - started) / 1000 };
}

/**
 * Extracts one labelled object of a splat scene as meshes (ExtractSplatMesh in the extraction
 * worker): its splats' opacity field on the extract stage's grid and budgets, the surface where
 * they stop `splats.meshOpacity` of the light. No support cut: the labels already left the table out.
 * @param extractor the extraction worker's client
 * @param cloud the splats
 * @param labels one label per splat (LabelSplatsAsync)
 * @param label the object's label (1..K)
 * @param config the pipeline's settings (extract: grid and budgets; splats: the surface level)
 * @param name the object's name, for messages
 * @param up the scene's up in the splats' coordinates, when known (the capture's, or the splat mesh's placement), else null
 * @param signal cancels
 * @returns the meshes, the splat file's coordinates
 */
export async function ExtractSplatObjectStageAsync(extractor: MeshExtractor, cloud: SplatCloud, labels: Uint8Array, label: number, config: Pick<PipelineConfig, "extract" | "splats">, name: string, up: readonly [number, number, number] | null, signal?: AbortSignal): Promise<ExtractedMesh> {
    const object = SelectSplats(cloud, labels.map((value) => (value === label ? 1 : 0)), name);
    const { resolution, triangleBudget, collisionBudget, minPieceFraction } = config.extract;
    return await extractor.extractSplatsAsync(object, { resolution, triangleBudget, collisionBudget, minPieceFraction, surfaceOpacity: config.splats.meshOpacity, up }, signal);
}

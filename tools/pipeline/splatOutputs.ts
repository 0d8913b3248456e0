import type { Capture } from "../../plugin/core/capture/captureTypes";
import { CompositeOnBackground } from "../../plugin/core/image/compositeOnBackground";
import { EncodePngAsync } from "../../plugin/core/image/pngEncoder";
import { GpuContext } from "../../plugin/core/gpu/gpuContext";
import type { PipelineConfig } from "../../plugin/core/pipeline/pipelineConfig";
import type { FrameClick } from "../../plugin/core/pipeline/segmentStage";
import { RenderSplatViewsAsync, SegmentSplatObjectsAsync, SplatCamerasOf, type SplatObjectPrompts, type SplatSceneView } from "../../plugin/core/pipeline/splatStage";
import type { FrameMask } from "../../plugin/core/segmentation/maskSet";
import { ReadPlyVertexProperty } from "../../plugin/core/splats/plyGaussians";
import { SplatRasterizer } from "../../plugin/core/splats/splatRasterizer";
import { ReadSplatFileWithBabylonAsync } from "../../plugin/scene/splatSceneLoader";
import { SamService } from "../../plugin/services/samService";
import type { OutputWriter } from "./outputWriter";
import type { SplatReport } from "./pipelineRequest";
import { IsClickPrompt, type Cli3dPrompt, type CliBoxPrompt, type CliPointPrompt } from "./promptArguments";
import { ExportSplatObjectsAsync } from "./splatExport";
import { DrawSplatSheetAsync } from "./splatSheet";

/** What a splat run segments: the file, the capture's cameras when given, the prompts and the model. */
export interface SplatRun {
    readonly splatUrl: string;
    readonly splatName: string;
    readonly capture: Capture | null;
    /** Where the capture's files are served (its true meshes, for the export's Chamfer figures). */
    readonly captureUrl?: string;
    readonly prompts: readonly CliPointPrompt[];
    readonly boxes: readonly CliBoxPrompt[];
    readonly model: "builtin" | { readonly encoder: string; readonly decoder: string };
    readonly export: boolean;
}

/**
 * Segments a Gaussian-splat file with the pipeline's splat stage: reads it (errors name the file),
 * renders its views (the capture's cameras and photos, or cameras placed around the content),
 * lifts and propagates each object's prompts, decodes every view, labels every splat (FlashSplat)
 * and, with `export`, writes each object as object-<k>.ply (the input's records unchanged, its
 * coordinates), object-<k>.spz and object-<k>.glb (ExportSplatObjectsAsync). Writes views.png (the views with the objects
 * tinted), masks2d/view_<i>.png, splat-labels.bin (one byte per splat) and splats.json.
 * @param run the file, cameras, prompts and model
 * @param config the pipeline's configuration
 * @param out the output writer
 * @param log progress log
 * @returns the report
 */
export async function SegmentSplatsWithOutputsAsync(run: SplatRun, config: PipelineConfig, out: OutputWriter, log: (line: string) => void): Promise<SplatReport> {
    const started = performance.now();
    const response = await fetch(run.splatUrl);
    if (!response.ok) {
        throw new Error(`${run.splatName}: could not be read (HTTP ${response.status})`);
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    const file = await ReadSplatFileWithBabylonAsync(bytes, run.splatName);
    const cloud = file.cloud;
    log(`splats: ${cloud.count} splats (${file.format}, SH degree ${cloud.shDegree}) from ${run.splatName}`);
    const context = config.splats.preferGpu && GpuContext.IsSupported() ? await GpuContext.CreateAsync({ label: "splats" }) : null;
    const sam = new SamService({ cache: undefined });
    try {
        const rasterizer = new SplatRasterizer(context);
        const cameras = SplatCamerasOf(
            cloud,
            config.splats,
            run.capture?.frames.map((frame) => ({ cameraToWorld: frame.cameraToWorld, intrinsics: frame.intrinsics, image: CompositeOnBackground(frame.image, run.capture!.background) })),
        );
        const t = performance.now();
        const views = await RenderSplatViewsAsync(rasterizer, cloud, cameras, config.splats);
        const renderSeconds = (performance.now() - t) / 1000;
        log(`splats: ${views.length} views (${run.capture ? "the capture's cameras" : "placed around the content"}) rendered on ${rasterizer.onGpu ? "WebGPU" : "the CPU"} in ${renderSeconds.toFixed(1)} s`);
        const info = run.model === "builtin" ? await sam.loadBuiltinAsync() : await sam.loadFromUrlsAsync(run.model.encoder, run.model.decoder);
        const ids = [...new Set([...run.prompts.map((p) => p.object), ...run.boxes.map((b) => b.object)])].sort((a, b) => a - b);
        const prompts = ids.map((id): SplatObjectPrompts => {
            const clicks: FrameClick[] = run.prompts.filter((p) => p.object === id).filter(IsClickPrompt).map((p) => ({ frameIndex: p.view, ...ScaledClick(run.capture, views, p.view, p.x, p.y), label: p.label }));
            const points = run.prompts.filter((p): p is Cli3dPrompt => p.object === id && !IsClickPrompt(p)).map((p) => ({ position: p.point, label: p.label }));
            const box = run.boxes.find((b) => b.object === id);
            const corner = (x: number, y: number): { x: number; y: number } => ScaledClick(run.capture, views, box!.view, x, y);
            return { clicks, box: box ? { frameIndex: box.view, box: { x0: corner(box.x0, box.y0).x, y0: corner(box.x0, box.y0).y, x1: corner(box.x1, box.y1).x, y1: corner(box.x1, box.y1).y } } : null, points };
        });
        const onObjectMasks = (k: number, masks: readonly FrameMask[]): void => log(`splats: object ${ids[k]}: ${masks.filter((mask) => mask.valid).length} of ${masks.length} views decoded with ${info.name}`);
        const result = await SegmentSplatObjectsAsync(sam, rasterizer, cloud, views, prompts, config, { onObjectMasks });
        const { objectMasks, segmentSeconds, labelSeconds } = result;
        const truth = file.ply ? ReadPlyVertexProperty(file.ply.bytes, file.ply.header, "label") : null;
        const objects = ids.map((id, k) => ObjectFigures(id, k + 1, result.labels, truth));
        objects.forEach((o) => log(`splats: object ${o.id}: ${o.splats} splats${o.truthIou === null ? "" : `, IoU ${o.truthIou.toFixed(3)} against true object ${o.truthObject}`}`));
        await out.writeAsync("splat-labels.bin", result.labels);
        await WriteMaskImagesAsync(out, views, objectMasks);
        await out.writeAsync("views.png", await DrawSplatSheetAsync(views, objectMasks));
        const exports = run.export ? await ExportSplatObjectsAsync(file, result.labels, objects, run.capture ? { capture: run.capture, url: run.captureUrl ?? "" } : null, config, out, log) : [];
        const report: SplatReport = {
            file: run.splatName,
            format: file.format,
            splats: cloud.count,
            shDegree: cloud.shDegree,
            cameras: run.capture ? "capture" : "auto",
            views: views.length,
            backend: rasterizer.onGpu ? "webgpu" : "cpu",
            model: info.name,
            objects: objects.map((o, k) => ({ ...o, meshTriangles: exports[k]?.triangles ?? null, meshChamferPercent: exports[k]?.chamferPercent ?? null })),
            unseen: result.unseen,
            exported: exports.flatMap((e) => e.files),
            seconds: { render: renderSeconds, segment: segmentSeconds, label: labelSeconds, total: (performance.now() - started) / 1000 },
        };
        await out.writeJsonAsync("splats.json", report);
        return report;
    } finally {
        sam.dispose();
        context?.dispose();
    }
}

/** A click in pixels of a view's original image, in pixels of the view as rendered (capture frames are downscaled). */
function ScaledClick(capture: Capture | null, views: readonly SplatSceneView[], view: number, x: number, y: number): { x: number; y: number } {
    if (!views[view]) {
        throw new Error(`prompt view ${view} does not exist (the splat scene has views 0..${views.length - 1})`);
    }
    const frame = capture?.frames[view];
    const scale = frame ? frame.image.width / (frame.sourceSize ?? capture!.sourceSize).width : 1;
    return { x: x * scale, y: y * scale };
}

/** An object's splat count and, with true labels in the file, the true object most of them carry and the IoU with it. */
function ObjectFigures(id: number, label: number, labels: Uint8Array, truth: Float64Array | null): SplatReport["objects"][number] {
    let splats = 0;
    const votes = new Map<number, number>();
    for (let i = 0; i < labels.length; i++) {
        if (labels[i] === label) {
            splats++;
            if (truth) {
                votes.set(truth[i], (votes.get(truth[i]) ?? 0) + 1);
            }
        }
    }
    if (!truth || votes.size === 0) {
        return { id, label, splats, truthObject: null, truthIou: null };
    }
    const truthObject = [...votes.entries()].reduce((best, entry) => (entry[1] > best[1] ? entry : best))[0];
    let both = 0;
    let either = 0;
    for (let i = 0; i < labels.length; i++) {
        const a = labels[i] === label;
        const b = truth[i] === truthObject;
        both += a && b ? 1 : 0;
        either += a || b ? 1 : 0;
    }
    return { id, label, splats, truthObject, truthIou: both / either };
}

/** masks2d/view_<i>.png: 0/255 for one object, labels 1..K for several (later objects over earlier ones). */
async function WriteMaskImagesAsync(out: OutputWriter, views: readonly SplatSceneView[], objectMasks: readonly (readonly FrameMask[])[]): Promise<void> {
    for (let v = 0; v < views.length; v++) {
        const { width, height } = views[v].intrinsics;
        const labels = new Uint8Array(width * height);
        objectMasks.forEach((masks, k) => masks[v]?.mask?.forEach((value, p) => value > 127 && (labels[p] = objectMasks.length === 1 ? 255 : k + 1)));
        await out.writeAsync(`masks2d/view_${String(v).padStart(3, "0")}.png`, await EncodePngAsync(labels, width, height, 1));
    }
}

import type { Capture } from "../../plugin/core/capture/captureTypes";
import { SplitHoldout } from "../../plugin/core/capture/holdout";
import { CompositeOnBackground } from "../../plugin/core/image/compositeOnBackground";
import { GpuContext } from "../../plugin/core/gpu/gpuContext";
import { DefaultPipelineConfig } from "../../plugin/core/pipeline/pipelineConfig";
import { LabelSplatsAsync, RenderSplatViewsAsync, SegmentSplatObjectsAsync, type SplatObjectPrompts, type SplatSceneView, type SplatSegmentation } from "../../plugin/core/pipeline/splatStage";
import { TruthMaskSet } from "../../plugin/core/evaluation/truthMasks";
import type { FrameMask } from "../../plugin/core/segmentation/maskSet";
import { ReadPlyVertexProperty } from "../../plugin/core/splats/plyGaussians";
import type { SplatCloud } from "../../plugin/core/splats/splatCloud";
import { SplatRasterizer } from "../../plugin/core/splats/splatRasterizer";
import { EmbeddingCache } from "../../plugin/core/sam/embeddingCache";
import { ReadSplatFileWithBabylonAsync } from "../../plugin/scene/splatSceneLoader";
import { ExtractionService } from "../../plugin/services/extractionService";
import { SamService } from "../../plugin/services/samService";
import { LoadBenchCaptureAsync, SampleGridResolution, SampleTrainingIterations, TrainedSampleAsync } from "./benchField";
import type { BenchConfig, BenchRow, BenchSuiteResult } from "./benchTypes";
import { MeasureFieldSplatsAsync } from "./fieldSplatsBench";
import { FuseAsync } from "./fusionRuns";
import { MeasureSplatMeshesAsync, type SplatMeshFigures } from "./splatMeshFigures";
import { ObjectClick } from "./objectClick";
import { LabelledSplatFigures, ReplicateSplats, type LabelFigures } from "./splatFigures";

/** One scene's figures: labels from the capture's true masks, and from one click per object with the built-in model. */
interface SceneFigures {
    readonly splats: number;
    readonly truthMasks: LabelFigures;
    readonly oneClick: LabelFigures;
    readonly labelSeconds: number;
    /** Meshes from the splats labelled from the true masks, and from one click. */
    readonly truthMeshes: SplatMeshFigures;
    readonly oneClickMeshes: SplatMeshFigures;
}

const config = DefaultPipelineConfig.splats;

async function LoadSplatsAsync(name: string): Promise<{ cloud: SplatCloud; truth: Uint8Array }> {
    const response = await fetch(`captures/${name}/splats.ply`);
    const file = await ReadSplatFileWithBabylonAsync(new Uint8Array(await response.arrayBuffer()), `${name}/splats.ply`);
    const truth = ReadPlyVertexProperty(file.ply!.bytes, file.ply!.header, "label");
    return { cloud: file.cloud, truth: Uint8Array.from(truth!) };
}

/** The capture's training views as splat views (its photos on its background, depth rendered from the splats); holdout views get no mask. */
async function CaptureViewsAsync(rasterizer: SplatRasterizer, cloud: SplatCloud, capture: Capture): Promise<SplatSceneView[]> {
    const cameras = capture.frames.map((frame) => ({ cameraToWorld: frame.cameraToWorld, intrinsics: frame.intrinsics, image: CompositeOnBackground(frame.image, capture.background) }));
    return await RenderSplatViewsAsync(rasterizer, cloud, cameras, config);
}

/** Per object, its true mask in every training frame (holdout frames left out). */
function TruthObjectMasks(capture: Capture): FrameMask[][] {
    const masks = TruthMaskSet(capture);
    const train = new Set(SplitHoldout(capture.frames.length).train);
    return masks.objects.map((object) =>
        capture.frames.map((frame, frameIndex) => ({
            frameIndex,
            valid: train.has(frameIndex),
            visibleFraction: 1,
            width: frame.image.width,
            height: frame.image.height,
            mask: masks.labels[frameIndex].map((label) => (label === object.id ? 255 : 0)),
        })),
    );
}

/**
 * Per object, one click (the labelled pixel nearest its centroid) in the training frame that shows
 * most of it, segmented as the editor and the CLI do (SegmentSplatObjectsAsync: propagated to every
 * training view, decoded by the built-in model, every splat labelled).
 */
async function OneClickSegmentationAsync(sam: SamService, rasterizer: SplatRasterizer, capture: Capture, cloud: SplatCloud, views: SplatSceneView[]): Promise<SplatSegmentation & { ids: number[] }> {
    const train = SplitHoldout(capture.frames.length).train;
    // holdout views show no surface, so no prompt reaches them and they get no mask
    const trainViews = views.map((view, index) => (train.includes(index) ? view : { ...view, depth: new Float32Array(view.depth.length) }));
    const objects: SplatObjectPrompts[] = [];
    const ids: number[] = [];
    for (const object of capture.objects) {
        const best = train.map((index) => ({ index, area: capture.frames[index].labels!.filter((l) => l === object.id).length })).reduce((a, b) => (b.area > a.area ? b : a));
        const click = ObjectClick(capture.frames[best.index].labels!, capture.frames[best.index].image.width, object.id);
        if (click) {
            objects.push({ clicks: [{ frameIndex: best.index, ...click, label: 1 }], box: null });
            ids.push(object.id);
        }
    }
    const result = await SegmentSplatObjectsAsync(sam, rasterizer, cloud, trainViews, objects, DefaultPipelineConfig);
    if (result.objectMasks.some((masks) => masks.some((mask) => mask.valid && !train.includes(mask.frameIndex)))) {
        throw new Error("a holdout view got a mask");
    }
    return { ...result, ids };
}

async function MeasureSceneAsync(name: string, rasterizer: SplatRasterizer, sam: SamService, extraction: ExtractionService, log: (line: string) => void): Promise<SceneFigures> {
    const capture = await LoadBenchCaptureAsync(`captures/${name}/`, name);
    const { cloud, truth } = await LoadSplatsAsync(name);
    const views = await CaptureViewsAsync(rasterizer, cloud, capture);
    const ids = capture.objects.map((object) => object.id);
    let t = performance.now();
    const fromTruth = await LabelSplatsAsync(rasterizer, cloud, views, TruthObjectMasks(capture), config);
    const labelSeconds = (performance.now() - t) / 1000;
    const truthMasks = await LabelledSplatFigures(cloud, truth, fromTruth.labels, ids, ids, capture);
    log(`${name}: true masks: accuracy ${truthMasks.accuracy.toFixed(4)}, mean IoU ${truthMasks.meanIou.toFixed(3)} (min ${truthMasks.minIou.toFixed(3)}), holdout 2-D mIoU ${truthMasks.holdoutMiou.toFixed(3)} (true labels ${truthMasks.holdoutCeiling.toFixed(3)}), per object ${JSON.stringify(truthMasks.perObject)}`);
    t = performance.now();
    const clicked = await OneClickSegmentationAsync(sam, rasterizer, capture, cloud, views);
    const oneClick = await LabelledSplatFigures(cloud, truth, clicked.labels, clicked.ids, ids, capture);
    log(`${name}: one click per object (built-in model): mean IoU ${oneClick.meanIou.toFixed(3)}, holdout 2-D mIoU ${oneClick.holdoutMiou.toFixed(3)} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
    const truthMeshes = await MeasureSplatMeshesAsync(extraction, cloud, fromTruth.labels, ids, capture, `captures/${name}/`);
    const oneClickMeshes = await MeasureSplatMeshesAsync(extraction, cloud, clicked.labels, clicked.ids, capture, `captures/${name}/`);
    log(`${name}: meshes from the splats, Chamfer % of the true mesh's diagonal: true masks ${JSON.stringify(truthMeshes.perObject)}, one click ${JSON.stringify(oneClickMeshes.perObject)}`);
    return { splats: cloud.count, truthMasks, oneClick, labelSeconds, truthMeshes, oneClickMeshes };
}

/** Seconds of one segmentation (a click → propagated, decoded, labelled) on about a million splats, and the views' render once per scene. */
async function MeasureMillionAsync(rasterizer: SplatRasterizer, context: GpuContext, sam: SamService, log: (line: string) => void): Promise<Record<string, number>> {
    const capture = await LoadBenchCaptureAsync("captures/tabletop/", "tabletop");
    const { cloud, truth } = await LoadSplatsAsync("tabletop");
    const big = ReplicateSplats(cloud, truth, 1_000_000);
    context.resetPeak();
    const t = performance.now();
    const views = await CaptureViewsAsync(rasterizer, big.cloud, capture);
    const renderSeconds = (performance.now() - t) / 1000;
    const object = capture.objects[0];
    const result = await OneClickSegmentationAsync(sam, rasterizer, { ...capture, objects: [object] }, big.cloud, views);
    const { segmentSeconds: decodeSeconds, labelSeconds } = result;
    log(`1M: ${big.cloud.count} splats: views ${renderSeconds.toFixed(1)} s, propagate + decode ${decodeSeconds.toFixed(1)} s, labels ${labelSeconds.toFixed(1)} s (${result.counts[1]} splats in the object)`);
    return { splats: big.cloud.count, renderSeconds, decodeSeconds, labelSeconds, segmentSeconds: decodeSeconds + labelSeconds, peakGpuBytes: context.peakBytes, rowBytes: big.cloud.rows.byteLength };
}

/**
 * Bench suite "splats": Gaussian-splat segmentation on the sample scenes' labelled splats
 * (splats.ply): labels per splat from the capture's true masks (the label assignment alone) and
 * from one click per object with the built-in model (the user's path), scored per splat against
 * the true labels and on the holdout views in 2-D; meshes of the labelled splats against the true
 * meshes; the mic radiance field exported as splats (FieldToSplats) against the field's own holdout
 * PSNR; seconds per segmentation on about a million
 * splats next to the radiance-field path's fusion of the same object in the same run.
 * @param bench quick: without the million-splat timing and the radiance-field fusion it is compared with
 * @param log progress log
 * @returns the table and figures
 */
export async function RunSplatBenchAsync(bench: BenchConfig, log: (line: string) => void): Promise<BenchSuiteResult> {
    const started = performance.now();
    const context = await GpuContext.CreateAsync({ label: "bench-splats" });
    const rasterizer = new SplatRasterizer(context);
    const sam = new SamService({ cache: new EmbeddingCache({ persistentBytes: 0 }) });
    const extraction = new ExtractionService();
    try {
        await sam.loadBuiltinAsync();
        const scenes: Record<string, SceneFigures> = {};
        for (const name of ["tabletop", "hard"]) {
            scenes[name] = await MeasureSceneAsync(name, rasterizer, sam, extraction, log);
        }
        // a radiance field leaving as splats: the mic field (the nerf suite's, else a shorter training)
        const fieldSplats = await MeasureFieldSplatsAsync(rasterizer, log);
        // --quick leaves out the million-splat timing (the slow part here)
        const million = bench.quick ? null : await MeasureMillionAsync(rasterizer, context, sam, log);
        const rows: BenchRow[] = [];
        for (const [name, figures] of Object.entries(scenes)) {
            const target = name === "tabletop" ? 0.95 : 0.9;
            rows.push(
                { metric: `${name}: splats labelled from the true masks, mean object IoU (min)`, value: `${figures.truthMasks.meanIou.toFixed(3)} (${figures.truthMasks.minIou.toFixed(3)})`, target: `≥ ${target}`, met: figures.truthMasks.minIou >= target },
                { metric: `${name}: per-splat label accuracy / holdout 2-D mIoU (true masks; the true labels' own: ceiling)`, value: `${figures.truthMasks.accuracy.toFixed(4)} / ${figures.truthMasks.holdoutMiou.toFixed(3)} (${figures.truthMasks.holdoutCeiling.toFixed(3)})` },
                { metric: `${name}: one click per object, built-in model: mean object IoU / holdout 2-D mIoU`, value: `${figures.oneClick.meanIou.toFixed(3)} / ${figures.oneClick.holdoutMiou.toFixed(3)}` },
                { metric: `${name}: meshes from the labelled splats, Chamfer % of the true mesh's diagonal, mean (max): true masks / one click`, value: `${figures.truthMeshes.meanChamferPercent.toFixed(2)} (${figures.truthMeshes.maxChamferPercent.toFixed(2)}) / ${figures.oneClickMeshes.meanChamferPercent.toFixed(2)} (${figures.oneClickMeshes.maxChamferPercent.toFixed(2)})` },
            );
        }
        rows.push(...fieldSplats.rows);
        let fusionSeconds: number | null = null;
        if (million) {
            // the radiance-field path on the same scene's first object, true masks, in this run
            const { capture, field } = await TrainedSampleAsync("tabletop", SampleTrainingIterations, log, SampleGridResolution);
            const truth = TruthMaskSet(capture);
            const first = truth.objects[0];
            const one = { ...truth, objects: [first], labels: truth.labels.map((labels) => labels.map((l) => (l === first.id ? first.id : 0))) };
            const fusion = await FuseAsync(capture, field, one, { options: {} }, log);
            fusionSeconds = fusion.seconds;
            rows.push(
                { metric: `one segmentation on ${(million.splats / 1e6).toFixed(2)} M splats (click → labels) / NeRF fusion of the same object`, value: `${(million.segmentSeconds / fusion.seconds).toFixed(2)}× (${million.segmentSeconds.toFixed(1)} s / ${fusion.seconds.toFixed(1)} s, same run)` },
                { metric: "1 M splats: views rendered once per scene / labels alone", value: `${million.renderSeconds.toFixed(1)} s / ${million.labelSeconds.toFixed(1)} s` },
                { metric: "1 M splats: peak GPU memory / splat rows", value: `${(million.peakGpuBytes / 2 ** 20).toFixed(0)} MiB / ${(million.rowBytes / 2 ** 20).toFixed(0)} MiB` },
            );
        }
        return { suite: "splats", title: "Gaussian-splat segmentation (FlashSplat labels)", rows, data: { scenes, fieldSplats: fieldSplats.data, million, nerfFusionSeconds: fusionSeconds, nerfFusionIterations: DefaultPipelineConfig.fuse.iterations }, seconds: (performance.now() - started) / 1000 };
    } finally {
        extraction.dispose();
        sam.dispose();
        context.dispose();
    }
}

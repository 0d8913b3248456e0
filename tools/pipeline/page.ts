// The pipeline runner's page (dist/app/pipeline.html), driven by cli.mjs through playwright:
// `window.sanerfPipeline.runAsync(request)` runs the pipeline's stages (plugin/core/pipeline, the
// same functions the editor's workspace calls) with the configuration resolved from the request's
// overrides, and writes each stage's outputs.
import { UrlCaptureSource } from "../../plugin/core/capture/urlCaptureSource";
import { CorruptMaskSet, SamLikeCorruptMaskSet, TruthMaskSet, type SamLikeChoiceSummary } from "../../plugin/core/evaluation/truthMasks";
import type { SamLikeErrorParams } from "../../plugin/core/evaluation/samLikeErrors";
import { SsimWindowSize } from "../../plugin/core/evaluation/imageMetrics";
import type { MaskNoiseParams } from "../../plugin/core/evaluation/maskNoise";
import type { RadianceFieldData } from "../../plugin/core/nerf/radianceFieldData";
import { ReadRadianceFieldAsync } from "../../plugin/core/nerf/radianceFieldFile";
import { LoadCaptureStageAsync } from "../../plugin/core/pipeline/captureStage";
import { ResolvePipelineConfig, type PipelineConfig } from "../../plugin/core/pipeline/pipelineConfig";
import type { MaskSet } from "../../plugin/core/segmentation/maskSet";
import { ImageDecoderPool } from "../../plugin/services/imageDecoderPool";
import { WriteCaptureOutputsAsync } from "./captureOutputs";
import { ExportFieldSplatsAsync, ExportWithOutputsAsync } from "./exportOutputs";
import { FuseWithOutputsAsync } from "./fuseOutputs";
import { LoadMaskFilesAsync } from "./maskFiles";
import { OutputWriter } from "./outputWriter";
import type { PipelineReport, PipelineRequest } from "./pipelineRequest";
import { IsClickPrompt, ParseBoxPrompt, ParsePointPrompt, type CliBoxPrompt, type CliPointPrompt } from "./promptArguments";
import type { Capture } from "../../plugin/core/capture/captureTypes";
import { SegmentWithOutputsAsync } from "./segmentOutputs";
import { SegmentSplatsWithOutputsAsync } from "./splatOutputs";
import { TrainWithOutputsAsync } from "./trainOutputs";

declare global {
    interface Window {
        /** The pipeline entry point for the CLI. */
        sanerfPipeline?: { runAsync(request: PipelineRequest): Promise<PipelineReport> };
    }
}

async function LoadFieldAsync(url: string): Promise<RadianceFieldData> {
    const response = await fetch(url);
    if (!response.ok) {
        throw new Error(`${url}: could not be read (HTTP ${response.status})`);
    }
    return ReadRadianceFieldAsync(await response.arrayBuffer(), url.split("/").pop() ?? "field.bin");
}

function Log(line: string): void {
    console.info(`[pipeline] ${line}`);
}

/** Checks the request's combinations before any work, so a bad one wastes no training. */
function CheckRequest(request: PipelineRequest): void {
    const prompted = request.prompts.length > 0 || request.boxes.length > 0;
    if (prompted && !request.train && !request.fieldUrl) {
        throw new Error("prompts need a radiance field: train one (--iters N) or give one (--field FILE)");
    }
    if (request.masks && request.fuse && !request.train && !request.fieldUrl) {
        throw new Error("fusion needs a radiance field: train one (--iters N) or give one (--field FILE)");
    }
    if (request.export && (!(prompted || request.masks) || !request.fuse)) {
        throw new Error("--export needs fused objects: give prompts or --masks (and do not turn fusion off)");
    }
    if (request.exportSplats && !request.train && !request.fieldUrl) {
        throw new Error("--export-splats writes the radiance field as splats: train one (--iters N) or give one (--field FILE)");
    }
}

/**
 * Checks every prompt against the loaded capture before any training: the frame exists, and the
 * click or box lies in that frame's original image.
 */
function CheckPromptsAgainstCapture(capture: Capture, points: readonly CliPointPrompt[], boxes: readonly CliBoxPrompt[]): void {
    const prompts = points.filter(IsClickPrompt);
    for (const prompt of [...prompts, ...boxes]) {
        if (!Number.isInteger(prompt.view) || prompt.view < 0 || prompt.view >= capture.frames.length) {
            throw new Error(`prompt view ${prompt.view} does not exist (the capture has frames 0..${capture.frames.length - 1})`);
        }
    }
    const size = (view: number): { width: number; height: number } => capture.frames[view].sourceSize ?? capture.sourceSize;
    const inside = (view: number, x: number, y: number): boolean => x >= 0 && y >= 0 && x <= size(view).width && y <= size(view).height;
    for (const prompt of prompts) {
        if (!inside(prompt.view, prompt.x, prompt.y)) {
            throw new Error(`--prompt view=${prompt.view},x=${prompt.x},y=${prompt.y}: the click is outside the frame's ${size(prompt.view).width}x${size(prompt.view).height} image`);
        }
    }
    for (const box of boxes) {
        if (!inside(box.view, box.x0, box.y0) || !inside(box.view, box.x1, box.y1) || box.x1 - box.x0 < 1 || box.y1 - box.y0 < 1) {
            throw new Error(`--box view=${box.view}: the box (${box.x0}, ${box.y0})-(${box.x1}, ${box.y1}) is empty or leaves the frame's ${size(box.view).width}x${size(box.view).height} image`);
        }
    }
}

async function RunAsync(request: PipelineRequest): Promise<PipelineReport> {
    const started = performance.now();
    const config: PipelineConfig = ResolvePipelineConfig(request.overrides);
    if (request.printConfig) {
        return { config, files: [], seconds: 0 };
    }
    const prompts = request.prompts.map(ParsePointPrompt);
    const boxes = request.boxes.map(ParseBoxPrompt);
    const out = new OutputWriter(request.outUrl);
    if (request.splatUrl) {
        return await RunSplatsAsync(request, config, prompts, boxes, out, started);
    }
    CheckRequest(request);
    if (!request.captureUrl) {
        throw new Error("--capture DIR is required (or --splat FILE)");
    }
    const captureUrl = request.captureUrl;
    const loading = performance.now();
    const capture = await LoadCaptureWithProgressAsync(captureUrl, request.captureName, config);
    const captureReport = await WriteCaptureOutputsAsync(capture, out, (performance.now() - loading) / 1000);
    Log(`capture: ${captureReport.frames} frames at ${captureReport.width}x${captureReport.height}, ${captureReport.holdout.length} holdout`);
    CheckPromptsAgainstCapture(capture, prompts, boxes);
    const smallest = capture.frames.reduce((min, frame) => Math.min(min, frame.image.width, frame.image.height), Infinity);
    if (request.train && smallest < SsimWindowSize) {
        throw new Error(`the images are ${smallest} pixels on their short side after downscaling; training evaluates the holdout views with SSIM on ${SsimWindowSize}x${SsimWindowSize} windows: use a larger --size`);
    }
    let field: RadianceFieldData | null = null;
    let train: PipelineReport["train"];
    if (request.train) {
        const startUrl = request.resumeUrl ?? request.fieldUrl;
        const start = startUrl ? await LoadFieldAsync(startUrl) : undefined;
        ({ report: train, field } = await TrainWithOutputsAsync(config.train, capture, request.curveAt, out, Log, start));
    } else if (request.fieldUrl) {
        field = await LoadFieldAsync(request.fieldUrl);
        Log(`field: loaded ${request.fieldUrl} (grid ${field.params.gridSize.join("x")})`);
    }
    const sceneSplats = field && request.exportSplats ? await ExportFieldSplatsAsync(field, out, Log) : undefined;
    let segment: PipelineReport["segment"];
    let masks: MaskSet | null = null;
    let noise: MaskNoiseParams | SamLikeErrorParams | undefined;
    let truthObjects: number[] = [];
    if (field && (prompts.length > 0 || boxes.length > 0)) {
        ({ report: segment, masks, truthObjects } = await SegmentWithOutputsAsync(capture, field, prompts, boxes, request.model, config.segment, out, Log));
    } else if (request.masks) {
        const given = request.masks === "truth" ? TruthMaskSet(capture) : await LoadMaskFilesAsync(capture, request.masks);
        masks = { ...given, objects: given.objects.map((o) => ({ ...o, name: capture.objects.find((c) => c.id === o.id)?.name ?? o.name })) };
        truthObjects = masks.objects.map((o) => o.id);
    }
    if (masks && request.noiseSeed !== undefined) {
        if (request.noiseModel === "sam-like") {
            if (!field) {
                throw new Error("--noise-model sam-like needs a field (--iters or --field): the errors are planned in 3-D");
            }
            let summary: SamLikeChoiceSummary;
            ({ masks, noise, summary } = SamLikeCorruptMaskSet(masks, capture, field, request.noiseSeed, config.segment.maskChoice));
            const kinds = Object.entries(summary.kinds).map(([kind, count]) => `${count} ${kind}`).join(", ");
            Log(`noise: ${masks.notes[masks.notes.length - 1]}; ${config.segment.maskChoice} choice: ${kinds} (${summary.changed} differ from SAM's), mean IoU of the chosen masks ${summary.meanTrueIou.toFixed(3)} over every view`);
        } else {
            ({ masks, noise } = CorruptMaskSet(masks, capture, request.noiseSeed));
        }
    }
    let fusion: PipelineReport["fusion"];
    let exported: PipelineReport["export"];
    if (field && masks && request.fuse) {
        const fused = await FuseWithOutputsAsync(capture, field, masks, noise, config.fuse, truthObjects, out, Log);
        fusion = fused.report;
        if (request.export) {
            exported = await ExportWithOutputsAsync(capture, captureUrl, field, fused.objectField, truthObjects, config.extract, out, Log);
        }
    }
    const report: PipelineReport = { config, capture: captureReport, train, sceneSplats, segment, fusion, export: exported, files: [...out.written, "report.json"], seconds: (performance.now() - started) / 1000 };
    await out.writeJsonAsync("report.json", report);
    return report;
}

/** Loads the capture through the pipeline's capture stage, logging progress every 2 s. */
async function LoadCaptureWithProgressAsync(captureUrl: string, name: string, config: PipelineConfig): Promise<Capture> {
    const pool = new ImageDecoderPool();
    let lastShown = 0;
    return await LoadCaptureStageAsync(new UrlCaptureSource(captureUrl, name), config.capture, {
        decodeImage: (image, signal) => pool.decodeAsync(image, signal),
        onProgress: (done, total) => {
            if (done === total || performance.now() - lastShown > 2000) {
                lastShown = performance.now();
                Log(`capture: ${done}/${total} frames decoded`);
            }
        },
    }).finally(() => pool.dispose());
}

/** A run on a splat file (--splat), with the capture's cameras when --capture is given too. */
async function RunSplatsAsync(request: PipelineRequest, config: PipelineConfig, prompts: CliPointPrompt[], boxes: CliBoxPrompt[], out: OutputWriter, started: number): Promise<PipelineReport> {
    if (prompts.length === 0 && boxes.length === 0) {
        throw new Error("--splat needs prompts: --prompt view=V,x=X,y=Y,label=L (a view of the splats), --prompt point=X,Y,Z,label=L or --box");
    }
    if (request.train || request.fieldUrl || request.masks || request.exportSplats) {
        throw new Error("--splat segments the splats themselves: --iters, --field, --masks and --export-splats do not apply");
    }
    const capture = request.captureUrl ? await LoadCaptureWithProgressAsync(request.captureUrl, request.captureName, config) : null;
    if (capture) {
        CheckPromptsAgainstCapture(capture, prompts, boxes);
    }
    const splats = await SegmentSplatsWithOutputsAsync({ splatUrl: request.splatUrl!, splatName: request.splatName ?? "splats", capture, captureUrl: request.captureUrl, prompts, boxes, model: request.model, export: request.export }, config, out, Log);
    const report: PipelineReport = { config, splats, files: [...out.written, "report.json"], seconds: (performance.now() - started) / 1000 };
    await out.writeJsonAsync("report.json", report);
    return report;
}

window.sanerfPipeline = { runAsync: RunAsync };

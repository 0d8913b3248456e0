// The pipeline runner's page (dist/app/pipeline.html), driven by tools/pipeline.mjs through
// playwright: `window.sanerfPipeline.runAsync(config)` runs the stages and writes the outputs.
import { RunCaptureStageAsync } from "./captureStage";
import { OutputWriter } from "./outputWriter";
import { RunTrainStageAsync } from "./trainStage";
import { RunSegmentStageAsync, type SegmentReport } from "./segmentStage";
import { ParseBoxPrompt, ParsePointPrompt } from "./promptArguments";
import { ReadRadianceFieldAsync } from "../../plugin/core/nerf/radianceFieldFile";
import type { RadianceFieldData } from "../../plugin/core/nerf/radianceFieldData";
import type { TrainReport } from "./pipelineTypes";
import { LoadMaskSetAsync, TruthMaskSet, WithNoise, type FrameMaskSet } from "./maskInputs";
import { RunFuseStageAsync, type FuseReport } from "./fuseStage";
import { RunExportStageAsync, type ExportReport } from "./exportStage";
import type { PipelineConfig, PipelineReport } from "./pipelineTypes";

declare global {
    interface Window {
        /** The pipeline entry point for the CLI. */
        sanerfPipeline?: { runAsync(config: PipelineConfig): Promise<PipelineReport> };
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

async function RunAsync(config: PipelineConfig): Promise<PipelineReport> {
    const started = performance.now();
    const out = new OutputWriter(config.outUrl);
    const { capture, report: captureReport } = await RunCaptureStageAsync(config, out, Log);
    Log(`capture: ${captureReport.frames} frames at ${captureReport.width}x${captureReport.height}, ${captureReport.holdout.length} holdout`);
    const prompts = config.prompts.map(ParsePointPrompt);
    const boxes = config.boxes.map(ParseBoxPrompt);
    let field: RadianceFieldData | null = null;
    let train: TrainReport | undefined;
    if (config.iterations > 0) {
        ({ report: train, field } = await RunTrainStageAsync(config, capture, out, Log));
    } else if (config.fieldUrl) {
        field = await LoadFieldAsync(config.fieldUrl);
        Log(`field: loaded ${config.fieldUrl} (grid ${field.params.gridSize.join("x")})`);
    }
    let segment: SegmentReport | undefined;
    let masks: FrameMaskSet | null = null;
    let truthObjects: number[] = [];
    if (prompts.length > 0 || boxes.length > 0) {
        if (!field) {
            throw new Error("prompts need a radiance field: train one (--iters N) or give one (--field FILE)");
        }
        const segmented = await RunSegmentStageAsync(capture, field, prompts, boxes, config.model, out, Log);
        segment = segmented.report;
        masks = segmented.masks;
        truthObjects = segmented.truthObjects;
    } else if (config.masks) {
        masks = config.masks === "truth" ? TruthMaskSet(capture) : await LoadMaskSetAsync(capture, config.masks);
        truthObjects = Array.from({ length: masks.objectCount }, (_, i) => i + 1);
    }
    if (masks && config.noiseSeed !== undefined) {
        masks = WithNoise(masks, capture, config.noiseSeed);
    }
    let fusion: FuseReport | undefined;
    let exported: ExportReport | undefined;
    if (masks && config.fuse.iterations > 0) {
        if (!field) {
            throw new Error("fusion needs a radiance field: train one (--iters N) or give one (--field FILE)");
        }
        const fused = await RunFuseStageAsync(capture, field, masks, config.fuse, truthObjects, out, Log);
        fusion = fused.report;
        if (config.exportResolution) {
            exported = await RunExportStageAsync(capture, config.captureUrl, field, fused.objectField, truthObjects, config.exportResolution, out, Log);
        }
    } else if (config.exportResolution) {
        throw new Error("--export needs fused objects: give prompts or --masks (and do not turn fusion off)");
    }
    const report: PipelineReport = { capture: captureReport, train, segment, fusion, export: exported, files: [...out.written, "report.json"], seconds: (performance.now() - started) / 1000 };
    await out.writeJsonAsync("report.json", report);
    return report;
}

window.sanerfPipeline = { runAsync: RunAsync };

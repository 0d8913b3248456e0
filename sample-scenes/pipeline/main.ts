// The pipeline runner's page (dist/app/pipeline.html), driven by tools/pipeline.mjs through
// playwright: `window.sanerfPipeline.runAsync(config)` runs the stages and writes the outputs.
import { RunCaptureStageAsync } from "./captureStage";
import { OutputWriter } from "./outputWriter";
import { RunTrainStageAsync } from "./trainStage";
import type { PipelineConfig, PipelineReport } from "./pipelineTypes";

declare global {
    interface Window {
        /** The pipeline entry point for the CLI. */
        sanerfPipeline?: { runAsync(config: PipelineConfig): Promise<PipelineReport> };
    }
}

function Log(line: string): void {
    console.info(`[pipeline] ${line}`);
}

async function RunAsync(config: PipelineConfig): Promise<PipelineReport> {
    const started = performance.now();
    const out = new OutputWriter(config.outUrl);
    const { capture, report: captureReport } = await RunCaptureStageAsync(config, out, Log);
    Log(`capture: ${captureReport.frames} frames at ${captureReport.width}x${captureReport.height}, ${captureReport.holdout.length} holdout`);
    const train = config.iterations > 0 ? await RunTrainStageAsync(config, capture, out, Log) : undefined;
    const report: PipelineReport = { capture: captureReport, train, files: [...out.written, "report.json"], seconds: (performance.now() - started) / 1000 };
    await out.writeJsonAsync("report.json", report);
    return report;
}

window.sanerfPipeline = { runAsync: RunAsync };

import type { BenchConfig, BenchRow, BenchSuiteResult } from "./benchTypes";
import { Mic200Async } from "./benchField";
import { MicClickAsync } from "./micClickBench";

/**
 * The one-click benchmark: one click on mic's body through the user's whole path (the built-in
 * model with the field's depth on the segment stage, the views' masks fused with the pipeline's
 * fusion settings), scored against mic's alpha on the holdout views, with the mask choice across
 * views against the model's own top predicted IoU. Mic at 200 px, on the nerf suite's field when it
 * ran first, else on a 3 000-iteration field trained here (shared with the fusion suite).
 * @param config quick or full (quick: a 500-iteration field and 300 fusion iterations)
 * @param log progress log
 * @returns the table and raw figures
 */
export async function RunClickBenchAsync(config: BenchConfig, log: (line: string) => void): Promise<BenchSuiteResult> {
    const started = performance.now();
    const rows: BenchRow[] = [];
    const mic = await Mic200Async(config.quick, log);
    const figures = await MicClickAsync(mic.capture, mic.field, config.quick ? { iterations: 300 } : {}, rows, log);
    return { suite: "click", title: "One click: mic's body clicked once, segmented by the built-in model, fused, scored on holdout views", rows, data: { mic: figures }, seconds: (performance.now() - started) / 1000 };
}

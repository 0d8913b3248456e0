import type { Capture } from "../../plugin/core/capture/captureTypes";
import { SamLikeCorruptMaskSet, TruthMaskSet } from "../../plugin/core/evaluation/truthMasks";
import type { RadianceFieldData } from "../../plugin/core/nerf/radianceFieldData";
import type { FuseStageConfig } from "../../plugin/core/pipeline/pipelineConfig";
import type { BenchRow } from "./benchTypes";
import { DescribeRun, FuseAsync, RunFigures } from "./fusionRuns";

/**
 * Fusion under the SAM-like error model (samLikeErrors: errors planned once per object in 3-D,
 * seen alike in every view; SAM's confidently wrong candidate in a share of views) on one scene:
 * the masks SAM's own choice (top predicted IoU) gives, against the pipeline's default consistent
 * choice across views; then the Ray-Pair verdict on the default path: without the Ray-Pair RGB
 * loss, and without IoU weighting. Rows go to `rows`.
 * @param name the scene's name for the rows
 * @param capture the capture (with ground truth)
 * @param field its radiance field
 * @param options the fusion settings of this bench run
 * @param rows the suite's table
 * @param log progress log
 * @returns the figures for the JSON file
 */
export async function SamLikeFusionAsync(name: string, capture: Capture, field: RadianceFieldData, options: Partial<FuseStageConfig>, rows: BenchRow[], log: (line: string) => void): Promise<Record<string, unknown>> {
    const truth = TruthMaskSet(capture);
    const bySam = SamLikeCorruptMaskSet(truth, capture, field, 1, "predicted-iou");
    const consistent = SamLikeCorruptMaskSet(truth, capture, field, 1, "consistent");
    log(`${name}: SAM-like masks; the consistent choice changed ${consistent.summary.changed} (view, object) pair(s)`);
    const samRun = await FuseAsync(capture, field, bySam.masks, { options }, log);
    const run = await FuseAsync(capture, field, consistent.masks, { options }, log);
    const noRayPair = await FuseAsync(capture, field, consistent.masks, { options: { ...options, rayPair: false } }, log);
    const noIouWeights = await FuseAsync(capture, field, consistent.masks, { options, iouWeights: false }, log);
    rows.push(
        {
            metric: `${name}, SAM-like errors: chosen masks' IoU (every view) / fused mIoU (holdout), SAM's choice → consistent choice`,
            value: `${bySam.summary.meanTrueIou.toFixed(3)} / ${samRun.meanIou.toFixed(3)} → ${consistent.summary.meanTrueIou.toFixed(3)} / ${run.meanIou.toFixed(3)}`,
            target: "consistent ≥ SAM's",
            met: run.meanIou >= samRun.meanIou,
        },
        { metric: `${name}, SAM-like: full run (consistent choice, Ray-Pair, IoU weighting)`, value: DescribeRun(run) },
        { metric: `${name}, SAM-like ablation: without the Ray-Pair RGB loss`, value: DescribeRun(noRayPair) },
        { metric: `${name}, SAM-like ablation: without IoU weighting`, value: DescribeRun(noIouWeights) }
    );
    return {
        noise: consistent.noise,
        samChoice: bySam.summary,
        consistentChoice: consistent.summary,
        samChoiceRun: RunFigures(samRun),
        consistentChoiceRun: RunFigures(run),
        ablation: { noRayPair: RunFigures(noRayPair), noIouWeights: RunFigures(noIouWeights) },
    };
}

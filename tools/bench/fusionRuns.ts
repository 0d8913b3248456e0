/** One fusion run through the pipeline's fuse stage, scored on the holdout views: what every fusion figure of the bench comes from. */
import type { Capture } from "../../plugin/core/capture/captureTypes";
import { ScoreHoldout, type FusedObjectScores } from "../../plugin/core/evaluation/holdoutScores";
import type { ObjectFieldData } from "../../plugin/core/fusion/objectFieldTypes";
import type { RadianceFieldData } from "../../plugin/core/nerf/radianceFieldData";
import { FuseMaskSetAsync } from "../../plugin/core/pipeline/fuseStage";
import { ResolvePipelineConfig, type FuseStageConfig } from "../../plugin/core/pipeline/pipelineConfig";
import type { MaskSet } from "../../plugin/core/segmentation/maskSet";
import { FusionService } from "../../plugin/services/fusionService";

/** One fusion run's figures. */
export interface FusionRun {
    readonly scores: FusedObjectScores[];
    readonly meanIou: number;
    readonly meanInputIou: number;
    readonly accuracy: number;
    readonly boundaryF: number;
    readonly boundaryF1: number;
    readonly seconds: number;
    readonly backend: string;
    readonly views: number;
    readonly objectField: ObjectFieldData;
}

/** How a run differs from the default (the ablations and the backend comparison). */
export interface RunVariant {
    /** Fusion settings that differ from the pipeline's (iterations, Ray-Pair loss off, CPU twins). */
    readonly options: Partial<FuseStageConfig>;
    /** false: every view with a mask counts 1 (no IoU weighting). */
    readonly iouWeights?: boolean;
}

/** One fusion run through the pipeline's fuse stage, scored on the holdout views. */
export async function FuseAsync(capture: Capture, field: RadianceFieldData, masks: MaskSet, variant: RunVariant, log: (line: string) => void): Promise<FusionRun> {
    const weighted = variant.iouWeights === false ? { ...masks, weights: masks.weights.map((w) => (w > 0 ? 1 : 0)) } : masks;
    const config = ResolvePipelineConfig({ fuse: variant.options }).fuse;
    const service = new FusionService();
    try {
        const onProgress = (p: { iteration: number; iterations: number; loss: number }): void => void (p.iteration % 400 === 0 && log(`fuse ${capture.name}: it ${p.iteration}/${p.iterations} loss ${p.loss.toFixed(4)}`));
        const { result, frameMasks, fusedViews } = await FuseMaskSetAsync(service, capture, field, weighted, config, { onProgress });
        const scores = ScoreHoldout(capture, frameMasks.map((r) => r.labels), weighted, weighted.objects.map((o) => o.id));
        const mean = (pick: (s: FusedObjectScores) => number): number => scores.reduce((sum, s) => sum + pick(s), 0) / scores.length;
        return { scores, meanIou: mean((s) => s.iou), meanInputIou: mean((s) => s.inputIou), accuracy: mean((s) => s.accuracy), boundaryF: mean((s) => s.boundaryF), boundaryF1: mean((s) => s.boundaryF1), seconds: result.seconds, backend: result.backend, views: fusedViews, objectField: result.field };
    } finally {
        service.dispose();
    }
}

/** Figures of a run for the JSON file (without the field itself). */
export function RunFigures(run: FusionRun): Omit<FusionRun, "objectField"> {
    return { ...run, objectField: undefined } as Omit<FusionRun, "objectField">;
}

/** A run's mIoU and boundary F at 2 px and 1 px, for the ablation rows. */
export function DescribeRun(run: FusionRun): string {
    return `mIoU ${run.meanIou.toFixed(4)}, boundary F ${run.boundaryF.toFixed(3)} (2 px) / ${run.boundaryF1.toFixed(4)} (1 px)`;
}

import type { Capture } from "../../plugin/core/capture/captureTypes";
import { TruthIou } from "../../plugin/core/evaluation/truthMasks";
import type { RadianceFieldData } from "../../plugin/core/nerf/radianceFieldData";
import { DefaultPipelineConfig, type FuseStageConfig, type SegmentStageConfig } from "../../plugin/core/pipeline/pipelineConfig";
import { LiftFramePrompts, SegmentViewsAsync } from "../../plugin/core/pipeline/segmentStage";
import { EmbeddingCache } from "../../plugin/core/sam/embeddingCache";
import { MaskSetFromObjects } from "../../plugin/core/segmentation/maskSet";
import { SamService } from "../../plugin/services/samService";
import type { BenchRow } from "./benchTypes";
import { FuseAsync } from "./fusionRuns";

/** The click on the mic's body the README quotes: (370, 260) of the 800 px original, as a share of the frame. */
const MicBodyClick = { frameIndex: 0, u: 370 / 800, v: 260 / 800 };

/**
 * One click on mic's body, the whole user path: the built-in model (with the field's depth) on the
 * segment stage, the views' masks fused on the training views, scored on the holdout views, with
 * the pipeline's mask choice across views against the model's own top predicted IoU. Rows go to `rows`.
 * @param capture mic
 * @param field its radiance field
 * @param options the fusion settings of this bench run
 * @param rows the suite's table
 * @param log progress log
 * @returns the figures for the JSON file
 */
export async function MicClickAsync(capture: Capture, field: RadianceFieldData, options: Partial<FuseStageConfig>, rows: BenchRow[], log: (line: string) => void): Promise<Record<string, unknown>> {
    const sam = new SamService({ cache: new EmbeddingCache({ persistentBytes: 0 }) });
    const figures: Record<string, unknown> = {};
    try {
        await sam.loadBuiltinAsync();
        const { width, height } = capture.frames[MicBodyClick.frameIndex].image;
        const values: string[] = [];
        for (const maskChoice of ["predicted-iou", "consistent"] as const) {
            const segment: SegmentStageConfig = { ...DefaultPipelineConfig.segment, maskChoice };
            const prompt = LiftFramePrompts(field, capture, [{ frameIndex: MicBodyClick.frameIndex, x: MicBodyClick.u * width, y: MicBodyClick.v * height, label: 1 }], null, segment);
            const frames = await SegmentViewsAsync(sam, capture, field, prompt, segment);
            const ious = frames.filter((f) => f.valid && f.mask).map((f) => TruthIou(capture.frames[f.frameIndex], 1, f.mask!) ?? 0);
            const meanIou = ious.reduce((sum, iou) => sum + iou, 0) / Math.max(1, ious.length);
            const masks = MaskSetFromObjects([{ name: "mic", frames }], segment.maskWeightFloor, "built-in model, one click");
            const run = await FuseAsync(capture, field, masks, { options }, log);
            log(`mic one click, ${maskChoice}: 2-D ${meanIou.toFixed(3)} over ${ious.length} views, fused ${run.meanIou.toFixed(3)}`);
            values.push(`${meanIou.toFixed(3)} / ${run.meanIou.toFixed(3)} (boundary F ${run.boundaryF.toFixed(3)})`);
            figures[maskChoice] = { views: ious.length, meanIou2d: meanIou, fusedIou: run.meanIou, boundaryF: run.boundaryF };
            if (maskChoice === "consistent") {
                rows.push({ metric: "mic, one click on the body (built-in model, depth): 2-D IoU / fused holdout IoU, top predicted IoU → consistent choice", value: values.join(" → "), target: "fused ≥ 0.90", met: run.meanIou >= 0.9 });
            }
        }
    } finally {
        sam.dispose();
    }
    return figures;
}

import type { Capture } from "../../plugin/core/capture/captureTypes";
import { MeanOrNull, ScoreHoldout } from "../../plugin/core/evaluation/holdoutScores";
import type { MaskNoiseParams } from "../../plugin/core/evaluation/maskNoise";
import type { SamLikeErrorParams } from "../../plugin/core/evaluation/samLikeErrors";
import { WriteObjectFieldAsync } from "../../plugin/core/fusion/objectFieldFile";
import type { ObjectFieldData } from "../../plugin/core/fusion/objectFieldTypes";
import type { RadianceFieldData } from "../../plugin/core/nerf/radianceFieldData";
import { FuseMaskSetAsync } from "../../plugin/core/pipeline/fuseStage";
import type { FuseStageConfig } from "../../plugin/core/pipeline/pipelineConfig";
import type { MaskSet } from "../../plugin/core/segmentation/maskSet";
import { FusionService } from "../../plugin/services/fusionService";
import { WriteLabelMasksAsync } from "./labelMasks";
import type { OutputWriter } from "./outputWriter";
import type { FuseReport } from "./pipelineRequest";

/**
 * The fusion stage with its outputs: the masks of the training frames fused into an object field
 * in the fusion worker, rendered into every frame; writes masks3d/<frame>.png (0/255 for one
 * object, labels for several), objectfield.bin and fusion.json (holdout IoU, accuracy and
 * boundary F against the ground truth, next to the input masks' IoU).
 * @param capture the capture
 * @param field the radiance field
 * @param masks the masks
 * @param noise the noise model's parameters, when the masks were corrupted by it
 * @param config the fusion settings
 * @param truthObjects for each object (1..K), the ground-truth label it stands for
 * @param out the output writer
 * @param log progress log
 * @returns the report and the fused field
 */
export async function FuseWithOutputsAsync(capture: Capture, field: RadianceFieldData, masks: MaskSet, noise: MaskNoiseParams | SamLikeErrorParams | undefined, config: FuseStageConfig, truthObjects: readonly number[], out: OutputWriter, log: (line: string) => void): Promise<{ report: FuseReport; objectField: ObjectFieldData }> {
    const service = new FusionService();
    try {
        const onProgress = (p: { iteration: number; iterations: number; loss: number; rayPairOn: boolean; seconds: number }): void => log(`fuse: it ${p.iteration}/${p.iterations} loss ${p.loss.toFixed(4)}${p.rayPairOn ? " (ray-pair on)" : ""}, ${p.seconds.toFixed(1)} s`);
        const { result, frameMasks, fusedViews } = await FuseMaskSetAsync(service, capture, field, masks, config, { onProgress });
        log(`fuse: ${result.iterations} iterations on ${result.backend} (${result.backendReason}) in ${result.seconds.toFixed(1)} s`);
        const labels = frameMasks.map((mask) => mask.labels);
        await WriteLabelMasksAsync(out, "masks3d", capture, labels, masks.objects.length);
        await out.writeAsync("objectfield.bin", await WriteObjectFieldAsync(result.field));
        const scores = ScoreHoldout(capture, labels, masks, truthObjects);
        const report: FuseReport = {
            source: masks.source,
            objects: masks.objects.length,
            backend: result.backend,
            backendReason: result.backendReason,
            iterations: result.iterations,
            rayPair: result.field.metadata.rayPair,
            grid: result.field.grid.gridSize,
            trainViews: fusedViews,
            seconds: result.seconds,
            notes: masks.notes,
            noise,
            holdout: scores,
            meanIou: MeanOrNull(scores.map((s) => s.iou)),
            meanInputIou: MeanOrNull(scores.map((s) => s.inputIou)),
            finalLoss: result.history[result.history.length - 1]?.loss ?? NaN,
        };
        await out.writeJsonAsync("fusion.json", report);
        return { report, objectField: result.field };
    } finally {
        service.dispose();
    }
}

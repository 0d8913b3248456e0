import type { Capture } from "../../plugin/core/capture/captureTypes";
import { SplitHoldout } from "../../plugin/core/capture/holdout";
import { BoundaryF, ScoreMask } from "../../plugin/core/evaluation/maskMetrics";
import { WriteObjectFieldAsync } from "../../plugin/core/fusion/objectFieldFile";
import type { FusionMaskView, FusionOptions, ObjectFieldData } from "../../plugin/core/fusion/objectFieldTypes";
import type { MaskNoiseParams } from "../../plugin/core/evaluation/maskNoise";
import type { RadianceFieldData } from "../../plugin/core/nerf/radianceFieldData";
import { FusionService } from "../../plugin/services/fusionService";
import type { FrameMaskSet } from "./maskInputs";
import { TruthLabels } from "./maskInputs";
import type { OutputWriter } from "./outputWriter";
import { EncodePngAsync } from "./pngFiles";
import { FrameName } from "./segmentStage";

/** Holdout figures of one object. */
export interface FusedObjectScores {
    readonly id: number;
    /** The ground-truth object it is compared with. */
    readonly truthObject: number;
    readonly iou: number;
    readonly accuracy: number;
    /** Boundary F-score, 2 px band. */
    readonly boundaryF: number;
    /** Boundary F-score, 1 px band (the 2 px band saturates on sharp 256 px masks). */
    readonly boundaryF1: number;
    /** The input masks' IoU on the same views. */
    readonly inputIou: number;
    readonly views: number;
}

/** The fusion stage's figures (fusion.json). */
export interface FuseReport {
    readonly source: string;
    readonly objects: number;
    readonly backend: string;
    readonly backendReason: string;
    readonly iterations: number;
    readonly rayPair: boolean;
    readonly grid: readonly number[];
    readonly trainViews: number;
    readonly seconds: number;
    readonly notes: readonly string[];
    readonly noise?: MaskNoiseParams;
    /** Per object on the holdout views, when the capture has ground truth. */
    readonly holdout: readonly FusedObjectScores[];
    /** Mean IoU over the objects (holdout), or null without ground truth. */
    readonly meanIou: number | null;
    readonly meanInputIou: number | null;
    readonly finalLoss: number;
}

/**
 * Scores fused masks of the holdout frames against the capture's ground truth, per object, next
 * to the input masks on the same frames.
 * @param capture the capture (with labels or alpha masks)
 * @param fused per frame (all frames): fused labels
 * @param masks the input masks
 * @param truthObjects for each fused object id (1..K), its ground-truth label
 * @returns one entry per object (empty without ground truth)
 */
export function ScoreHoldout(capture: Capture, fused: readonly Uint8Array[], masks: FrameMaskSet, truthObjects: readonly number[]): FusedObjectScores[] {
    const truth = TruthLabels(capture);
    const { holdout } = SplitHoldout(capture.frames.length);
    const scores: FusedObjectScores[] = [];
    if (!truth) {
        return scores;
    }
    for (let k = 1; k <= masks.objectCount; k++) {
        const t = truthObjects[k - 1];
        const sums = { iou: 0, accuracy: 0, boundaryF: 0, boundaryF1: 0, inputIou: 0 };
        for (const index of holdout) {
            const { width, height } = capture.frames[index].image;
            const truthAsK = truth[index].map((label) => (label === t ? k : 0));
            const score = ScoreMask(fused[index], truthAsK, width, height, k);
            sums.iou += score.iou;
            sums.accuracy += score.accuracy;
            sums.boundaryF += score.boundaryF;
            sums.boundaryF1 += BoundaryF(fused[index], truthAsK, width, height, k, 1);
            sums.inputIou += masks.weights[index] > 0 ? ScoreMask(masks.labels[index], truthAsK, width, height, k).iou : 0;
        }
        const n = holdout.length;
        scores.push({ id: k, truthObject: t, iou: sums.iou / n, accuracy: sums.accuracy / n, boundaryF: sums.boundaryF / n, boundaryF1: sums.boundaryF1 / n, inputIou: sums.inputIou / n, views: n });
    }
    return scores;
}

/**
 * Pipeline stage 4: fuses per-frame masks of the non-holdout frames into an object field in the
 * fusion worker, renders it into every frame (masks3d/<frame>.png: 0/255 for one object, instance
 * labels for several), writes objectfield.bin and fusion.json with holdout IoU, accuracy and
 * boundary F (2 px band) against the ground truth, next to the input masks' IoU.
 * @param capture the capture
 * @param field the radiance field
 * @param masks the per-frame masks
 * @param options fusion settings
 * @param truthObjects for each fused object id (1..K), the ground-truth label it stands for
 * @param out output writer
 * @param log progress log
 * @returns the report and the fused field
 */
export async function RunFuseStageAsync(capture: Capture, field: RadianceFieldData, masks: FrameMaskSet, options: Partial<FusionOptions>, truthObjects: readonly number[], out: OutputWriter, log: (line: string) => void): Promise<{ report: FuseReport; objectField: ObjectFieldData }> {
    const { train } = SplitHoldout(capture.frames.length);
    const views: FusionMaskView[] = train.map((index) => ({ frameIndex: index, cameraToWorld: capture.frames[index].cameraToWorld, intrinsics: capture.frames[index].intrinsics, labels: masks.labels[index], weight: masks.weights[index] }));
    const objects = Array.from({ length: masks.objectCount }, (_, i) => ({ id: i + 1, name: capture.objects.find((o) => o.id === truthObjects[i])?.name ?? `object ${i + 1}` }));
    const service = new FusionService();
    try {
        const result = await service.runAsync({ field, views, objects, options, captureName: capture.name }, (p) => log(`fuse: it ${p.iteration}/${p.iterations} loss ${p.loss.toFixed(4)}${p.rayPairOn ? " (ray-pair on)" : ""}, ${p.seconds.toFixed(1)} s`));
        log(`fuse: ${result.iterations} iterations on ${result.backend} (${result.backendReason}) in ${result.seconds.toFixed(1)} s`);
        const rendered = await service.renderMasksAsync(capture.frames);
        for (let index = 0; index < capture.frames.length; index++) {
            const { width, height, labels } = rendered[index];
            const data = new Uint8ClampedArray(width * height * 4);
            labels.forEach((label, i) => {
                const v = masks.objectCount === 1 ? (label ? 255 : 0) : label;
                data.set([v, v, v, 255], i * 4);
            });
            await out.writeAsync(`masks3d/${FrameName(capture, index)}.png`, await EncodePngAsync({ width, height, data }));
        }
        await out.writeAsync("objectfield.bin", await WriteObjectFieldAsync(result.field));
        const scores = ScoreHoldout(capture, rendered.map((r) => r.labels), masks, truthObjects);
        const mean = (values: number[]): number | null => (values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null);
        const report: FuseReport = {
            source: masks.source,
            objects: masks.objectCount,
            backend: result.backend,
            backendReason: result.backendReason,
            iterations: result.iterations,
            rayPair: result.field.metadata.rayPair,
            grid: result.field.grid.gridSize,
            trainViews: views.filter((v) => v.weight > 0).length,
            seconds: result.seconds,
            notes: masks.notes,
            noise: masks.noise,
            holdout: scores,
            meanIou: mean(scores.map((s) => s.iou)),
            meanInputIou: mean(scores.map((s) => s.inputIou)),
            finalLoss: result.history[result.history.length - 1]?.loss ?? NaN,
        };
        await out.writeJsonAsync("fusion.json", report);
        return { report, objectField: result.field };
    } finally {
        service.dispose();
    }
}

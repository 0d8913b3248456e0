import type { Capture } from "../../plugin/core/capture/captureTypes";
import { SplitHoldout } from "../../plugin/core/capture/holdout";
import type { FusionMaskView, FusionOptions, ObjectFieldData } from "../../plugin/core/fusion/objectFieldTypes";
import type { RadianceFieldData } from "../../plugin/core/nerf/radianceFieldData";
import { FusionService } from "../../plugin/segmentation/fusionService";
import { ScoreHoldout, type FusedObjectScores } from "../pipeline/fuseStage";
import { TruthMaskSet, WithNoise, type FrameMaskSet } from "../pipeline/maskInputs";
import { CreatePipelineTrainerAsync, DescribeStep } from "../pipeline/trainStage";
import type { BenchConfig, BenchRow, BenchSuiteResult } from "./benchTypes";
import { TrainedSampleAsync } from "./segmentBench";
import { KeptBenchField, LoadMicAsync } from "./benchField";

/** One fusion run's figures. */
interface FusionRun {
    readonly scores: FusedObjectScores[];
    readonly meanIou: number;
    readonly meanInputIou: number;
    readonly accuracy: number;
    readonly boundaryF: number;
    readonly seconds: number;
    readonly backend: string;
    readonly objectField: ObjectFieldData;
}

/** Fused sample scenes of this page (default settings, default noise), for the objects suite. */
export const FusedSamples = new Map<string, { capture: Capture; field: RadianceFieldData; objectField: ObjectFieldData }>();

async function FuseAsync(capture: Capture, field: RadianceFieldData, masks: FrameMaskSet, options: Partial<FusionOptions>, log: (line: string) => void): Promise<FusionRun> {
    const { train } = SplitHoldout(capture.frames.length);
    const views: FusionMaskView[] = train.map((index) => ({ frameIndex: index, cameraToWorld: capture.frames[index].cameraToWorld, intrinsics: capture.frames[index].intrinsics, labels: masks.labels[index], weight: masks.weights[index] }));
    const objects = Array.from({ length: masks.objectCount }, (_, i) => ({ id: i + 1, name: capture.objects.find((o) => o.id === i + 1)?.name ?? `object ${i + 1}` }));
    const service = new FusionService();
    try {
        const result = await service.runAsync({ field, views, objects, options, captureName: capture.name }, (p) => p.iteration % 400 === 0 && log(`fuse ${capture.name}: it ${p.iteration}/${p.iterations} loss ${p.loss.toFixed(4)}`));
        const rendered = await service.renderMasksAsync(capture.frames);
        const scores = ScoreHoldout(capture, rendered.map((r) => r.labels), masks, objects.map((o) => o.id));
        const mean = (pick: (s: FusedObjectScores) => number): number => scores.reduce((sum, s) => sum + pick(s), 0) / scores.length;
        return { scores, meanIou: mean((s) => s.iou), meanInputIou: mean((s) => s.inputIou), accuracy: mean((s) => s.accuracy), boundaryF: mean((s) => s.boundaryF), seconds: result.seconds, backend: result.backend, objectField: result.field };
    } finally {
        service.dispose();
    }
}

async function MicFieldAsync(config: BenchConfig, log: (line: string) => void): Promise<{ capture: Capture; field: RadianceFieldData }> {
    const capture = await LoadMicAsync(200);
    const kept = KeptBenchField();
    if (kept) {
        log("mic: using the nerf suite's field");
        return { capture, field: kept };
    }
    const iterations = config.quick ? 500 : 3000;
    log(`training a field on mic at 200 px (${iterations} iterations)...`);
    const { context, trainer } = await CreatePipelineTrainerAsync({ iterations, gridResolution: 96, seed: 1 }, capture);
    trainer.onStep.add((step) => step.iteration % 500 === 0 && log(DescribeStep(step)));
    await trainer.trainAsync();
    const field = await trainer.exportFieldAsync();
    trainer.dispose();
    context.dispose();
    return { capture, field };
}

/**
 * The mask-aggregator benchmark: on both sample scenes (every object at once, softmax) and on mic
 * (its alpha as the one object), ground-truth masks corrupted by the default noise model are fused
 * on the non-holdout frames; the fused field's renders of the holdout frames are scored against
 * the ground truth next to the noisy masks of the same frames; plus the Ray-Pair ablation on the
 * tabletop and the hard scene's same-colour dome.
 * @param config quick or full
 * @param log progress log
 * @returns the table and raw figures
 */
export async function RunFusionBenchAsync(config: BenchConfig, log: (line: string) => void): Promise<BenchSuiteResult> {
    const started = performance.now();
    const rows: BenchRow[] = [];
    const data: Record<string, unknown> = {};
    const options: Partial<FusionOptions> = { iterations: config.quick ? 300 : 1200 };
    const nerfIterations = config.quick ? 300 : 1500;
    for (const name of ["tabletop", "hard"]) {
        const { capture, field } = await TrainedSampleAsync(name, nerfIterations, log, 96);
        const masks = WithNoise(TruthMaskSet(capture), capture, 1);
        const run = await FuseAsync(capture, field, masks, options, log);
        FusedSamples.set(name, { capture, field, objectField: run.objectField });
        rows.push(
            { metric: `${name}: fused mIoU on holdout views (noisy input masks)`, value: `${run.meanIou.toFixed(3)} (${run.meanInputIou.toFixed(3)})`, target: "≥ 0.95, ≥ input + 0.03", met: run.meanIou >= 0.95 && run.meanIou >= run.meanInputIou + 0.03 },
            { metric: `${name}: pixel accuracy / boundary F (2 px)`, value: `${run.accuracy.toFixed(4)} / ${run.boundaryF.toFixed(3)}`, target: "accuracy ≥ 0.99", met: run.accuracy >= 0.99 },
            { metric: `${name}: fusion time (${options.iterations} iterations, ${run.backend})`, value: `${run.seconds.toFixed(1)} s` }
        );
        data[name] = { ...run, objectField: undefined, noise: masks.noise, notes: masks.notes };
        if (name === "hard") {
            const dome = capture.objects.find((o) => /table material/.test(o.name));
            const score = run.scores.find((s) => s.truthObject === dome?.id);
            if (score) {
                rows.push({ metric: `hard: "${dome!.name}" (same colour as the table) IoU`, value: `${score.iou.toFixed(3)} (input ${score.inputIou.toFixed(3)})` });
            }
        }
        if (name === "tabletop") {
            const ablation = await FuseAsync(capture, field, masks, { ...options, rayPair: false }, log);
            rows.push({ metric: "tabletop: without the Ray-Pair RGB loss (ablation)", value: `mIoU ${ablation.meanIou.toFixed(3)}, boundary F ${ablation.boundaryF.toFixed(3)}` });
            data.tabletopNoRayPair = { ...ablation, objectField: undefined };
        }
    }
    const mic = await MicFieldAsync(config, log);
    const micMasks = WithNoise(TruthMaskSet(mic.capture), mic.capture, 1);
    const micRun = await FuseAsync(mic.capture, mic.field, micMasks, options, log);
    rows.push({ metric: "mic (alpha as truth) at 200 px: fused IoU (noisy input)", value: `${micRun.meanIou.toFixed(3)} (${micRun.meanInputIou.toFixed(3)})`, target: "≥ 0.93", met: micRun.meanIou >= 0.93 });
    data.mic = { ...micRun, objectField: undefined };
    return { suite: "fusion", title: "Mask aggregator: noisy ground-truth masks fused into an object field, scored on holdout views", rows, data, seconds: (performance.now() - started) / 1000 };
}

import type { Capture } from "../../plugin/core/capture/captureTypes";
import { SplitHoldout } from "../../plugin/core/capture/holdout";
import { ProjectPoint } from "../../plugin/core/math/cameraProjection";
import type { RadianceFieldData } from "../../plugin/core/nerf/radianceFieldData";
import { InnerGridSpacing } from "../../plugin/core/nerf/fieldGeometry";
import { DefaultPipelineConfig, type SegmentStageConfig } from "../../plugin/core/pipeline/pipelineConfig";
import { LiftFramePrompts, SegmentViewsAsync, ViewImage } from "../../plugin/core/pipeline/segmentStage";
import { LiftClick } from "../../plugin/core/segmentation/promptLifting";
import { PropagatePrompts } from "../../plugin/core/segmentation/promptPropagation";
import { EmbeddingCache } from "../../plugin/core/sam/embeddingCache";
import { SamService } from "../../plugin/services/samService";
import type { BenchConfig, BenchRow, BenchSuiteResult } from "./benchTypes";
import { TrainedSampleAsync } from "./benchField";
import { ObjectClick } from "./objectClick";

/** The segmentation settings the editor and the CLI use. */
const segment: SegmentStageConfig = DefaultPipelineConfig.segment;

type TruthClass = "visible" | "occluded" | "outside";

/**
 * Ground-truth visibility of a 3-D point in a frame from the capture's depth at its pixel, and
 * whether the truth is clear there: the 3 x 3 pixels around it all say the same (else the point
 * sits at an occlusion edge or a silhouette, where half a pixel decides).
 */
function TruthVisibility(capture: Capture, index: number, point: readonly number[], tolerance: number): { truth: TruthClass; clear: boolean } {
    const frame = capture.frames[index];
    const { width, height } = frame.image;
    const { u, v, depth } = ProjectPoint(frame.cameraToWorld, frame.intrinsics, point);
    if (!(depth > 0) || u < 0 || v < 0 || u >= width || v >= height) {
        return { truth: "outside", clear: true };
    }
    const classify = (x: number, y: number): TruthClass => {
        const truth = frame.depth![y * width + x];
        return truth > 0 && truth < depth - tolerance ? "occluded" : Math.abs(truth - depth) <= tolerance ? "visible" : "outside";
    };
    const [x, y] = [Math.floor(u), Math.floor(v)];
    const truth = classify(x, y);
    let clear = true;
    for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
            const [xx, yy] = [x + dx, y + dy];
            clear &&= xx < 0 || yy < 0 || xx >= width || yy >= height || classify(xx, yy) === truth;
        }
    }
    return { truth, clear };
}

/** Propagation scored against the truth: hits / cases, in clear views and in all views. */
interface PropagationScores {
    readonly inside: { readonly clear: number; readonly clearViews: number; readonly all: number; readonly allViews: number };
    readonly rejected: { readonly clear: number; readonly clearViews: number; readonly all: number; readonly allViews: number };
}

/**
 * The segmentation benchmark: built-in model encode/decode times on wasm and WebGPU; encoder runs
 * during a prompt session once the cache is warm; decodes per propagation; and, on both sample
 * scenes with trained fields, whether propagated prompts land inside the ground-truth object where
 * the point is visible and are rejected where it is occluded (ground truth from the scenes' depth
 * and labels).
 * @param config quick or full
 * @param log progress log
 * @returns the table and raw figures
 */
export async function RunSegmentBenchAsync(config: BenchConfig, log: (line: string) => void): Promise<BenchSuiteResult> {
    const started = performance.now();
    const rows: BenchRow[] = [];
    const data: Record<string, unknown> = {};
    const iterations = config.quick ? 300 : 800;
    const { capture, field } = await TrainedSampleAsync("tabletop", iterations, log);
    for (const backend of ["wasm", "webgpu"] as const) {
        const sam = new SamService({ backend, cache: new EmbeddingCache({ persistentBytes: 0 }) });
        const model = await sam.loadBuiltinAsync();
        const frames = capture.frames.slice(0, config.quick ? 4 : 12);
        let t = performance.now();
        for (let i = 0; i < frames.length; i++) {
            await sam.embedAsync(ViewImage(capture, i));
        }
        const encodeMs = (performance.now() - t) / frames.length;
        t = performance.now();
        for (let i = 0; i < frames.length; i++) {
            await sam.decodeAsync(ViewImage(capture, i), { points: [{ x: 64, y: 64, label: 1 }] });
        }
        const decodeMs = (performance.now() - t) / frames.length;
        rows.push({ metric: `built-in model encode, ${model.backend}`, value: `${encodeMs.toFixed(1)} ms per ${capture.frames[0].image.width} px view` }, { metric: `built-in model decode, ${model.backend}`, value: `${decodeMs.toFixed(1)} ms`, target: model.backend === "wasm" ? "MobileSAM goal ≤ 50 ms" : undefined });
        data[`encodeMs_${model.backend}`] = encodeMs;
        data[`decodeMs_${model.backend}`] = decodeMs;
        sam.dispose();
    }
    // Cache warm: embed every frame, then a prompt session (live decode + propagation) runs no encoder.
    const sam = new SamService({ cache: new EmbeddingCache({ persistentBytes: 0 }) });
    await sam.loadBuiltinAsync();
    for (let i = 0; i < capture.frames.length; i++) {
        await sam.embedAsync(ViewImage(capture, i));
    }
    const encoderBefore = sam.encoderRuns;
    const decoderBefore = sam.decoderRuns;
    // the pipeline's segment stage, as the prompt tool's propagation and the CLI run it
    const prompt = LiftFramePrompts(field, capture, [{ frameIndex: 1, x: 64, y: 64, label: 1 }], null, segment);
    const masks = await SegmentViewsAsync(sam, capture, field, prompt, segment);
    const encoderRuns = sam.encoderRuns - encoderBefore;
    const decodes = sam.decoderRuns - decoderBefore;
    const valid = masks.filter((m) => m.valid).length;
    rows.push({ metric: "encoder runs during a prompt session, cache warm", value: String(encoderRuns), target: "0", met: encoderRuns === 0 }, { metric: "decoder calls per propagation / valid views", value: `${decodes} / ${valid}`, target: "one per valid view", met: decodes === valid });
    sam.dispose();
    for (const name of ["tabletop", "hard"]) {
        const sample = await TrainedSampleAsync(name, iterations, log);
        const accuracy = PropagationAccuracy(sample.capture, sample.field);
        const percent = (hits: number, views: number): string => `${((hits / Math.max(1, views)) * 100).toFixed(1)}% of ${views}`;
        const { inside, rejected } = accuracy;
        rows.push(
            { metric: `${name}: projected prompt inside the object where visible (clear views; all views)`, value: `${percent(inside.clear, inside.clearViews)}; ${percent(inside.all, inside.allViews)}`, target: "≥ 95% (clear views)", met: inside.clear >= 0.95 * inside.clearViews },
            { metric: `${name}: prompt rejected where occluded (clear views; all views)`, value: `${percent(rejected.clear, rejected.clearViews)}; ${percent(rejected.all, rejected.allViews)}`, target: "≥ 95% (clear views)", met: rejected.clear >= 0.95 * rejected.clearViews }
        );
        data[`${name}Accuracy`] = accuracy;
    }
    return { suite: "segment", title: "Segmentation: built-in model, cache, prompt propagation on the sample scenes", rows, data, seconds: (performance.now() - started) / 1000 };
}

/**
 * For every object and every training view where it shows: click its label centroid, lift through
 * the field, propagate to all frames, and score against the scene's depth and labels. "Clear" views
 * are those where the truth is the same in the 3 x 3 pixels around the projected point; the others
 * (an occluder's edge or a silhouette within a pixel) are counted under all views only.
 */
function PropagationAccuracy(capture: Capture, field: RadianceFieldData): PropagationScores {
    const { train } = SplitHoldout(capture.frames.length);
    const inside = { clear: 0, clearViews: 0, all: 0, allViews: 0 };
    const rejected = { clear: 0, clearViews: 0, all: 0, allViews: 0 };
    const tally = (score: typeof inside, clear: boolean, hit: boolean): void => {
        score.allViews++;
        score.all += hit ? 1 : 0;
        if (clear) {
            score.clearViews++;
            score.clear += hit ? 1 : 0;
        }
    };
    // the depth test's own tolerance, applied to the true depth
    const tolerance = segment.depthToleranceSpacings * InnerGridSpacing(field.params);
    for (const object of capture.objects) {
        for (const source of train.filter((_, i) => i % 4 === 1)) {
            const frame = capture.frames[source];
            const click = ObjectClick(frame.labels!, frame.image.width, object.id);
            if (!click) {
                continue;
            }
            const hit = LiftClick(field, frame, click.x, click.y, segment.surfaceThreshold);
            if (!hit) {
                continue;
            }
            const prompts = PropagatePrompts(field, capture.frames, [{ position: hit, label: 1 }], undefined, segment);
            prompts.forEach((prompt) => {
                const { truth, clear } = TruthVisibility(capture, prompt.frameIndex, hit, tolerance);
                if (truth === "visible") {
                    const other = capture.frames[prompt.frameIndex];
                    const p = ProjectPoint(other.cameraToWorld, other.intrinsics, hit);
                    const label = other.labels![Math.floor(p.v) * other.image.width + Math.floor(p.u)];
                    tally(inside, clear, prompt.valid && prompt.visibility[0] === "visible" && label === object.id);
                } else if (truth === "occluded") {
                    tally(rejected, clear, prompt.visibility[0] !== "visible");
                }
            });
        }
    }
    return { inside, rejected };
}

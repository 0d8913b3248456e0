import type { Capture } from "../../plugin/core/capture/captureTypes";
import { SplitHoldout } from "../../plugin/core/capture/holdout";
import { BinaryMaskIou } from "../../plugin/core/evaluation/maskMetrics";
import { TruthIou } from "../../plugin/core/evaluation/truthMasks";
import { GpuContext } from "../../plugin/core/gpu/gpuContext";
import type { RadianceFieldData } from "../../plugin/core/nerf/radianceFieldData";
import { DistilFeatureFieldAsync } from "../../plugin/core/pipeline/featureStage";
import { DefaultPipelineConfig } from "../../plugin/core/pipeline/pipelineConfig";
import { ViewInput } from "../../plugin/core/pipeline/segmentStage";
import { EmbeddingCache } from "../../plugin/core/sam/embeddingCache";
import { SamService } from "../../plugin/services/samService";
import { BenchFieldAsync, LoadMicAsync, TrainedSampleAsync } from "./benchField";
import type { BenchConfig, BenchRow, BenchSuiteResult } from "./benchTypes";
import { ObjectClick } from "./objectClick";

/** One scene's figures: holdout clicks decoded from the encoder's embedding and from the feature field's. */
interface SceneFigures {
    readonly clicks: number;
    /** Mean IoU of the feature-field mask against the encoder-fed mask of the same click. */
    readonly meanIouVsEncoder: number;
    /** Mean IoU against the truth, encoder-fed and feature-fed. */
    readonly truthIouEncoder: number;
    readonly truthIouField: number;
    /** Milliseconds per holdout view: encoder run, rendered embedding, one decode. */
    readonly encodeMs: number;
    readonly renderMs: number;
    readonly decodeMs: number;
    readonly distilSeconds: number;
    readonly finalLoss: number;
    readonly featureBytes: number;
}

/**
 * Distils the built-in model's features of a scene's training frames (the pipeline's feature stage
 * with its defaults), then clicks every labelled object in every holdout view and decodes the click
 * twice: from the encoder's embedding of the view and from the feature field's rendered embedding.
 */
async function MeasureSceneAsync(capture: Capture, field: RadianceFieldData, context: GpuContext | null, log: (line: string) => void): Promise<SceneFigures> {
    const sam = new SamService({ cache: new EmbeddingCache({ persistentBytes: 0 }) });
    try {
        await sam.loadBuiltinAsync();
        const config = DefaultPipelineConfig.features;
        const withDepth = (sam.takesDepth ?? false) && DefaultPipelineConfig.segment.viewDepth;
        let t = performance.now();
        const distillation = await DistilFeatureFieldAsync(sam, capture, field, config, {
            context,
            viewDepth: DefaultPipelineConfig.segment.viewDepth,
            onProgress: (p) => p.phase === "distil" && p.iteration % 250 === 0 && log(`${capture.name}: distil ${p.iteration} / ${p.iterations}, loss ${p.loss.toFixed(4)}, ${p.seconds.toFixed(0)} s`),
        });
        const distilSeconds = (performance.now() - t) / 1000;
        try {
            const exported = await distillation.exportFieldAsync();
            const ious: number[] = [];
            const truth = { encoder: [] as number[], field: [] as number[] };
            const ms = { encode: 0, render: 0, decode: 0, views: 0 };
            for (const index of SplitHoldout(capture.frames.length).holdout) {
                const frame = capture.frames[index];
                // the sample scenes' object labels, or mic's alpha as object 1
                const labels = frame.labels ?? (frame.mask ? Uint8Array.from(frame.mask, (alpha) => (alpha > 127 ? 1 : 0)) : null);
                if (!labels) {
                    continue;
                }
                const objectIds = frame.labels ? capture.objects.map((object) => object.id) : [1];
                const input = ViewInput(capture, field, index, withDepth);
                t = performance.now();
                const embedding = await sam.embedAsync(input);
                ms.encode += performance.now() - t;
                t = performance.now();
                const rendered = await distillation.renderEmbeddingAsync(frame);
                ms.render += performance.now() - t;
                ms.views++;
                for (const id of objectIds) {
                    const click = ObjectClick(labels, frame.image.width, id);
                    if (!click) {
                        continue;
                    }
                    const prompt = { points: [{ ...click, label: 1 as const }] };
                    t = performance.now();
                    const fromEncoder = await sam.decodeAsync(embedding, prompt);
                    ms.decode += performance.now() - t;
                    const fromField = await sam.decodeAsync(rendered, prompt);
                    ious.push(BinaryMaskIou(fromField.mask, fromEncoder.mask));
                    truth.encoder.push(TruthIou(frame, id, fromEncoder.mask) ?? 0);
                    truth.field.push(TruthIou(frame, id, fromField.mask) ?? 0);
                }
            }
            const mean = (values: number[]): number => values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);
            const figures: SceneFigures = {
                clicks: ious.length,
                meanIouVsEncoder: mean(ious),
                truthIouEncoder: mean(truth.encoder),
                truthIouField: mean(truth.field),
                encodeMs: ms.encode / Math.max(1, ms.views),
                renderMs: ms.render / Math.max(1, ms.views),
                decodeMs: ms.decode / Math.max(1, ious.length),
                distilSeconds,
                finalLoss: distillation.loss,
                featureBytes: exported.features.byteLength,
            };
            log(`${capture.name}: ${JSON.stringify(figures)}`);
            return figures;
        } finally {
            distillation.dispose();
        }
    } finally {
        sam.dispose();
    }
}

/**
 * The feature-container benchmark: on both sample scenes and mic, masks decoded from the distilled
 * feature field against encoder-fed masks of the same holdout clicks (and both against the truth),
 * and the time per free-viewpoint prompt of each container as a ratio measured in the same run.
 * @param config quick or full
 * @param log progress log
 * @returns the table and raw figures
 */
export async function RunFeatureBenchAsync(config: BenchConfig, log: (line: string) => void): Promise<BenchSuiteResult> {
    const started = performance.now();
    const rows: BenchRow[] = [];
    const data: Record<string, unknown> = {};
    const context = GpuContext.IsSupported() ? await GpuContext.CreateAsync({ label: "feature bench" }) : null;
    try {
        const scenes: { name: string; load: () => Promise<{ capture: Capture; field: RadianceFieldData }> }[] = [
            { name: "tabletop", load: () => TrainedSampleAsync("tabletop", config.quick ? 300 : 800, log) },
            { name: "hard", load: () => TrainedSampleAsync("hard", config.quick ? 300 : 800, log) },
            { name: "mic", load: async () => ({ field: await BenchFieldAsync(log), capture: await LoadMicAsync(100) }) },
        ];
        for (const scene of scenes) {
            const { capture, field } = await scene.load();
            const figures = await MeasureSceneAsync(capture, field, context, log);
            data[scene.name] = figures;
            const f = (v: number): string => v.toFixed(3);
            rows.push(
                { metric: `${scene.name}: feature-field mask vs encoder-fed mask, mean IoU over ${figures.clicks} holdout clicks`, value: f(figures.meanIouVsEncoder) },
                { metric: `${scene.name}: IoU vs truth, encoder-fed → feature field`, value: `${f(figures.truthIouEncoder)} → ${f(figures.truthIouField)}` },
                {
                    metric: `${scene.name}: free-viewpoint prompt, feature field / encoder (render + decode) / (encode + decode), built-in encoder`,
                    value: `${((figures.renderMs + figures.decodeMs) / (figures.encodeMs + figures.decodeMs)).toFixed(2)} (render ${(figures.renderMs / figures.decodeMs).toFixed(1)}×, encode ${(figures.encodeMs / figures.decodeMs).toFixed(1)}× a decode)`,
                },
                { metric: `${scene.name}: feature grid`, value: `${(figures.featureBytes / 2 ** 20).toFixed(1)} MiB, distilled in ${figures.distilSeconds.toFixed(0)} s (final loss ${figures.finalLoss.toFixed(4)})` }
            );
        }
    } finally {
        context?.dispose();
    }
    return { suite: "features", title: "Feature containers: distilled feature field against the embedding cache on holdout views", rows, data, seconds: (performance.now() - started) / 1000 };
}

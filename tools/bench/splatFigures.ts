import type { Capture } from "../../plugin/core/capture/captureTypes";
import { SplitHoldout } from "../../plugin/core/capture/holdout";
import { SeededRandom } from "../../plugin/core/math/seededRandom";
import { ReadSplat, SplatRowBytes, WriteSplat, type SplatCloud } from "../../plugin/core/splats/splatCloud";
import { SplatRasterizer } from "../../plugin/core/splats/splatRasterizer";
import { RenderSplatLabelsAsync } from "../../plugin/core/splats/splatLabelRender";

/** How labels per splat compare with the true ones. */
export interface LabelFigures {
    /** Share of splats whose label is their true object (or background). */
    readonly accuracy: number;
    /** Per true object: IoU of the splats labelled it and the splats truly it. */
    readonly perObject: Record<number, number>;
    readonly meanIou: number;
    readonly minIou: number;
    /** Mean over objects of the IoU of the rendered object masks against the holdout frames' true labels. */
    readonly holdoutMiou: number;
    /** The same for the splats' true labels: what the splats themselves allow at these views' size. */
    readonly holdoutCeiling: number;
}

/**
 * Scores labels per splat against the true labels, and the labelled splats' rendered masks on the
 * capture's holdout views.
 * @param cloud the splats
 * @param truth true object id per splat (0 background)
 * @param labels assigned label per splat (k = the k-th segmented object)
 * @param segmented the true object id each label 1..K stands for
 * @param objects every true object id
 * @param capture the capture (holdout frames with labels)
 * @returns the figures
 */
export async function LabelledSplatFigures(cloud: SplatCloud, truth: Uint8Array, labels: Uint8Array, segmented: readonly number[], objects: readonly number[], capture: Capture): Promise<LabelFigures> {
    const predicted = labels.map((label) => (label > 0 ? segmented[label - 1] : 0));
    let correct = 0;
    predicted.forEach((id, i) => (correct += id === truth[i] ? 1 : 0));
    const perObject: Record<number, number> = {};
    for (const id of objects) {
        let both = 0;
        let either = 0;
        for (let i = 0; i < truth.length; i++) {
            both += predicted[i] === id && truth[i] === id ? 1 : 0;
            either += predicted[i] === id || truth[i] === id ? 1 : 0;
        }
        perObject[id] = either > 0 ? both / either : 1;
    }
    const ious = Object.values(perObject);
    return {
        accuracy: correct / truth.length,
        perObject,
        meanIou: ious.reduce((a, b) => a + b, 0) / ious.length,
        minIou: Math.min(...ious),
        holdoutMiou: await HoldoutMiouAsync(cloud, predicted, objects, capture),
        holdoutCeiling: await HoldoutMiouAsync(cloud, truth, objects, capture),
    };
}

/** Mean over objects of the IoU, summed over the holdout frames, of the object's rendered splats against its true pixels. */
async function HoldoutMiouAsync(cloud: SplatCloud, ids: Uint8Array, objects: readonly number[], capture: Capture): Promise<number> {
    const rasterizer = new SplatRasterizer(null);
    const both = new Map<number, number>();
    const either = new Map<number, number>();
    for (const index of SplitHoldout(capture.frames.length).holdout) {
        const frame = capture.frames[index];
        const shown = await RenderSplatLabelsAsync(rasterizer, cloud, ids, frame);
        frame.labels!.forEach((label, p) => {
            for (const id of objects) {
                const a = shown[p] === id;
                const b = label === id;
                both.set(id, (both.get(id) ?? 0) + (a && b ? 1 : 0));
                either.set(id, (either.get(id) ?? 0) + (a || b ? 1 : 0));
            }
        });
    }
    return objects.reduce((sum, id) => sum + (both.get(id) ?? 0) / Math.max(1, either.get(id) ?? 0), 0) / objects.length;
}

/**
 * About `target` splats made from a scene's splats: each copied until the count is reached, each
 * copy moved by a fraction of its own size (a denser scene of the same content and labels).
 * @param cloud the splats
 * @param labels their labels
 * @param target the count wanted
 * @returns the larger cloud and its labels
 */
export function ReplicateSplats(cloud: SplatCloud, labels: Uint8Array, target: number): { cloud: SplatCloud; labels: Uint8Array } {
    const copies = Math.max(1, Math.ceil(target / cloud.count));
    const count = cloud.count * copies;
    const rows = new ArrayBuffer(count * SplatRowBytes);
    const out = new Uint8Array(count);
    const random = SeededRandom(5);
    for (let c = 0; c < copies; c++) {
        for (let i = 0; i < cloud.count; i++) {
            const splat = ReadSplat(cloud, i);
            const jitter = splat.scale[0] * 0.5;
            const position = splat.position.map((v) => v + (c === 0 ? 0 : (random() - 0.5) * jitter)) as [number, number, number];
            WriteSplat(rows, c * cloud.count + i, { ...splat, position });
            out[c * cloud.count + i] = labels[i];
        }
    }
    return { cloud: { name: `${cloud.name} x${copies}`, count, rows, shDegree: cloud.shDegree }, labels: out };
}

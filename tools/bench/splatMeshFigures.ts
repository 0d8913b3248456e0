import type { Capture } from "../../plugin/core/capture/captureTypes";
import { CaptureUpDirection } from "../../plugin/core/capture/captureUp";
import { ChamferDistance } from "../../plugin/core/evaluation/chamferDistance";
import { ReadGlbTriangles } from "../../plugin/core/evaluation/glbReader";
import { DefaultPipelineConfig } from "../../plugin/core/pipeline/pipelineConfig";
import type { MeshExtractor } from "../../plugin/core/pipeline/pipelineServices";
import { ExtractSplatObjectStageAsync } from "../../plugin/core/pipeline/splatStage";
import type { SplatCloud } from "../../plugin/core/splats/splatCloud";

/** Meshes made from labelled splats, against the capture's true meshes. */
export interface SplatMeshFigures {
    /** Per true object: Chamfer distance of the mesh from its splats to its true mesh, % of the true mesh's diagonal. */
    readonly perObject: Record<number, number>;
    readonly meanChamferPercent: number;
    readonly maxChamferPercent: number;
    readonly meanTriangles: number;
}

/**
 * Extracts each segmented object's mesh from its labelled splats with the pipeline's splat
 * extraction stage (the extraction worker, the pipeline's defaults, the capture's up, as the CLI's
 * --export does) and scores it against the object's true mesh.
 * @param extractor the extraction worker's client
 * @param cloud the splats
 * @param labels assigned label per splat (k = the k-th segmented object)
 * @param segmented the true object id each label 1..K stands for
 * @param capture the capture (its objects' true mesh paths)
 * @param captureRoot where the capture's files are served
 * @returns the figures
 */
export async function MeasureSplatMeshesAsync(extractor: MeshExtractor, cloud: SplatCloud, labels: Uint8Array, segmented: readonly number[], capture: Capture, captureRoot: string): Promise<SplatMeshFigures> {
    const up = CaptureUpDirection(capture.frames);
    const perObject: Record<number, number> = {};
    let triangles = 0;
    for (let k = 0; k < segmented.length; k++) {
        const truth = capture.objects.find((object) => object.id === segmented[k]);
        if (!truth?.meshPath || !labels.includes(k + 1)) {
            continue;
        }
        const mesh = await ExtractSplatObjectStageAsync(extractor, cloud, labels, k + 1, DefaultPipelineConfig, truth.name, up);
        const { distance, truthDiagonal } = ChamferDistance(mesh, ReadGlbTriangles(await (await fetch(captureRoot + truth.meshPath)).arrayBuffer(), truth.meshPath));
        perObject[truth.id] = (distance / truthDiagonal) * 100;
        triangles += mesh.stats.triangles;
    }
    const values = Object.values(perObject);
    return {
        perObject,
        meanChamferPercent: values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length),
        maxChamferPercent: Math.max(0, ...values),
        meanTriangles: triangles / Math.max(1, values.length),
    };
}

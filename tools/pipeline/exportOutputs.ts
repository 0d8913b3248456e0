import type { Capture } from "../../plugin/core/capture/captureTypes";
import { ChamferDistance } from "../../plugin/core/evaluation/chamferDistance";
import { ReadGlbTriangles } from "../../plugin/core/evaluation/glbReader";
import type { ObjectFieldData } from "../../plugin/core/fusion/objectFieldTypes";
import type { RadianceFieldData } from "../../plugin/core/nerf/radianceFieldData";
import { CaptureUpOf, ExtractObjectStageAsync } from "../../plugin/core/pipeline/extractStage";
import type { ExtractStageConfig } from "../../plugin/core/pipeline/pipelineConfig";
import { ExtractionService } from "../../plugin/services/extractionService";
import { ExportObjectGlbAsync } from "../../plugin/scene/glbExchange";
import type { OutputWriter } from "./outputWriter";
import type { ExportedObject, ExportReport } from "./pipelineRequest";

/**
 * The export stage with its outputs (`--export`): each fused object extracted by the pipeline's
 * stage in the extraction worker and written as object-<k>.glb as the editor's Export GLB writes
 * it (unlit vertex colours, the capture's up as +Y); where the capture ships ground-truth meshes (the sample scenes), the
 * Chamfer distance to them as a percentage of their bounding-box diagonal.
 * @param capture the capture (served under captureUrl)
 * @param captureUrl where the capture's files are served (for the ground-truth meshes)
 * @param field the radiance field
 * @param objectField the fused object field
 * @param truthObjects for each fused object (1..K), its ground-truth object id
 * @param config the extraction settings
 * @param out the output writer
 * @param log progress log
 * @returns the report
 */
export async function ExportWithOutputsAsync(capture: Capture, captureUrl: string, field: RadianceFieldData, objectField: ObjectFieldData, truthObjects: readonly number[], config: ExtractStageConfig, out: OutputWriter, log: (line: string) => void): Promise<ExportReport> {
    const extraction = new ExtractionService();
    const up = CaptureUpOf(field, capture);
    const objects: ExportedObject[] = [];
    try {
        for (const object of objectField.objects) {
            const extracted = await ExtractObjectStageAsync(extraction, field, objectField, object.id, config, up);
            const file = `object-${object.id}.glb`;
            await out.writeAsync(file, await ExportObjectGlbAsync(object.name, extracted, up));
            let chamferPercent: number | null = null;
            const truth = capture.objects.find((o) => o.id === truthObjects[object.id - 1]);
            if (truth?.meshPath) {
                const response = await fetch(captureUrl + truth.meshPath);
                if (response.ok) {
                    const { distance, truthDiagonal } = ChamferDistance(extracted, ReadGlbTriangles(await response.arrayBuffer(), truth.meshPath));
                    chamferPercent = (distance / truthDiagonal) * 100;
                }
            }
            objects.push({ id: object.id, name: object.name, file, triangles: extracted.stats.triangles, collisionTriangles: extracted.stats.collisionTriangles, seconds: extracted.stats.seconds, chamferPercent });
            log(`export: ${file}: ${extracted.stats.triangles} triangles in ${extracted.stats.seconds.toFixed(1)} s${chamferPercent === null ? "" : `, Chamfer ${chamferPercent.toFixed(2)}% of the true mesh's diagonal`}`);
        }
    } finally {
        extraction.dispose();
    }
    const report: ExportReport = { resolution: config.resolution, objects };
    await out.writeJsonAsync("export.json", report);
    return report;
}

import type { Capture } from "../../plugin/core/capture/captureTypes";
import { ChamferDistance } from "../../plugin/core/evaluation/chamferDistance";
import { ReadGlbTriangles } from "../../plugin/core/evaluation/glbReader";
import type { ObjectFieldData } from "../../plugin/core/fusion/objectFieldTypes";
import type { RadianceFieldData } from "../../plugin/core/nerf/radianceFieldData";
import { CaptureUpOf, ExtractObjectStageAsync } from "../../plugin/core/pipeline/extractStage";
import type { ExtractStageConfig } from "../../plugin/core/pipeline/pipelineConfig";
import { ExtractionService } from "../../plugin/services/extractionService";
import { FieldToSplats } from "../../plugin/core/splats/fieldSplats";
import { WriteCloudAsPly } from "../../plugin/core/splats/splatPlyWriter";
import { EncodeSpzAsync } from "../../plugin/core/splats/spzCodec";
import { ExportObjectGlbAsync } from "../../plugin/scene/glbExchange";
import type { OutputWriter } from "./outputWriter";
import type { ExportedObject, ExportReport, FieldSplatsReport } from "./pipelineRequest";

/**
 * The export stage with its outputs (`--export`): each fused object extracted by the pipeline's
 * stage in the extraction worker and written as object-<k>.glb as the editor's Export GLB writes
 * it (unlit vertex colours, the capture's up as +Y); where the capture ships ground-truth meshes (the sample scenes), the
 * Chamfer distance to them as a percentage of their bounding-box diagonal. Each object also
 * leaves as Gaussian splats (FieldToSplats on the field restricted to it): object-<k>.ply (the
 * standard 3DGS layout) and object-<k>.spz, both in the capture's coordinates (the field's; the
 * capture's cameras' OpenGL axes, y up: SPZ's own axes, so no flip).
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
            const splats = FieldToSplats(field, { object: { objectField, objectId: object.id }, name: object.name });
            const splatFiles = [`object-${object.id}.ply`, `object-${object.id}.spz`];
            await out.writeAsync(splatFiles[0], WriteCloudAsPly(splats));
            await out.writeAsync(splatFiles[1], await EncodeSpzAsync(splats));
            objects.push({ id: object.id, name: object.name, file, triangles: extracted.stats.triangles, collisionTriangles: extracted.stats.collisionTriangles, seconds: extracted.stats.seconds, chamferPercent, surfaceOpacity: extracted.stats.surfaceOpacity ?? null, splats: splats.count, splatFiles });
            const level = extracted.stats.surfaceOpacity === undefined ? "" : ` (surface at ${(extracted.stats.surfaceOpacity * 100).toFixed(0)}% opacity per grid spacing)`;
            log(`export: ${file}: ${extracted.stats.triangles} triangles${level} in ${extracted.stats.seconds.toFixed(1)} s${chamferPercent === null ? "" : `, Chamfer ${chamferPercent.toFixed(2)}% of the true mesh's diagonal`}; ${splatFiles.join(", ")}: ${splats.count} splats`);
        }
    } finally {
        extraction.dispose();
    }
    const report: ExportReport = { resolution: config.resolution, objects };
    await out.writeJsonAsync("export.json", report);
    return report;
}

/**
 * The whole radiance field as Gaussian splats (`--export-splats`): scene.ply in the standard 3DGS
 * layout, in the capture's coordinates (FieldToSplats; a whole-scene field's inner box).
 * @param field the trained or loaded field
 * @param out the output writer
 * @param log progress log
 * @returns the file, its splats and bytes
 */
export async function ExportFieldSplatsAsync(field: RadianceFieldData, out: OutputWriter, log: (line: string) => void): Promise<FieldSplatsReport> {
    const started = performance.now();
    const splats = FieldToSplats(field);
    const bytes = WriteCloudAsPly(splats);
    const file = "scene.ply";
    await out.writeAsync(file, bytes);
    const seconds = (performance.now() - started) / 1000;
    log(`export: ${file}: ${splats.count} splats, ${(bytes.byteLength / 2 ** 20).toFixed(1)} MiB in ${seconds.toFixed(1)} s`);
    return { file, splats: splats.count, bytes: bytes.byteLength, seconds };
}

import type { Capture } from "../../plugin/core/capture/captureTypes";
import { CaptureUpDirection } from "../../plugin/core/capture/captureUp";
import { ChamferDistance } from "../../plugin/core/evaluation/chamferDistance";
import { ReadGlbTriangles } from "../../plugin/core/evaluation/glbReader";
import type { PipelineConfig } from "../../plugin/core/pipeline/pipelineConfig";
import { ExtractSplatObjectStageAsync } from "../../plugin/core/pipeline/splatStage";
import { SelectSplats } from "../../plugin/core/splats/splatCloud";
import { SplatFormatIsYUp, type SplatFile } from "../../plugin/core/splats/splatFile";
import { WriteSplatsAsPly } from "../../plugin/core/splats/splatPlyWriter";
import { EncodeSpzAsync } from "../../plugin/core/splats/spzCodec";
import { ExtractionService } from "../../plugin/services/extractionService";
import { ExportObjectGlbAsync } from "../../plugin/scene/glbExchange";
import type { OutputWriter } from "./outputWriter";
import type { SplatReport } from "./pipelineRequest";

/** An exported object's files and mesh figures. */
export interface SplatObjectExport {
    readonly files: readonly string[];
    readonly triangles: number;
    /** Chamfer distance to the capture's true mesh of the object, % of that mesh's diagonal (null: no true mesh). */
    readonly chamferPercent: number | null;
}

/**
 * Writes each labelled object of a splat file (`--export`): object-<k>.ply (the input's vertex
 * records copied unchanged, its coordinates), object-<k>.spz, and object-<k>.glb (the mesh the
 * pipeline's splat extraction makes of its splats, in the extraction worker, written as the
 * editor's Export GLB writes it: with a capture, its hollows filled knowing the capture's up and
 * that up turned to glTF's +Y as for a radiance field's objects; without one, the file's own axes). Where the capture ships the true
 * meshes (the sample scenes), the GLB's Chamfer distance to the true object's mesh.
 * @param file the splat file read for segmentation
 * @param labels one label per splat
 * @param objects the report's objects (id, label, true object)
 * @param capture the capture, when given
 * @param captureUrl where the capture's files are served (for the true meshes)
 * @param config the pipeline's settings (extract grid and budgets, splat surface level)
 * @param out the output writer
 * @param log progress log
 * @returns per object, its files and mesh figures
 */
export async function ExportSplatObjectsAsync(
    file: SplatFile,
    labels: Uint8Array,
    objects: SplatReport["objects"],
    capture: { readonly capture: Capture; readonly url: string } | null,
    config: PipelineConfig,
    out: OutputWriter,
    log: (line: string) => void,
): Promise<SplatObjectExport[]> {
    const extraction = new ExtractionService();
    const up = capture ? CaptureUpDirection(capture.capture.frames) : null;
    const exports: SplatObjectExport[] = [];
    try {
        for (const o of objects) {
            const name = `object-${o.id}`;
            const keep = labels.map((label) => (label === o.label ? 1 : 0));
            await out.writeAsync(`${name}.ply`, WriteSplatsAsPly(file, keep));
            await out.writeAsync(`${name}.spz`, await EncodeSpzAsync(SelectSplats(file.cloud, keep, name), { flipYZ: !SplatFormatIsYUp(file.format) }));
            const mesh = await ExtractSplatObjectStageAsync(extraction, file.cloud, labels, o.label, config, name, up);
            await out.writeAsync(`${name}.glb`, await ExportObjectGlbAsync(name, mesh, up));
            const truth = capture?.capture.objects.find((object) => object.id === o.truthObject);
            let chamferPercent: number | null = null;
            if (truth?.meshPath) {
                const response = await fetch(capture!.url + truth.meshPath);
                if (response.ok) {
                    const { distance, truthDiagonal } = ChamferDistance(mesh, ReadGlbTriangles(await response.arrayBuffer(), truth.meshPath));
                    chamferPercent = (distance / truthDiagonal) * 100;
                }
            }
            log(`splats: ${name}.glb: ${mesh.stats.triangles} triangles from ${keep.reduce((sum, k) => sum + k, 0)} splats in ${mesh.stats.seconds.toFixed(1)} s${chamferPercent === null ? "" : `, Chamfer ${chamferPercent.toFixed(2)}% of the true mesh's diagonal`}`);
            exports.push({ files: [`${name}.ply`, `${name}.spz`, `${name}.glb`], triangles: mesh.stats.triangles, chamferPercent });
        }
    } finally {
        extraction.dispose();
    }
    return exports;
}

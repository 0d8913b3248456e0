import { NullEngine } from "@babylonjs/core/Engines/nullEngine";
import { Scene } from "@babylonjs/core/scene";
import type { Capture } from "../../plugin/core/capture/captureTypes";
import { ChamferDistance } from "../../plugin/core/evaluation/chamferDistance";
import { ReadGlbTriangles } from "../../plugin/core/evaluation/glbReader";
import type { ObjectFieldData } from "../../plugin/core/fusion/objectFieldTypes";
import type { RadianceFieldData } from "../../plugin/core/nerf/radianceFieldData";
import { ExtractionService } from "../../plugin/services/extractionService";
import { CaptureUpDirection } from "../../plugin/core/capture/captureUp";
import { ExportMeshGlbAsync } from "../../plugin/scene/glbExchange";
import { CreateObjectMesh } from "../../plugin/scene/objectMeshBuilder";
import type { OutputWriter } from "./outputWriter";

/** One exported object. */
export interface ExportedObject {
    readonly id: number;
    readonly name: string;
    readonly file: string;
    readonly triangles: number;
    readonly collisionTriangles: number;
    /** Extraction seconds (in the worker). */
    readonly seconds: number;
    /** Chamfer distance to the ground-truth mesh, % of its bounding-box diagonal (null without one). */
    readonly chamferPercent: number | null;
}

/** The export stage's figures (export.json). */
export interface ExportReport {
    readonly resolution: number;
    readonly objects: readonly ExportedObject[];
}

/**
 * Pipeline stage 5 (`--export`): each fused object extracted as a mesh in the extraction worker
 * (masked density, surface nets, vertex colours, budget), written as out/object-<k>.glb through
 * @babylonjs/serializers; where the capture ships ground-truth meshes (the sample scenes), the
 * Chamfer distance to them as a percentage of their bounding-box diagonal.
 * @param capture the capture (served under captureUrl)
 * @param captureUrl where the capture's files are served (for the ground-truth meshes)
 * @param field the radiance field
 * @param objectField the fused object field
 * @param truthObjects for each fused object id (1..K), its ground-truth object id
 * @param resolution extraction grid points along an object's longest axis
 * @param out output writer
 * @param log progress log
 * @returns the report
 */
export async function RunExportStageAsync(capture: Capture, captureUrl: string, field: RadianceFieldData, objectField: ObjectFieldData, truthObjects: readonly number[], resolution: number, out: OutputWriter, log: (line: string) => void): Promise<ExportReport> {
    const engine = new NullEngine();
    const scene = new Scene(engine);
    scene.useRightHandedSystem = true;
    const extraction = new ExtractionService();
    // objects are cut off the surface they stand on, seen along the cameras' mean up
    const up = CaptureUpDirection(capture.frames);
    const objects: ExportedObject[] = [];
    try {
        for (const object of objectField.objects) {
            const extracted = await extraction.extractAsync(field, objectField, object.id, { resolution, up });
            const mesh = CreateObjectMesh(object.name, scene, extracted);
            const file = `object-${object.id}.glb`;
            await out.writeAsync(file, await ExportMeshGlbAsync(mesh));
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
            mesh.dispose();
        }
    } finally {
        extraction.dispose();
        scene.dispose();
        engine.dispose();
    }
    const report: ExportReport = { resolution, objects };
    await out.writeJsonAsync("export.json", report);
    return report;
}

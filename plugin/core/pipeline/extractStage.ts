import type { Capture } from "../capture/captureTypes";
import { CaptureUpDirection } from "../capture/captureUp";
import type { ExtractedMesh } from "../extraction/objectExtraction";
import type { ObjectFieldData } from "../fusion/objectFieldTypes";
import type { RadianceFieldData } from "../nerf/radianceFieldData";
import type { ExtractStageConfig } from "./pipelineConfig";
import type { MeshExtractor } from "./pipelineServices";

/**
 * The up direction objects are cut off their support along: the one the field was trained with
 * (its metadata), else the capture's cameras' mean up, else +y.
 * @param field the radiance field
 * @param capture the capture, when loaded
 * @returns a unit vector, capture coordinates
 */
export function CaptureUpOf(field: RadianceFieldData, capture?: Capture | null): readonly [number, number, number] {
    return field.metadata.up ?? (capture ? CaptureUpDirection(capture.frames) : [0, 1, 0]);
}

/**
 * Pipeline stage 5: one fused object extracted as meshes (render mesh with vertex colours, and a
 * collision mesh) in the extraction worker, cut off the surface it stands on.
 * @param extractor the extraction worker's client
 * @param field the radiance field
 * @param objectField the fused object field
 * @param objectId the object (1..K)
 * @param config the extraction settings
 * @param up the capture's up direction (CaptureUpOf), or null for no support cut
 * @param signal cancels
 * @returns the meshes, capture coordinates
 */
export async function ExtractObjectStageAsync(extractor: MeshExtractor, field: RadianceFieldData, objectField: ObjectFieldData, objectId: number, config: ExtractStageConfig, up: readonly [number, number, number] | null, signal?: AbortSignal): Promise<ExtractedMesh> {
    return extractor.extractAsync(field, objectField, objectId, { ...config, up }, signal);
}

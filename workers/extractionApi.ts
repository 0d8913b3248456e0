import type { ExtractedMesh, ExtractionOptions } from "../plugin/core/extraction/objectExtraction";
import type { ObjectMaskMode } from "../plugin/core/extraction/maskedRadianceField";
import type { ObjectFieldData } from "../plugin/core/fusion/objectFieldTypes";
import type { RadianceFieldData } from "../plugin/core/nerf/radianceFieldData";
import type { SplatExtractionOptions } from "../plugin/core/extraction/splatMeshExtraction";
import type { SplatCloud } from "../plugin/core/splats/splatCloud";

/** The extraction worker's API (comlink): masked fields and meshes of fused objects (results transferred). */
export interface ExtractionWorkerApi {
    /**
     * The radiance field restricted to an object (cropped) or with it cut out.
     * @param field the radiance field
     * @param objectField the fused object field
     * @param objectId the object (1..K)
     * @param mode "object" or "without"
     * @returns the masked field
     */
    maskFieldAsync(field: RadianceFieldData, objectField: ObjectFieldData, objectId: number, mode: ObjectMaskMode): Promise<RadianceFieldData>;
    /**
     * Extracts an object's render and collision meshes.
     * @param field the radiance field
     * @param objectField the fused object field
     * @param objectId the object (1..K)
     * @param options resolution and budgets
     * @returns the meshes (capture coordinates)
     */
    extractAsync(field: RadianceFieldData, objectField: ObjectFieldData, objectId: number, options?: Partial<ExtractionOptions>): Promise<ExtractedMesh>;
    /**
     * Extracts the render and collision meshes of splats (an object's).
     * @param cloud the splats
     * @param options resolution, surface level, budgets
     * @returns the meshes (the splats' coordinates)
     */
    extractSplatsAsync(cloud: SplatCloud, options?: Partial<SplatExtractionOptions>): Promise<ExtractedMesh>;
}

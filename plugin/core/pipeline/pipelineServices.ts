/**
 * What the pipeline stages need from the outside: a mask decoder (the SAM worker's client), a
 * mask fuser (the fusion worker's client) and a mesh extractor (the extraction worker's client).
 * The stages take them as parameters, so they stay Babylon- and DOM-free and run the same for
 * the editor, the CLI and the benchmarks (and tests can run them with the in-process engines).
 */
import type { ExtractedMesh, ExtractionOptions } from "../extraction/objectExtraction";
import type { FusionView } from "../fusion/fusionEngine";
import type { FusionJob, FusionProgress, FusionResult, ObjectFieldData, ObjectMaskImage } from "../fusion/objectFieldTypes";
import type { RadianceFieldData } from "../nerf/radianceFieldData";
import type { SplatExtractionOptions } from "../extraction/splatMeshExtraction";
import type { SplatCloud } from "../splats/splatCloud";
import type { SamDecodeOptions, SamImageEmbedding, SamMaskResult, SamPrompt, SamViewImage } from "../sam/samTypes";

/** Decodes prompts on views (SamService). */
export interface MaskDecoder {
    /** Whether the model uses the views' depth (then the segment stage renders it from the field). */
    readonly takesDepth?: boolean;
    /**
     * Decodes a prompt on a view (its embedding from the feature container when present).
     * @param image the view as SAM sees it, with its depth when the model takes depth, or its embedding (rendered from a feature field)
     * @param prompt points and box, pixels of the view
     * @param options decoder options
     * @param signal cancels
     * @returns the chosen mask at the view's size
     */
    decodeAsync(image: SamViewImage | SamImageEmbedding, prompt: SamPrompt, options?: SamDecodeOptions, signal?: AbortSignal): Promise<SamMaskResult>;
}

/** Fuses masks into an object field and renders it (FusionService). */
export interface MaskFuser {
    /**
     * Prepares and runs a fusion job.
     * @param job field, masks, objects, options, warm start
     * @param onProgress progress events
     * @param signal cancels
     * @returns the fused field and the run's figures
     */
    runAsync(job: FusionJob, onProgress?: (progress: FusionProgress) => void, signal?: AbortSignal): Promise<FusionResult & { backendReason: string }>;
    /**
     * Renders object masks of views from the last job's field.
     * @param views poses and intrinsics
     * @returns one mask per view
     */
    renderMasksAsync(views: readonly FusionView[]): Promise<ObjectMaskImage[]>;
}

/** Extracts object meshes (ExtractionService). */
export interface MeshExtractor {
    /**
     * Extracts an object's render and collision meshes.
     * @param field the radiance field
     * @param objectField the fused object field
     * @param objectId the object (1..K)
     * @param options resolution, budgets, up direction
     * @param signal cancels
     * @returns the meshes, capture coordinates
     */
    extractAsync(field: RadianceFieldData, objectField: ObjectFieldData, objectId: number, options?: Partial<ExtractionOptions>, signal?: AbortSignal): Promise<ExtractedMesh>;
    /**
     * Extracts the render and collision meshes of splats (an object's).
     * @param cloud the splats
     * @param options resolution, surface level, budgets
     * @param signal cancels
     * @returns the meshes, the splats' coordinates
     */
    extractSplatsAsync(cloud: SplatCloud, options?: Partial<SplatExtractionOptions>, signal?: AbortSignal): Promise<ExtractedMesh>;
}

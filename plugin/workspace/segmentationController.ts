import type { Scene } from "@babylonjs/core/scene";
import type { Capture } from "../core/capture/captureTypes";
import type { FeatureFieldDistillation } from "../core/features/featureFieldDistillation";
import type { GpuContext } from "../core/gpu/gpuContext";
import type { RadianceFieldData } from "../core/nerf/radianceFieldData";
import { DistilFeatureFieldAsync, type FeatureStageProgress } from "../core/pipeline/featureStage";
import type { PipelineConfig, SegmentStageConfig } from "../core/pipeline/pipelineConfig";
import type { SamModelFamily, SamModelInfo } from "../core/sam/samTypes";
import { PromptTool, type PromptToolOptions } from "../prompt/promptTool";
import type { NerfNode } from "../scene/nerfNode";
import { SamService, type SamServiceOptions } from "../services/samService";

/** Where a segmentation model comes from. */
export type SamModelSource = "builtin" | { encoder: string; decoder: string } | { encoder: File; decoder: File };

/**
 * The workspace's segmentation: the SAM worker's client (created on first use), the loaded
 * model, the prompt tool on the capture's NerfNode, and the distilled feature field its free
 * viewport decodes from once distilled.
 */
export class SegmentationController {
    private readonly _scene: Scene;
    private readonly _samOptions: SamServiceOptions;
    private _sam: SamService | null = null;
    private _tool: PromptTool | null = null;
    private _features: { distillation: FeatureFieldDistillation; field: RadianceFieldData } | null = null;

    /**
     * @param scene the scene the prompt tool works in
     * @param samOptions wasm location and provider preference of the SAM worker
     */
    public constructor(scene: Scene, samOptions: SamServiceOptions = {}) {
        this._scene = scene;
        this._samOptions = samOptions;
    }

    /** The segmentation service (created on first use). */
    public get sam(): SamService {
        this._sam ??= new SamService(this._samOptions);
        return this._sam;
    }

    /** The loaded model, or null. */
    public get model(): SamModelInfo | null {
        return this._sam?.model ?? null;
    }

    /** The distilled feature field (of the model and radiance field it was distilled from), or null. */
    public get featureField(): FeatureFieldDistillation | null {
        return this._features?.distillation ?? null;
    }

    /**
     * Distils the loaded model's embeddings of the capture's training frames into a feature field
     * (the pipeline's feature stage) and hands it to the prompt tool, whose free viewport then
     * decodes from rendered features instead of running the encoder. A failed or cancelled run
     * keeps the previous field.
     * @param capture the capture
     * @param field the radiance field shown
     * @param config the pipeline's settings (features, and the segment stage's view depth)
     * @param context a WebGPU device, or null for the CPU twins
     * @param onProgress progress of the embeddings, then of the distillation
     * @param signal cancels
     * @returns the feature field
     */
    public async distilFeaturesAsync(capture: Capture, field: RadianceFieldData, config: PipelineConfig, context: GpuContext | null, onProgress?: (progress: FeatureStageProgress) => void, signal?: AbortSignal): Promise<FeatureFieldDistillation> {
        const distillation = await DistilFeatureFieldAsync(this.sam, capture, field, config.features, { context, viewDepth: config.segment.viewDepth, onProgress, signal });
        this._features?.distillation.dispose();
        this._features = { distillation, field };
        this._tool?.session.setFeatureField(distillation, field);
        return distillation;
    }

    /** The open prompt tool, or null. */
    public get tool(): PromptTool | null {
        return this._tool;
    }

    /**
     * Loads the built-in stand-in segmenter, or a SAM-family model from URLs or files.
     * @param source "builtin", URLs or files of the encoder and decoder
     * @param family the family, or undefined to detect it
     * @returns the model
     */
    public async loadModelAsync(source: SamModelSource, family?: SamModelFamily): Promise<SamModelInfo> {
        if (source === "builtin") {
            return this.sam.loadBuiltinAsync();
        }
        if (typeof source.encoder === "string") {
            return this.sam.loadFromUrlsAsync(source.encoder, source.decoder as string, family);
        }
        return this.sam.loadFromFilesAsync(source.encoder, source.decoder as File, family);
    }

    /**
     * Opens the prompt tool on a node (closing one already open).
     * @param node the NerfNode clicks are lifted through
     * @param capture the capture prompts propagate to
     * @param config the pipeline's segmentation settings
     * @param options the tool's callbacks
     * @returns the tool
     */
    public openTool(node: NerfNode, capture: Capture, config: SegmentStageConfig, options: PromptToolOptions): PromptTool {
        this._tool?.dispose();
        this._tool = new PromptTool(this._scene, node, capture, this.sam, config, options);
        if (this._features) {
            this._tool.session.setFeatureField(this._features.distillation, this._features.field);
        }
        return this._tool;
    }

    /** Closes the prompt tool (its objects are dropped with it). */
    public closeTool(): void {
        this._tool?.dispose();
        this._tool = null;
    }

    /** Closes the tool and stops the worker. */
    public dispose(): void {
        this.closeTool();
        this._features?.distillation.dispose();
        this._features = null;
        this._sam?.dispose();
    }
}

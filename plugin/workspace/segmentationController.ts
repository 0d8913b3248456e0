import type { Scene } from "@babylonjs/core/scene";
import type { Capture } from "../core/capture/captureTypes";
import type { SegmentStageConfig } from "../core/pipeline/pipelineConfig";
import type { SamModelFamily, SamModelInfo } from "../core/sam/samTypes";
import { PromptTool, type PromptToolOptions } from "../prompt/promptTool";
import type { NerfNode } from "../scene/nerfNode";
import { SamService, type SamServiceOptions } from "../services/samService";

/** Where a segmentation model comes from. */
export type SamModelSource = "builtin" | { encoder: string; decoder: string } | { encoder: File; decoder: File };

/**
 * The workspace's segmentation: the SAM worker's client (created on first use), the loaded
 * model, and the prompt tool on the capture's NerfNode.
 */
export class SegmentationController {
    private readonly _scene: Scene;
    private readonly _samOptions: SamServiceOptions;
    private _sam: SamService | null = null;
    private _tool: PromptTool | null = null;

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
        this._sam?.dispose();
    }
}

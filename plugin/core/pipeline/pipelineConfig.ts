/**
 * The pipeline's one configuration: a tree of the stages' settings (capture → train → segment →
 * fuse → extract), in the spirit of nerfstudio's config dataclasses. Every default lives once:
 * the stages' own (trainer, propagation, fusion, extraction) are gathered here, and the few
 * that belong to the pipeline itself are written here. The editor's workspace, the CLI and the
 * benchmarks resolve their settings with {@link ResolvePipelineConfig}: a CLI flag or a pane
 * control overrides a value, never restates a default. Babylon-free.
 */
import { DefaultExtractionOptions, type ExtractionOptions } from "../extraction/objectExtraction";
import { DefaultFeatureFieldOptions, type FeatureFieldOptions } from "../features/featureFieldTypes";
import { DefaultFusionOptions, type FusionOptions } from "../fusion/objectFieldTypes";
import { DefaultAutoCameraOptions, type AutoCameraOptions } from "../splats/autoCameras";
import { DefaultSplatLabelOptions, type SplatLabelOptions } from "../splats/splatLabelAssignment";
import { DefaultTrainerOptions, ResolveTrainerOptions, type TrainerOptions, type TrainerOverrides } from "../nerf/trainerOptions";
import { DefaultPropagationOptions, type PropagationOptions } from "../segmentation/promptPropagation";

/** Loading a capture. */
export interface CaptureStageConfig {
    /** Longest image side after downscaling, pixels. */
    readonly maxSide: number;
}

/** Segmenting every view from an object's prompts: lifting, propagation, decoding. */
export interface SegmentStageConfig extends PropagationOptions {
    /** Rays along each side of the grid shot through a box to find the surface it encloses. */
    readonly boxRaysPerSide: number;
    /** Lowest weight a decoded mask gets in fusion (its predicted IoU, clamped to [floor, 1]). */
    readonly maskWeightFloor: number;
    /** Give a model that takes depth (the built-in one) the field's depth of each view; false: colour only. */
    readonly viewDepth: boolean;
    /**
     * How each view's mask is chosen among the model's candidates: "consistent", the one the other
     * views agree with in 3-D (ChooseConsistentCandidates); "predicted-iou", the model's own top score.
     */
    readonly maskChoice: "consistent" | "predicted-iou";
}

/** Fusing the views' masks into an object field. */
export interface FuseStageConfig extends FusionOptions {
    /** A refinement (warm start from the object's field) runs this share of the iterations. */
    readonly refineShare: number;
    /** ...but at least this many. */
    readonly minRefineIterations: number;
    /** Fuse on WebGPU in the fusion worker when it has it; false runs the CPU twins. */
    readonly preferGpu: boolean;
}

/** Extracting an object's mesh; the up direction comes from the capture (see ExtractObjectStageAsync). */
export type ExtractStageConfig = Omit<ExtractionOptions, "up">;

/**
 * Distilling the feature field (the second feature container). The embedding cache stays the
 * default: until the user distils (the pane's Distil features, DistilFeatureFieldAsync), every
 * view runs the encoder (exact, cached per view). Once a feature field of the loaded model and the
 * shown radiance field exists, free-viewport prompts decode from its rendered embedding (no encoder
 * run, approximate); capture frames always keep the cache.
 */
export interface FeatureStageConfig extends FeatureFieldOptions {
    /** Distil on WebGPU when a device is at hand; false runs the CPU twins. */
    readonly preferGpu: boolean;
}

/**
 * Segmenting a Gaussian-splat scene: where its views come from when it has no capture, how far a
 * prompt point may lie from the rendered surface, and how the views' masks become labels per splat.
 */
export interface SplatStageConfig extends AutoCameraOptions, SplatLabelOptions {
    /** A prompt point is visible in a view when the rendered depth there is within this share of the content box's diagonal (0.02). */
    readonly visibilityTolerance: number;
    /** Background colour the views are rendered on (0-1 RGB). */
    readonly background: readonly [number, number, number];
    /** Render and sum label weights on WebGPU when a device is at hand; false runs the CPU twins. */
    readonly preferGpu: boolean;
    /** An object's mesh (ExtractSplatMesh) runs where its splats stop this share of the light (0.5); grid and budgets are the extract stage's. */
    readonly meshOpacity: number;
}

/** Every stage's settings. */
export interface PipelineConfig {
    readonly capture: CaptureStageConfig;
    readonly train: TrainerOptions;
    readonly segment: SegmentStageConfig;
    readonly features: FeatureStageConfig;
    readonly fuse: FuseStageConfig;
    readonly extract: ExtractStageConfig;
    readonly splats: SplatStageConfig;
}

/** What a caller may override: any subset of any stage's settings. */
export interface PipelineOverrides {
    readonly capture?: Partial<CaptureStageConfig>;
    readonly train?: TrainerOverrides;
    readonly segment?: Partial<SegmentStageConfig>;
    readonly features?: Partial<FeatureStageConfig>;
    readonly fuse?: Partial<FuseStageConfig>;
    readonly extract?: Partial<ExtractStageConfig>;
    readonly splats?: Partial<SplatStageConfig>;
}

// the up direction is the capture's (ExtractObjectStageAsync), not a setting
const { up, ...extractDefaults } = DefaultExtractionOptions;

/** The defaults of the whole pipeline. */
export const DefaultPipelineConfig: PipelineConfig = {
    capture: { maxSide: 400 },
    train: DefaultTrainerOptions,
    segment: { ...DefaultPropagationOptions, boxRaysPerSide: 8, maskWeightFloor: 0.05, viewDepth: true, maskChoice: "consistent" },
    features: { ...DefaultFeatureFieldOptions, preferGpu: true },
    fuse: { ...DefaultFusionOptions, refineShare: 1 / 3, minRefineIterations: 50, preferGpu: true },
    extract: extractDefaults,
    splats: { ...DefaultAutoCameraOptions, ...DefaultSplatLabelOptions, visibilityTolerance: 0.02, background: [0, 0, 0], preferGpu: true, meshOpacity: 0.5 },
};

/**
 * The configuration with overrides applied over the defaults (the trainer's budget merged field
 * by field, its growth schedule and starting grid derived as ResolveTrainerOptions does).
 * @param overrides what differs from the defaults
 * @param base the configuration to override (default {@link DefaultPipelineConfig})
 * @returns the complete configuration
 */
export function ResolvePipelineConfig(overrides: PipelineOverrides = {}, base: PipelineConfig = DefaultPipelineConfig): PipelineConfig {
    return {
        capture: { ...base.capture, ...overrides.capture },
        train: overrides.train ? ResolveTrainerOptions(overrides.train, base.train) : base.train,
        segment: { ...base.segment, ...overrides.segment },
        features: { ...base.features, ...overrides.features },
        fuse: { ...base.fuse, ...overrides.fuse },
        extract: { ...base.extract, ...overrides.extract },
        splats: { ...base.splats, ...overrides.splats },
    };
}

/**
 * Fusion iterations of a run: the configured count, or a share of it when refining an object's
 * earlier field (warm start).
 * @param config the fusion settings
 * @param refining whether the run warm-starts from an earlier field
 * @returns iterations
 */
export function FusionIterations(config: FuseStageConfig, refining: boolean): number {
    return refining ? Math.max(config.minRefineIterations, Math.round(config.iterations * config.refineShare)) : config.iterations;
}

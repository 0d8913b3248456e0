import { DefaultExtractionOptions } from "@plugin/core/extraction/objectExtraction";
import { DefaultFusionOptions } from "@plugin/core/fusion/objectFieldTypes";
import { DefaultFeatureFieldOptions } from "@plugin/core/features/featureFieldTypes";
import { DefaultTrainerOptions } from "@plugin/core/nerf/trainerOptions";
import { DefaultPipelineConfig, FusionIterations, ResolvePipelineConfig } from "@plugin/core/pipeline/pipelineConfig";
import { DefaultPropagationOptions } from "@plugin/core/segmentation/promptPropagation";

describe("pipeline configuration: every default once, overrides on top", () => {
    it("gathers the stages' own defaults rather than restating them", () => {
        expect(DefaultPipelineConfig.train).toBe(DefaultTrainerOptions);
        expect(DefaultPipelineConfig.fuse).toEqual(jasmine.objectContaining(DefaultFusionOptions));
        expect(DefaultPipelineConfig.segment).toEqual(jasmine.objectContaining(DefaultPropagationOptions));
        const { up, ...extraction } = DefaultExtractionOptions;
        expect(up).toBeDefined();
        expect(DefaultPipelineConfig.extract).toEqual(extraction);
        expect(DefaultPipelineConfig.features).toEqual({ ...DefaultFeatureFieldOptions, preferGpu: true });
        expect("up" in DefaultPipelineConfig.extract).withContext("the up direction comes from the capture, not the configuration").toBeFalse();
    });

    it("overrides only what is given, derives the trainer's starting grid and growth, and leaves the defaults untouched", () => {
        const config = ResolvePipelineConfig({ capture: { maxSide: 128 }, train: { seed: 7, budget: { iterations: 300, gridResolution: 48 } }, fuse: { rayPair: false }, extract: { resolution: 64 } });
        expect(config.capture.maxSide).toBe(128);
        expect(config.train.seed).toBe(7);
        expect(config.train.budget.iterations).toBe(300);
        expect(config.train.budget.gridResolution).toBe(48);
        expect(config.train.budget.initialGridResolution).withContext("half the final grid").toBe(24);
        expect(config.train.budget.growAt).toEqual([Math.round(Math.max(60, Math.min(150, DefaultTrainerOptions.occupancyWarmup + 2 * DefaultTrainerOptions.occupancyInterval)))]);
        expect(config.train.appearanceWarmup).withContext("per-photo appearance learns from the first growth").toBe(config.train.budget.growAt[0]);
        expect(DefaultTrainerOptions.appearanceWarmup).toBe(DefaultTrainerOptions.budget.growAt[0]);
        expect(ResolvePipelineConfig({ train: { budget: { iterations: 300, growAt: [] } } }).train.appearanceWarmup).withContext("without growth: a fifth of the run").toBe(60);
        expect(ResolvePipelineConfig({ train: { budget: { iterations: 300 }, appearanceWarmup: 10 } }).train.appearanceWarmup).withContext("given: kept").toBe(10);
        expect(config.train.budget.raysPerBatch).toBe(DefaultTrainerOptions.budget.raysPerBatch);
        expect(config.fuse.rayPair).toBeFalse();
        expect(config.fuse.iterations).toBe(DefaultFusionOptions.iterations);
        expect(config.extract.resolution).toBe(64);
        expect(config.extract.triangleBudget).toBe(DefaultExtractionOptions.triangleBudget);
        expect(config.segment).toEqual(DefaultPipelineConfig.segment);
        expect(DefaultPipelineConfig.capture.maxSide).toBe(400);
        expect(DefaultTrainerOptions.budget.iterations).toBe(5000);
    });

    it("layers overrides on a resolved configuration (the workspace's, then the pane's)", () => {
        const host = ResolvePipelineConfig({ train: { budget: { iterations: 150, gridResolution: 32 } }, fuse: { preferGpu: false } });
        const pane = ResolvePipelineConfig({ train: { budget: { iterations: 400 } } }, host);
        expect(pane.train.budget.iterations).toBe(400);
        expect(pane.train.budget.gridResolution).toBe(32);
        expect(pane.train.budget.initialGridResolution).toBe(16);
        expect(pane.fuse.preferGpu).toBeFalse();
    });

    it("refines with a share of the fusion iterations", () => {
        const fuse = DefaultPipelineConfig.fuse;
        expect(FusionIterations(fuse, false)).toBe(fuse.iterations);
        expect(FusionIterations(fuse, true)).toBe(Math.round(fuse.iterations / 3));
        expect(FusionIterations({ ...fuse, iterations: 60 }, true)).withContext("but at least the minimum").toBe(fuse.minRefineIterations);
    });
});

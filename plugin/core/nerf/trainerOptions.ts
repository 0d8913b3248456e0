/** How much training to do and at what size. */
export interface TrainingBudget {
    /** Training iterations (one batch of rays each). */
    readonly iterations: number;
    /** Rays per batch. */
    readonly raysPerBatch: number;
    /** Grid points along the longest axis of the box at the end of training. */
    readonly gridResolution: number;
    /** Grid points along the longest axis at the start (coarse-to-fine growth). */
    readonly initialGridResolution: number;
    /** Iterations at which the grid grows (evenly towards gridResolution); the first also tightens the box. */
    readonly growAt: readonly number[];
}

/** Every knob of the trainer, with defaults in {@link DefaultTrainerOptions}. */
export interface TrainerOptions {
    readonly budget: TrainingBudget;
    /** Adam learning rate for raw density at iteration 0, per grid spacing (divided by the voxel size in world units). */
    readonly learningRateDensity: number;
    /** Adam learning rate for SH coefficients at iteration 0. */
    readonly learningRateColor: number;
    /** Learning rates decay exponentially to this fraction by the last iteration. */
    readonly learningRateDecay: number;
    /**
     * Total-variation weight on density (per batch ray: it is scaled by raysPerBatch). Off by
     * default: with per-point (masked) Adam even a small weight dominates the weak gradients of
     * empty space and grows fog there; raise it (e.g. 1e-7) for forward-facing captures with floaters.
     */
    readonly tvDensity: number;
    /**
     * Weight of the distortion regulariser (mip-NeRF 360's L_dist, per batch ray, sample positions
     * in steps; see volumeRenderBackward.wgsl): pulls each ray's weights together, turning the soft
     * fog a field grows in textureless or concave regions into surfaces. 0 = off.
     */
    readonly distortion: number;
    /** Total-variation weight on colour. */
    readonly tvColor: number;
    /** Step between samples, in grid spacings. */
    readonly stepInVoxels: number;
    /** Initial per-step opacity of empty space, sets densityShift. */
    readonly alphaInit: number;
    /** Most samples kept per ray. */
    readonly maxSamplesPerRay: number;
    /** Rays stop once their transmittance falls below this. */
    readonly earlyStop: number;
    /** Occupancy grid cells per grid point along each axis (0.5 = a cell spans 2 points). */
    readonly occupancyScale: number;
    /** Iterations before the occupancy grid starts to skip space. */
    readonly occupancyWarmup: number;
    /** Occupancy refresh interval, iterations. */
    readonly occupancyInterval: number;
    /** Occupancy moving-maximum decay per refresh. */
    readonly occupancyDecay: number;
    /** A cell is occupied when its per-step opacity exceeds this. */
    readonly occupancyThreshold: number;
    /** Iterations between loss/PSNR read-backs (and step events). */
    readonly statsInterval: number;
    /** Iterations between CPU checkpoints of the field (kept if the device is lost; the CLI saves each one as checkpoint.bin). 0 = none. */
    readonly checkpointInterval: number;
    /** Seed of ray batches and jitter. */
    readonly seed: number;
    /** Order-independent (fixed-point) gradient accumulation: the same seed gives the same field. */
    readonly deterministic: boolean;
    /** What the field models (see {@link SceneModel}); the pipeline's train stage resolves "auto" from the capture. */
    readonly sceneModel: SceneModel;
    /** Per-photo appearance (see {@link PhotoAppearanceModel}). */
    readonly appearance: PhotoAppearanceModel;
    /** Adam learning rate of the per-photo colour transforms at iteration 0 (decays with the field's). */
    readonly appearanceLearningRate: number;
    /**
     * Iterations before the per-photo transforms learn: the field first fits what the photos share,
     * since a transform started at once also absorbs the young field's errors that go with its
     * photo's viewpoint (too bright from low views, say) instead of the photo's exposure. Defaults
     * to the first grid growth.
     */
    readonly appearanceWarmup: number;
    /**
     * Pull of each photo's colour transform towards the identity, per ray of the photo in the batch
     * (a weight on |A - I|^2 + |b|^2 beside the ray's squared colour error): it ties the field's own
     * colours to the photos' consensus and keeps the transforms from explaining content.
     */
    readonly appearanceRegularization: number;
}

/**
 * Per-photo appearance: "per-photo" learns an affine colour transform per training photo
 * (exposure and white balance, as NeRF-W's and nerfacto's appearance embeddings model them; see
 * shaders/nerf/appearanceApply.wgsl), so differences between shots are not baked into the field;
 * "none" fits every photo as it is; "auto" is per-photo for opaque photographs (a capture without
 * alpha or a declared background) and none for rendered or masked captures. The transform acts on
 * the whole composited pixel, as exposure does on a photo: forced on a masked capture it also
 * acts on the training background, which the photos' pixels do not share.
 */
export type PhotoAppearanceModel = "auto" | "none" | "per-photo";

/**
 * What the field models: "bounded" the capture's box only; "contracted" the whole scene (the box
 * finely, everything beyond it contracted, see shaders/nerf/fieldCommon.wgsl); "auto" contracted
 * for captures whose content reaches beyond any box (opaque photos whose manifest gives no box),
 * bounded otherwise (a box in the manifest, or images whose alpha isolates the content).
 */
export type SceneModel = "auto" | "bounded" | "contracted";

/** Defaults: sized for a 200 px capture on a desktop GPU within the 512 MB budget. */
export const DefaultTrainerOptions: TrainerOptions = {
    budget: { iterations: 5000, raysPerBatch: 4096, gridResolution: 128, initialGridResolution: 64, growAt: [1000] },
    learningRateDensity: 0.1,
    learningRateColor: 0.1,
    learningRateDecay: 0.1,
    tvDensity: 0,
    tvColor: 0,
    distortion: 0,
    stepInVoxels: 0.5,
    alphaInit: 1e-4,
    maxSamplesPerRay: 512,
    earlyStop: 1e-3,
    occupancyScale: 0.5,
    occupancyWarmup: 256,
    occupancyInterval: 16,
    occupancyDecay: 0.95,
    occupancyThreshold: 1e-2,
    statsInterval: 25,
    checkpointInterval: 500,
    seed: 1,
    deterministic: true,
    sceneModel: "auto",
    appearance: "auto",
    appearanceLearningRate: 5e-3,
    appearanceWarmup: 1000,
    appearanceRegularization: 1e-3,
};

/** What a caller may override: any option, and any part of the budget. */
export type TrainerOverrides = Partial<Omit<TrainerOptions, "budget">> & { readonly budget?: Partial<TrainingBudget> };

/**
 * Options with overrides applied (budget merged field by field). When the final grid is given
 * without a starting one, training starts at half of it (at least 16 points); when the iterations
 * are given without a growth schedule, the grid grows after a fifth of the run, but not before the
 * occupancy grid skips space; per-photo appearance then starts learning at the first growth (a fifth
 * of the run without growth) unless its warm-up is given.
 * @param options the overrides
 * @param base the options to override (default {@link DefaultTrainerOptions})
 * @returns complete options
 */
export function ResolveTrainerOptions(options: TrainerOverrides = {}, base: TrainerOptions = DefaultTrainerOptions): TrainerOptions {
    const budget = { ...base.budget, ...options.budget };
    const resolved = { ...base, ...options, budget };
    if (options.budget?.gridResolution !== undefined && options.budget.initialGridResolution === undefined) {
        budget.initialGridResolution = Math.max(16, Math.round(budget.gridResolution / 2));
    }
    if (!options.budget?.growAt && options.budget?.iterations !== undefined) {
        budget.growAt = [Math.round(Math.max(budget.iterations * 0.2, Math.min(budget.iterations / 2, resolved.occupancyWarmup + 2 * resolved.occupancyInterval)))];
    }
    if (options.appearanceWarmup === undefined && (options.budget?.iterations !== undefined || options.budget?.growAt)) {
        resolved.appearanceWarmup = budget.growAt[0] ?? Math.round(budget.iterations * 0.2);
    }
    return resolved;
}

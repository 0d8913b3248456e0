/** What the pipeline page is asked to do (built by tools/pipeline.mjs from its arguments). */
export interface PipelineConfig {
    /** URL of the capture folder (served by the runner under /capture/). */
    readonly captureUrl: string;
    /** The capture's display name (its folder's name). */
    readonly captureName: string;
    /** URL prefix that PUT requests write output files under (the runner's --out folder). */
    readonly outUrl: string;
    /** Longest image side after downscaling. */
    readonly size: number;
    /** Training iterations (0 = no training). */
    readonly iterations: number;
    /** Holdout evaluations during training (the PSNR curve), at these iterations. */
    readonly curveAt: readonly number[];
    /** Final grid resolution (points on the longest axis); default when omitted. */
    readonly gridResolution?: number;
    /** Training seed. */
    readonly seed: number;
    /** Weight of the trainer's distortion regulariser (TrainerOptions.distortion); default when omitted. */
    readonly distortion?: number;
    /** URL of an existing field.bin to use instead of training (served by the runner). */
    readonly fieldUrl?: string;
    /** Point prompts, "view=V,x=X,y=Y,label=L[,object=K]". */
    readonly prompts: readonly string[];
    /** Box prompts, "view=V,x0=..,y0=..,x1=..,y1=..[,object=K]". */
    readonly boxes: readonly string[];
    /** The segmentation model: the built-in stand-in or encoder/decoder URLs. */
    readonly model: "builtin" | { readonly encoder: string; readonly decoder: string };
    /** Masks to fuse: "truth" (the capture's ground truth) or the URL prefix of a mask folder. */
    readonly masks?: string;
    /** Apply the noise model with this seed to the masks. */
    readonly noiseSeed?: number;
    /** Fusion settings (iterations 0: no fusion). */
    readonly fuse: { readonly iterations: number; readonly gridResolution?: number; readonly rayPair: boolean };
    /** Extract every fused object as a GLB at this resolution (undefined: no export). */
    readonly exportResolution?: number;
}

/** The training stage's figures (metrics.json). */
export interface TrainReport {
    readonly iterations: number;
    readonly seconds: number;
    /** Mean holdout PSNR, dB. */
    readonly psnr: number;
    /** Mean holdout SSIM. */
    readonly ssim: number;
    /** Holdout PSNR at the curve's iterations. */
    readonly curve: readonly { iteration: number; psnr: number; ssim: number; seconds: number }[];
    /** Mean samples per ray in training batches after the occupancy warm-up. */
    readonly meanSamplesPerRay: number;
    /** Mean samples per ray when rendering the holdout views. */
    readonly renderSamplesPerRay: number;
    readonly peakGpuBytes: number;
    readonly fieldBytes: number;
    readonly gridSize: readonly number[];
    readonly raysPerBatch: number;
    readonly raysPerSecond: number;
    readonly holdoutFrames: readonly number[];
}

/** Summary of the capture stage, as written to report.json. */
export interface CaptureReport {
    readonly name: string;
    readonly format: string;
    readonly frames: number;
    readonly width: number;
    readonly height: number;
    readonly sourceWidth: number;
    readonly sourceHeight: number;
    readonly bounds: { readonly min: readonly number[]; readonly max: readonly number[] };
    readonly background: string;
    readonly holdout: readonly number[];
    readonly trainFrames: number;
    readonly objects: readonly { readonly id: number; readonly name: string }[];
    readonly hasMasks: boolean;
    readonly hasLabels: boolean;
    readonly hasDepth: boolean;
    readonly notes: readonly string[];
    readonly seconds: number;
}

/** Everything the pipeline reports (report.json). */
export interface PipelineReport {
    readonly capture: CaptureReport;
    readonly train?: TrainReport;
    readonly segment?: import("./segmentStage").SegmentReport;
    readonly fusion?: import("./fuseStage").FuseReport;
    readonly export?: import("./exportStage").ExportReport;
    /** Output files written, relative to --out. */
    readonly files: string[];
    readonly seconds: number;
}

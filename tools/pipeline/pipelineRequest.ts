/**
 * What the CLI (cli.mjs) asks the pipeline page to do, and what the page reports back
 * (report.json and the per-stage files).
 */
import type { PipelineConfig, PipelineOverrides } from "../../plugin/core/pipeline/pipelineConfig";
import type { CurvePoint } from "../../plugin/core/evaluation/holdoutEvaluation";
import type { FusedObjectScores } from "../../plugin/core/evaluation/holdoutScores";
import type { MaskNoiseParams } from "../../plugin/core/evaluation/maskNoise";
import type { SamLikeErrorParams } from "../../plugin/core/evaluation/samLikeErrors";

/** A run of the pipeline: which stages, on what, and the settings that differ from the defaults. */
export interface PipelineRequest {
    /** URL of the capture folder (served by the runner under /capture/); optional with a splat file. */
    readonly captureUrl?: string;
    /** URL of a Gaussian-splat file to segment (--splat), served under /splat/. */
    readonly splatUrl?: string;
    /** The splat file's name. */
    readonly splatName?: string;
    /** The capture's display name (its folder's name). */
    readonly captureName: string;
    /** URL prefix that PUT requests write output files under (the runner's --out folder). */
    readonly outUrl: string;
    /** Settings that differ from the pipeline's defaults (from the command-line flags). */
    readonly overrides: PipelineOverrides;
    /** Train a field (--iters N > 0). */
    readonly train: boolean;
    /** Holdout evaluations during training (the PSNR curve), at these iterations. */
    readonly curveAt: readonly number[];
    /** URL of an existing field.bin: used instead of training, or trained on from its iteration when `train` is set. */
    readonly fieldUrl?: string;
    /** URL of the run's checkpoint to continue training from (--resume). */
    readonly resumeUrl?: string;
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
    /** Which noise model: errors drawn per view, or SAM-like errors planned in 3-D (samLikeErrors). */
    readonly noiseModel: "independent" | "sam-like";
    /** Fuse the masks (--fuse-iters 0 turns fusion off). */
    readonly fuse: boolean;
    /** Extract every fused object as a GLB, and as splats (object-<k>.ply, object-<k>.spz). */
    readonly export: boolean;
    /** Write the whole radiance field as splats, scene.ply (--export-splats). */
    readonly exportSplats?: boolean;
    /** Only resolve the configuration and return it (--print-config). */
    readonly printConfig?: boolean;
}

/** Summary of the capture stage (report.json). */
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

/** The training stage's figures (metrics.json). */
export interface TrainReport {
    readonly iterations: number;
    readonly seconds: number;
    /** Mean holdout PSNR, dB. */
    readonly psnr: number;
    /** Mean holdout SSIM. */
    readonly ssim: number;
    /** Mean holdout PSNR with each view's appearance matched (left-half fit, right-half score), dB. */
    readonly psnrMatched: number;
    /** Per training photo (by frame index), its learned gain and offset per channel; null without per-photo appearance. */
    readonly appearance: readonly { readonly frame: number; readonly gain: readonly number[]; readonly offset: readonly number[] }[] | null;
    /** Holdout PSNR at the curve's iterations. */
    readonly curve: readonly CurvePoint[];
    /** Mean samples per ray in training batches after the occupancy warm-up (null when training ended before it). */
    readonly meanSamplesPerRay: number | null;
    /** Mean samples per ray when rendering the holdout views. */
    readonly renderSamplesPerRay: number;
    readonly peakGpuBytes: number;
    readonly fieldBytes: number;
    readonly gridSize: readonly number[];
    readonly raysPerBatch: number;
    readonly raysPerSecond: number;
    readonly holdoutFrames: readonly number[];
}

/** Per-view figures of the segmentation stage (masks2d/scores.json). */
export interface SegmentReport {
    readonly model: string;
    readonly backend: string;
    readonly objects: readonly {
        /** The object's id on the command line (object=K). */
        readonly id: number;
        /** Its label in masks2d/ and in fusion (1..K in id order). */
        readonly label: number;
        readonly validViews: number;
        /** The ground-truth object the clicks landed on (instance label, or 1 for an alpha mask), when the capture has one. */
        readonly truthObject: number | null;
        /** Mean IoU of the decoded masks against that object over the valid views. */
        readonly meanTruthIou: number | null;
        readonly views: readonly { frame: number; name: string; valid: boolean; visibleFraction: number; iou: number | null; truthIou: number | null }[];
    }[];
    readonly encoderRuns: number;
    readonly decoderRuns: number;
    readonly seconds: number;
}

/** The fusion stage's figures (fusion.json). */
export interface FuseReport {
    readonly source: string;
    readonly objects: number;
    readonly backend: string;
    readonly backendReason: string;
    readonly iterations: number;
    readonly rayPair: boolean;
    readonly grid: readonly number[];
    readonly trainViews: number;
    readonly seconds: number;
    readonly notes: readonly string[];
    readonly noise?: MaskNoiseParams | SamLikeErrorParams;
    /** Per object on the holdout views, when the capture has ground truth. */
    readonly holdout: readonly FusedObjectScores[];
    /** Mean IoU over the objects (holdout), or null without ground truth. */
    readonly meanIou: number | null;
    readonly meanInputIou: number | null;
    readonly finalLoss: number;
}

/** One exported object (export.json). */
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
    /** The surface level taken, as the opacity of one radiance-grid spacing (0.3, or less for a soft object). */
    readonly surfaceOpacity: number | null;
    /** Splats of the object's splat files. */
    readonly splats: number;
    /** The object as splats: object-<k>.ply (3DGS layout) and object-<k>.spz. */
    readonly splatFiles: readonly string[];
}

/** The whole field written as splats (--export-splats). */
export interface FieldSplatsReport {
    readonly file: string;
    readonly splats: number;
    readonly bytes: number;
    readonly seconds: number;
}

/** The export stage's figures (export.json). */
export interface ExportReport {
    readonly resolution: number;
    readonly objects: readonly ExportedObject[];
}

/** A splat run's figures (splats.json). */
export interface SplatReport {
    readonly file: string;
    readonly format: string;
    readonly splats: number;
    readonly shDegree: number;
    /** Where the views came from: the capture's cameras and photos, or cameras placed around the content. */
    readonly cameras: "capture" | "auto";
    readonly views: number;
    readonly backend: "webgpu" | "cpu";
    readonly model: string;
    readonly objects: readonly {
        readonly id: number;
        /** Its value in splat-labels.bin. */
        readonly label: number;
        readonly splats: number;
        /** With true labels in the file (a "label" vertex property): the true object most of its splats carry, and the IoU of the two splat sets. */
        readonly truthObject: number | null;
        readonly truthIou: number | null;
        /** With --export: the object's mesh (object-<k>.glb) triangles, and its Chamfer distance to the capture's true mesh (% of its diagonal) where there is one. */
        readonly meshTriangles?: number | null;
        readonly meshChamferPercent?: number | null;
    }[];
    /** Splats no view saw. */
    readonly unseen: number;
    readonly exported: readonly string[];
    readonly seconds: { readonly render: number; readonly segment: number; readonly label: number; readonly total: number };
}

/** Everything the pipeline reports (report.json). */
export interface PipelineReport {
    /** The resolved configuration the run used. */
    readonly config: PipelineConfig;
    readonly capture?: CaptureReport;
    readonly train?: TrainReport;
    readonly segment?: SegmentReport;
    readonly fusion?: FuseReport;
    readonly export?: ExportReport;
    /** With --export-splats: the field as splats (scene.ply). */
    readonly sceneSplats?: FieldSplatsReport;
    readonly splats?: SplatReport;
    /** Output files written, relative to --out. */
    readonly files: string[];
    readonly seconds: number;
}

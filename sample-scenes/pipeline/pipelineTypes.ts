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
    /** Output files written, relative to --out. */
    readonly files: string[];
    readonly seconds: number;
}

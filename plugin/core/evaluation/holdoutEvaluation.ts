import { SplitHoldout } from "../capture/holdout";
import type { Capture } from "../capture/captureTypes";
import type { RgbaImage } from "../image/rgbaImage";
import { MeanSquaredError, Psnr, Ssim } from "./imageMetrics";
import type { NerfTrainer } from "../nerf/nerfTrainer";
import { CompositeOnBackground } from "../image/compositeOnBackground";
import { HalfMatchedPsnr } from "./appearanceMatching";

/** Holdout quality of a field. */
export interface HoldoutEvaluation {
    /** Mean PSNR over the holdout views, dB: the field as it renders (with per-photo appearance, the training photos' average appearance). */
    readonly psnr: number;
    /**
     * Mean PSNR with each holdout view's appearance matched (NeRF-W's protocol: a gain and offset per
     * channel fitted on the view's left half, PSNR on its right half; {@link HalfMatchedPsnr}), dB.
     */
    readonly psnrMatched: number;
    /** Mean SSIM. */
    readonly ssim: number;
    /** Mean samples per ray when rendering them. */
    readonly samplesPerRay: number;
    /** The renders, in holdout order. */
    readonly renders: readonly RgbaImage[];
}

/** One point of a training curve. */
export interface CurvePoint {
    readonly iteration: number;
    readonly psnr: number;
    readonly ssim: number;
    readonly seconds: number;
}

/**
 * Renders every holdout view (index % 8 == 0) and compares it with the capture.
 * @param trainer the trainer holding the field
 * @param capture the capture
 * @returns PSNR, SSIM, samples per ray and the renders
 */
export async function EvaluateHoldoutAsync(trainer: NerfTrainer, capture: Capture): Promise<HoldoutEvaluation> {
    const { holdout } = SplitHoldout(capture.frames.length);
    let psnr = 0;
    let psnrMatched = 0;
    let ssim = 0;
    let samples = 0;
    const renders: RgbaImage[] = [];
    for (const index of holdout) {
        const frame = capture.frames[index];
        const view = await trainer.renderAsync(frame);
        const rendered = { width: view.width, height: view.height, data: view.color };
        const truth = CompositeOnBackground(frame.image, trainer.background);
        psnr += Psnr(MeanSquaredError(rendered, truth));
        psnrMatched += HalfMatchedPsnr(rendered, truth);
        ssim += Ssim(rendered, truth);
        samples += view.samplesPerRay;
        renders.push(rendered);
    }
    return { psnr: psnr / holdout.length, psnrMatched: psnrMatched / holdout.length, ssim: ssim / holdout.length, samplesPerRay: samples / holdout.length, renders };
}

/**
 * Trains to the end of the budget, evaluating the holdout views at each curve iteration on the way.
 * @param trainer the trainer
 * @param capture the capture
 * @param curveAt iterations to evaluate at (the last iteration is always evaluated)
 * @param log progress log
 * @returns the curve and the final evaluation
 */
export async function TrainWithCurveAsync(trainer: NerfTrainer, capture: Capture, curveAt: readonly number[], log: (line: string) => void): Promise<{ curve: CurvePoint[]; final: HoldoutEvaluation; seconds: number }> {
    const total = trainer.options.budget.iterations;
    const stops = [...new Set([...curveAt.filter((it) => it > trainer.iteration && it < total), total])].sort((a, b) => a - b);
    const curve: CurvePoint[] = [];
    let final: HoldoutEvaluation | null = null;
    let seconds = 0;
    for (const stop of stops) {
        seconds = (await trainer.trainAsync(undefined, stop)).seconds;
        final = await EvaluateHoldoutAsync(trainer, capture);
        curve.push({ iteration: stop, psnr: final.psnr, ssim: final.ssim, seconds });
        log(`eval: iteration ${stop}: holdout PSNR ${final.psnr.toFixed(2)} dB (appearance matched ${final.psnrMatched.toFixed(2)} dB), SSIM ${final.ssim.toFixed(3)} after ${seconds.toFixed(1)} s`);
    }
    return { curve, final: final!, seconds };
}

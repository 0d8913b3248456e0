import type { FunctionComponent } from "react";
import type { TrainingStepEvent } from "../core/nerf/nerfTrainer";

/**
 * A small PSNR-over-iterations chart of a training run (inline SVG).
 * @param props the step events and the planned iterations
 * @param props.history step events
 * @param props.iterations planned iterations (x range)
 * @returns the chart
 */
export const TrainingCurve: FunctionComponent<{ history: readonly TrainingStepEvent[]; iterations: number }> = ({ history, iterations }) => {
    const width = 240;
    const height = 72;
    if (history.length === 0) {
        return null;
    }
    const psnrs = history.map((step) => step.psnr);
    const lo = Math.floor(Math.min(...psnrs) - 1);
    const hi = Math.ceil(Math.max(...psnrs) + 1);
    const x = (it: number): number => (it / Math.max(1, iterations)) * (width - 30) + 28;
    const y = (psnr: number): number => height - 12 - ((psnr - lo) / Math.max(1e-6, hi - lo)) * (height - 20);
    const points = history.map((step) => `${x(step.iteration).toFixed(1)},${y(step.psnr).toFixed(1)}`).join(" ");
    const last = history[history.length - 1];
    return (
        <svg data-testid="training-curve" width={width} height={height} role="img" aria-label={`training PSNR ${last.psnr.toFixed(1)} dB at iteration ${last.iteration}`} style={{ background: "rgba(127,127,127,0.08)", borderRadius: 4 }}>
            <text x={2} y={10} fontSize={9} fill="currentColor">{`${hi} dB`}</text>
            <text x={2} y={height - 12} fontSize={9} fill="currentColor">{`${lo} dB`}</text>
            <text x={width - 2} y={height - 2} fontSize={9} fill="currentColor" textAnchor="end">{`${last.iteration} / ${iterations}`}</text>
            <polyline points={points} fill="none" stroke="#2b88d8" strokeWidth={1.5} />
            <circle cx={x(last.iteration)} cy={y(last.psnr)} r={2.5} fill="#2b88d8" />
        </svg>
    );
};

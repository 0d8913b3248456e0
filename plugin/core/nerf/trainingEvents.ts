/** Reported every statsInterval iterations. */
export interface TrainingStepEvent {
    readonly iteration: number;
    readonly iterations: number;
    /** Mean squared error per colour channel over the last batch. */
    readonly loss: number;
    /** PSNR of that error, dB. */
    readonly psnr: number;
    /** Mean samples evaluated per ray in the last batch. */
    readonly samplesPerRay: number;
    /** Fraction of occupancy cells occupied (1 during warm-up). */
    readonly occupiedFraction: number;
    /** Current grid size. */
    readonly gridSize: readonly [number, number, number];
    /** Training seconds so far (pauses excluded). */
    readonly seconds: number;
}

/** What trainAsync resolves with. */
export interface TrainingResult {
    readonly iterations: number;
    /** True when stopped before the budget ran out. */
    readonly stopped: boolean;
    readonly seconds: number;
    /** Every step event of the run. */
    readonly history: readonly TrainingStepEvent[];
}

/** Where training is. */
export type TrainerStatus = "idle" | "running" | "paused" | "finished" | "stopped" | "failed";

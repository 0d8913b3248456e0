/** Training stopped for a reason the user must act on (bad poses, divergence, a lost device...). */
export class NerfTrainingError extends Error {
    /** Iteration at which it stopped (0 before training began). */
    public readonly iteration: number;

    /**
     * @param message what went wrong and what to do
     * @param iteration where it happened
     * @param options.cause the underlying error
     * @param options error options
     */
    public constructor(message: string, iteration: number, options?: { cause?: unknown }) {
        super(message, options);
        this.name = "NerfTrainingError";
        this.iteration = iteration;
    }
}

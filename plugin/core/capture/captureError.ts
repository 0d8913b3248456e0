/** A capture that cannot be loaded: names the file and the problem. */
export class CaptureError extends Error {
    /** The file at fault (path inside the capture), or the capture itself. */
    public readonly file: string;
    /** What is wrong with it. */
    public readonly problem: string;

    /**
     * @param file the file at fault
     * @param problem what is wrong, in words a user can act on
     * @param options the underlying error, if any
     * @param options.cause the error that led to this one
     */
    public constructor(file: string, problem: string, options?: { cause?: unknown }) {
        super(`${file}: ${problem}`, options);
        this.name = "CaptureError";
        this.file = file;
        this.problem = problem;
    }
}

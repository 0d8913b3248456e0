/** A splat file that cannot be read or written: names the file and the problem. */
export class SplatFileError extends Error {
    /** The file at fault. */
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
        this.name = "SplatFileError";
        this.file = file;
        this.problem = problem;
    }
}

/** A radiance-field file that cannot be read: names the file and the problem. */
export class RadianceFieldFileError extends Error {
    /** The file at fault (its name as given to the reader). */
    public readonly file: string;
    /** What is wrong with it. */
    public readonly problem: string;

    /**
     * @param file the file at fault
     * @param problem what is wrong, in words a user can act on
     */
    public constructor(file: string, problem: string) {
        super(`${file}: ${problem}`);
        this.name = "RadianceFieldFileError";
        this.file = file;
        this.problem = problem;
    }
}

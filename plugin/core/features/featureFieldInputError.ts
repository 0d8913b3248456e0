/** A feature field cannot be distilled or rendered from these inputs; the message names what is wrong. */
export class FeatureFieldInputError extends Error {
    /** @param message what is wrong */
    public constructor(message: string) {
        super(message);
        this.name = "FeatureFieldInputError";
    }
}

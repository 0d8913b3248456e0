/** Fusion inputs that cannot be fused (no valid view, wrong mask size, bad labels...); the message says which. */
export class FusionInputError extends Error {
    /** @param message what is wrong and where */
    public constructor(message: string) {
        super(message);
        this.name = "FusionInputError";
    }
}

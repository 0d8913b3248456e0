import type { SamModelFamily } from "./samTypes";

/** One side of a model (encoder or decoder inputs or outputs) that does not fit an interface. */
export interface SamInterfaceMismatch {
    /** Which session. */
    readonly part: "encoder" | "decoder";
    /** Which list of names. */
    readonly kind: "inputs" | "outputs";
    /**
     * The names the interface needs. An entry with several names ("image | images") means any one
     * of them.
     */
    readonly expected: readonly string[];
    /** The names the session has. */
    readonly found: readonly string[];
    /** Expected entries the session lacks. */
    readonly missing: readonly string[];
}

/** Display names of the families, for messages. */
const FamilyNames: Record<SamModelFamily, string> = {
    builtin: "built-in (SAM)",
    sam: "SAM",
    mobilesam: "MobileSAM (SAM)",
    efficientsam: "EfficientSAM",
    sam2: "SAM2",
};

/**
 * Thrown when loaded ONNX sessions do not have the inputs and outputs a model family needs. The
 * message lists, per session, the expected names, the names found and the missing ones, e.g.
 * `the decoder does not fit the SAM interface: expected inputs image_embeddings, point_coords, ...;
 * found image_embeddings, point_coords, point_labels (missing mask_input, ...)`.
 */
export class SamModelMismatchError extends Error {
    /** The family the model was checked against. */
    public readonly family: SamModelFamily;
    /** Every list that did not fit. */
    public readonly mismatches: readonly SamInterfaceMismatch[];

    /**
     * @param family the family checked against
     * @param mismatches what did not fit (at least one)
     * @param hint an extra sentence (e.g. which family the names suggest)
     */
    public constructor(family: SamModelFamily, mismatches: readonly SamInterfaceMismatch[], hint?: string) {
        super(SamModelMismatchError._Message(family, mismatches, hint));
        this.name = "SamModelMismatchError";
        this.family = family;
        this.mismatches = mismatches;
    }

    /**
     * Compares one list of names with what an interface needs.
     * @param part encoder or decoder
     * @param kind inputs or outputs
     * @param expected needed names; "a | b" accepts either
     * @param found the session's names
     * @returns the mismatch, or null when every expected entry is present
     */
    public static Compare(part: "encoder" | "decoder", kind: "inputs" | "outputs", expected: readonly string[], found: readonly string[]): SamInterfaceMismatch | null {
        const missing = expected.filter((entry) => !entry.split(" | ").some((name) => found.includes(name)));
        return missing.length === 0 ? null : { part, kind, expected, found, missing };
    }

    private static _Message(family: SamModelFamily, mismatches: readonly SamInterfaceMismatch[], hint?: string): string {
        const parts: string[] = [];
        for (const part of ["encoder", "decoder"] as const) {
            const own = mismatches.filter((mismatch) => mismatch.part === part);
            if (own.length === 0) {
                continue;
            }
            const lists = own.map((mismatch) => {
                const found = mismatch.found.length > 0 ? mismatch.found.join(", ") : "none";
                return `expected ${mismatch.kind} ${mismatch.expected.join(", ")}; found ${found} (missing ${mismatch.missing.join(", ")})`;
            });
            parts.push(`the ${part} does not fit the ${FamilyNames[family]} interface: ${lists.join("; ")}`);
        }
        return parts.join(". ") + (hint ? `. ${hint}` : "");
    }
}

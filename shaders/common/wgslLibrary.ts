import adamStep from "./adamStep.wgsl";
import atomicAccumulate from "./atomicAccumulate.wgsl";
import linearIndex from "./linearIndex.wgsl";
import touchedPoints from "./touchedPoints.wgsl";

/**
 * Prepends shared WGSL snippets to a kernel source. WGSL has no #include; a kernel's typed
 * wrapper names the snippets it uses. `requires` directives move to the top, as WGSL demands.
 * @param kernelSource the kernel's own WGSL
 * @param snippets shared snippets, in order
 * @returns one WGSL module
 */
export function ComposeWgsl(kernelSource: string, ...snippets: string[]): string {
    const all = [...snippets, kernelSource].join("\n");
    const lines = all.split("\n");
    const directives = [...new Set(lines.filter((line) => /^\s*(requires|enable|diagnostic)\b/.test(line)).map((line) => line.trim()))];
    const body = lines.filter((line) => !/^\s*(requires|enable|diagnostic)\b/.test(line));
    return [...directives, ...body].join("\n");
}

/** The directive of snippets whose functions take storage pointers. */
const PointerParameters = "requires unrestricted_pointer_parameters;";

/** Shared WGSL snippets, by name. */
export const WgslSnippets = {
    /** `LinearInvocation` (the entry point's builtins), `linearIndex(invocation, workgroupSize)`, `CountParams`. */
    linearIndex,
    /** `atomicAccumulate(&word, value)` and `accumulatedValue(word, scale)` with DETERMINISTIC / FIXED_POINT_SCALE overrides. */
    atomicAccumulate: `${PointerParameters}\n${atomicAccumulate}`,
    /** `markTouched(&touchedState, &touchedList, point)` and TOUCHED_BITS_OFFSET. */
    touchedPoints: `${PointerParameters}\n${touchedPoints}`,
    /** `adamStep(parameter, gradient, &moment, learningRate, AdamConstants(...))`. */
    adamStep: `${PointerParameters}\n${adamStep}`,
} as const;

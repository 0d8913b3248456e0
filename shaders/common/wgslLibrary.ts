import atomicAccumulate from "./atomicAccumulate.wgsl";
import linearIndex from "./linearIndex.wgsl";

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

/** Shared WGSL snippets, by name. */
export const WgslSnippets = {
    /** `linearIndex(workgroup, numWorkgroups, localIndex, workgroupSize)`. */
    linearIndex,
    /** `atomicAccumulate(&word, value)` with DETERMINISTIC / FIXED_POINT_SCALE overrides. */
    atomicAccumulate: `requires unrestricted_pointer_parameters;\n${atomicAccumulate}`,
} as const;

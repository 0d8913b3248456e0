/** How a kernel sees one of its buffers. */
export type KernelBindingKind = "storage" | "read-only-storage" | "uniform";

/** One binding of a kernel's group 0, written out explicitly (no WGSL reflection). */
export interface KernelBinding<Name extends string = string> {
    /** The name the TypeScript side passes the buffer under. */
    readonly name: Name;
    /** `@binding(n)` in the WGSL. */
    readonly binding: number;
    /** Buffer type in the bind group layout. */
    readonly kind: KernelBindingKind;
}

/**
 * The typed wrapper of one `.wgsl` kernel: its source, entry point, workgroup size and binding map.
 * Every kernel is 1-D over a linear index; {@link ComputeKernel} folds large counts into 2-D grids.
 */
export interface KernelDescriptor<Name extends string = string> {
    /** Shown in WebGPU errors and in failure messages. */
    readonly label: string;
    /** The WGSL source. */
    readonly source: string;
    /** The `@compute` entry point. */
    readonly entryPoint: string;
    /** `@workgroup_size(n)` of the entry point. */
    readonly workgroupSize: number;
    /** All bindings of group 0. */
    readonly bindings: readonly KernelBinding<Name>[];
}

/** Helper that keeps the binding names as a literal type. */
export function DefineKernel<Name extends string>(descriptor: KernelDescriptor<Name>): KernelDescriptor<Name> {
    return descriptor;
}

/** What a kernel's wrapper states; {@link DefineComputeKernel} fills in the rest. */
export interface ComputeKernelSpec<Name extends string> {
    /** Shown in WebGPU errors and in failure messages. */
    readonly label: string;
    /** The composed WGSL source; its entry point is `main`. */
    readonly source: string;
    /** `@workgroup_size(n)` of `main` (the WGSL's WORKGROUP_SIZE). */
    readonly workgroupSize: number;
    /** Buffer kind by binding name, in `@binding` order 0, 1, 2, ... (names are identifiers, so object order is insertion order). */
    readonly bindings: Readonly<Record<Name, KernelBindingKind>>;
}

/**
 * The descriptor of a kernel whose entry point is `main` and whose group 0 bindings are numbered
 * in the order the WGSL declares them.
 * @param spec label, source, workgroup size and binding kinds in order
 * @returns the descriptor, binding names kept as a literal type
 */
export function DefineComputeKernel<Name extends string>(spec: ComputeKernelSpec<Name>): KernelDescriptor<Name> {
    const bindings = (Object.entries(spec.bindings) as [Name, KernelBindingKind][]).map(([name, kind], binding) => ({ name, binding, kind }));
    return { label: spec.label, source: spec.source, entryPoint: "main", workgroupSize: spec.workgroupSize, bindings };
}

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

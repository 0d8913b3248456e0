/** Thrown when a WGSL kernel does not compile or its pipeline is invalid. */
export class KernelCompileError extends Error {
    /**
     * @param label the kernel's label
     * @param details the compiler's or validator's messages
     */
    public constructor(label: string, details: string) {
        super(`WGSL kernel "${label}" failed to compile: ${details}`);
        this.name = "KernelCompileError";
    }
}

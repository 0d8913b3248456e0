/** Thrown when WebGPU (navigator.gpu, an adapter or a device) is not available. */
export class WebGpuUnavailableError extends Error {
    /**
     * @param reason what was missing, in words a user can act on
     */
    public constructor(reason: string) {
        super(`WebGPU is not available: ${reason}`);
        this.name = "WebGpuUnavailableError";
    }
}

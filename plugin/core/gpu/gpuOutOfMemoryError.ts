/** Thrown when the GPU cannot allocate what was asked for; names what and how much. */
export class GpuOutOfMemoryError extends Error {
    /** Bytes that were asked for. */
    public readonly requestedBytes: number;

    /**
     * @param what what the memory was for ("radiance field grid 128x128x128")
     * @param requestedBytes bytes asked for
     * @param detail the browser's message
     */
    public constructor(what: string, requestedBytes: number, detail: string) {
        super(`the GPU could not allocate ${(requestedBytes / 2 ** 20).toFixed(1)} MiB for ${what} (${detail}); lower the resolution or the batch size`);
        this.name = "GpuOutOfMemoryError";
        this.requestedBytes = requestedBytes;
    }
}

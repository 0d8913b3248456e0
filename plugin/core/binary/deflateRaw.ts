/**
 * Raw DEFLATE (RFC 1951, no zlib or gzip wrapper) through the platform's CompressionStream and
 * DecompressionStream, which browsers and workers both have.
 */

/**
 * Compresses bytes with raw DEFLATE.
 * @param bytes the data
 * @returns the compressed data
 */
export async function DeflateRawAsync(bytes: Uint8Array): Promise<Uint8Array> {
    const compressed = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream("deflate-raw"));
    return new Uint8Array(await new Response(compressed).arrayBuffer());
}

/** What inflating a raw DEFLATE stream into a buffer of known size gave. */
export type InflateRawResult =
    /** The stream inflated to exactly the expected size. */
    | { readonly kind: "ok"; readonly bytes: Uint8Array }
    /** The stream ended early (`length` bytes) or would inflate past the expected size (`length` undefined). */
    | { readonly kind: "size-mismatch"; readonly length?: number }
    /** The data is not valid raw DEFLATE. */
    | { readonly kind: "invalid"; readonly reason: string };

/**
 * Inflates raw DEFLATE data that should give exactly `expectedLength` bytes. Stops reading as soon
 * as the output would pass that size, so a corrupt or hostile stream cannot exhaust memory.
 * @param bytes the compressed data
 * @param expectedLength the size the data must inflate to
 * @returns the inflated bytes, or why not
 */
export async function InflateRawExactAsync(bytes: Uint8Array, expectedLength: number): Promise<InflateRawResult> {
    const output = new Uint8Array(expectedLength);
    const reader = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
    let filled = 0;
    try {
        for (;;) {
            const { done, value } = await reader.read();
            if (done) {
                break;
            }
            if (filled + value.length > expectedLength) {
                await reader.cancel();
                return { kind: "size-mismatch" };
            }
            output.set(value, filled);
            filled += value.length;
        }
    } catch (error) {
        return { kind: "invalid", reason: error instanceof Error ? error.message : String(error) };
    }
    return filled === expectedLength ? { kind: "ok", bytes: output } : { kind: "size-mismatch", length: filled };
}

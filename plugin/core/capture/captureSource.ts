import { CaptureError } from "./captureError";
import { LocateJsonError } from "./jsonErrorLocation";

/**
 * Where a capture's files come from: a URL folder, user-picked files, an in-memory map.
 * Paths are normalized capture paths (see ResolveCapturePath).
 */
export interface CaptureSource {
    /** Display name (the folder's name). */
    readonly name: string;
    /**
     * Reads a file.
     * @param path capture path
     * @param signal cancels the read
     * @returns its bytes
     * @throws CaptureError naming the file when it is missing or unreadable
     */
    readBytesAsync(path: string, signal?: AbortSignal): Promise<ArrayBuffer>;
    /**
     * Tells whether a file exists (without reading it all where possible).
     * @param path capture path
     * @returns true when it exists
     */
    existsAsync(path: string): Promise<boolean>;
    /**
     * Lists the file names in a folder (not recursive), or null when the source cannot list.
     * @param folder capture path of a folder ("" for the root)
     * @returns names (no trailing "/" for files; folders end with "/")
     */
    listAsync(folder: string): Promise<string[] | null>;
}

/**
 * Reads a text file of a capture.
 * @param source the capture
 * @param path capture path
 * @param signal cancels the read
 * @returns the text (UTF-8)
 */
export async function ReadCaptureTextAsync(source: CaptureSource, path: string, signal?: AbortSignal): Promise<string> {
    return new TextDecoder().decode(await source.readBytesAsync(path, signal));
}

/**
 * Reads and parses a JSON file of a capture; syntax errors name the file, line and column.
 * @param source the capture
 * @param path capture path
 * @param signal cancels the read
 * @returns the parsed value
 */
export async function ReadCaptureJsonAsync(source: CaptureSource, path: string, signal?: AbortSignal): Promise<unknown> {
    const text = await ReadCaptureTextAsync(source, path, signal);
    try {
        return JSON.parse(text);
    } catch (error) {
        const message = (error as Error).message;
        const location = LocateJsonError(text);
        const where = location ? ` at line ${location.line}, column ${location.column}` : "";
        throw new CaptureError(path, `JSON syntax error${where}: ${message}`, { cause: error });
    }
}

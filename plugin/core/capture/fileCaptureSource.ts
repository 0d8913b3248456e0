import { CaptureError } from "./captureError";
import type { CaptureSource } from "./captureSource";

/**
 * A capture held as files in memory: user-picked or dropped files (with their relative paths),
 * or files a test made. A common top folder (e.g. "mic/" from a folder pick) is stripped.
 */
export class FileCaptureSource implements CaptureSource {
    /** Display name (the common top folder, or "capture"). */
    public readonly name: string;
    private readonly _files = new Map<string, Blob>();

    /**
     * @param files path -> file; paths use "/" and are relative to the capture folder (a shared top folder is stripped)
     * @param name display name (defaults to the shared top folder)
     */
    public constructor(files: Iterable<[string, Blob]>, name?: string) {
        const entries = [...files].map(([path, blob]) => [path.replace(/\\/g, "/").replace(/^\.?\//, ""), blob] as [string, Blob]);
        const tops = new Set(entries.map(([path]) => (path.includes("/") ? path.split("/")[0] : "")));
        const sharedTop = tops.size === 1 && !tops.has("") ? [...tops][0] : "";
        const strip = sharedTop ? `${sharedTop}/` : "";
        for (const [path, blob] of entries) {
            this._files.set(strip && path.startsWith(strip) ? path.slice(strip.length) : path, blob);
        }
        this.name = name ?? (strip ? sharedTop : "capture");
    }

    /**
     * Files from an `<input type="file" webkitdirectory>` pick or a drop: uses `webkitRelativePath` when set.
     * @param files the picked files
     * @returns the source
     */
    public static FromFileList(files: Iterable<File>): FileCaptureSource {
        return new FileCaptureSource([...files].map((file) => [file.webkitRelativePath || file.name, file] as [string, Blob]));
    }

    /** Number of files. */
    public get size(): number {
        return this._files.size;
    }

    /** @inheritdoc */
    public async readBytesAsync(path: string, signal?: AbortSignal): Promise<ArrayBuffer> {
        signal?.throwIfAborted();
        const file = this._files.get(path);
        if (!file) {
            throw new CaptureError(path, "file not found among the given files");
        }
        try {
            return await file.arrayBuffer();
        } catch (error) {
            throw new CaptureError(path, `could not be read (${(error as Error).message})`, { cause: error });
        }
    }

    /** @inheritdoc */
    public async existsAsync(path: string): Promise<boolean> {
        return this._files.has(path);
    }

    /** @inheritdoc */
    public async listAsync(folder: string): Promise<string[]> {
        const prefix = folder ? `${folder}/` : "";
        const names = new Set<string>();
        for (const path of this._files.keys()) {
            if (path.startsWith(prefix)) {
                const rest = path.slice(prefix.length);
                const slash = rest.indexOf("/");
                names.add(slash < 0 ? rest : `${rest.slice(0, slash)}/`);
            }
        }
        return [...names];
    }
}

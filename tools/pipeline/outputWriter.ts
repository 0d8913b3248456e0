/**
 * Writes the pipeline's output files by PUT requests to the runner's upload prefix (the runner
 * writes them under --out). Keeps the list of what was written.
 */
export class OutputWriter {
    /** Relative paths written so far. */
    public readonly written: string[] = [];
    private readonly _base: string;

    /** @param outUrl the upload prefix */
    public constructor(outUrl: string) {
        this._base = outUrl.endsWith("/") ? outUrl : `${outUrl}/`;
    }

    /**
     * Writes one file.
     * @param path relative path under --out
     * @param body the contents
     */
    public async writeAsync(path: string, body: Blob | ArrayBuffer | Uint8Array | string): Promise<void> {
        const response = await fetch(this._base + path, { method: "PUT", body: body as BodyInit });
        if (!response.ok) {
            const reason = (await response.text().catch(() => "")).trim();
            throw new Error(`could not write ${path}: ${reason || "the runner refused it"} (HTTP ${response.status})`);
        }
        this.written.push(path);
    }

    /**
     * Writes a value as indented JSON.
     * @param path relative path under --out
     * @param value the value
     */
    public async writeJsonAsync(path: string, value: unknown): Promise<void> {
        await this.writeAsync(path, JSON.stringify(value, null, 2) + "\n");
    }
}

import { CaptureError } from "./captureError";
import type { CaptureSource } from "./captureSource";

/**
 * A capture served over HTTP(S): files are fetched relative to a base URL. Listing a folder
 * parses the server's HTML index (autoindex), which static servers such as ours, nginx and
 * `python -m http.server` produce.
 */
export class UrlCaptureSource implements CaptureSource {
    /** Display name (last part of the URL path). */
    public readonly name: string;
    private readonly _base: URL;

    /**
     * @param baseUrl the capture folder's URL (a trailing "/" is added if missing)
     * @param name display name (defaults to the URL's last path part)
     */
    public constructor(baseUrl: string | URL, name?: string) {
        const text = String(baseUrl);
        this._base = new URL(text.endsWith("/") ? text : `${text}/`, typeof self !== "undefined" ? self.location?.href : undefined);
        this.name = name ?? decodeURIComponent(this._base.pathname.split("/").filter(Boolean).pop() ?? this._base.host);
    }

    /** @inheritdoc */
    public async readBytesAsync(path: string, signal?: AbortSignal): Promise<ArrayBuffer> {
        let response: Response;
        try {
            response = await fetch(this._url(path), { signal });
        } catch (error) {
            if ((error as Error).name === "AbortError") {
                throw error;
            }
            throw new CaptureError(path, `could not be fetched (${(error as Error).message})`, { cause: error });
        }
        if (!response.ok) {
            throw new CaptureError(path, response.status === 404 ? "file not found" : `could not be read (HTTP ${response.status})`);
        }
        return response.arrayBuffer();
    }

    /** @inheritdoc */
    public async existsAsync(path: string): Promise<boolean> {
        try {
            const response = await fetch(this._url(path), { method: "HEAD" });
            return response.ok;
        } catch {
            return false;
        }
    }

    /** @inheritdoc */
    public async listAsync(folder: string): Promise<string[] | null> {
        let response: Response;
        try {
            response = await fetch(this._url(folder ? `${folder}/` : ""));
        } catch {
            return null;
        }
        if (!response.ok || !(response.headers.get("content-type") ?? "").includes("text/html")) {
            return null;
        }
        const html = await response.text();
        const names = new Set<string>();
        for (const match of html.matchAll(/href="([^"?#]+)"/g)) {
            const href = decodeURIComponent(match[1]);
            if (href.startsWith("/") || href.startsWith("..") || href.includes("://") || href === "./") {
                continue;
            }
            names.add(href.replace(/^\.\//, ""));
        }
        return [...names];
    }

    private _url(path: string): string {
        return new URL(path.split("/").map(encodeURIComponent).join("/"), this._base).href;
    }
}

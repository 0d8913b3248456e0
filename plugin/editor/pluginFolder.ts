declare const __dirname: string | undefined;

/**
 * The URL of the folder the Editor build was loaded from (dist/editor/), with a trailing slash:
 * a `file://` URL of `__dirname` in the Editor, or the URL a test harness gives as `__dirname`.
 * @returns the URL
 */
export function PluginFolderUrl(): string {
    const folder = typeof __dirname === "string" ? __dirname : ".";
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(folder)) {
        return folder.endsWith("/") ? folder : `${folder}/`;
    }
    const slashed = folder.replace(/\\/g, "/");
    return `file://${slashed.startsWith("/") ? "" : "/"}${encodeURI(slashed)}/`;
}

// Workers, onnxruntime-web's wasm and the built-in model are files beside this bundle: webpack's
// public path must point there before anything loads them (the Editor's page is elsewhere).
__webpack_public_path__ = PluginFolderUrl();

import type * as OrtModule from "onnxruntime-web";

/** The execution provider a session ended up on. */
export type OnnxExecutionProvider = "webgpu" | "wasm";

/**
 * Base URL of onnxruntime-web's .wasm/.mjs files in this build: `ort/` beside the bundle
 * (copied there by webpack), so nothing is fetched from any other host.
 * @returns an absolute URL ending in "/"
 */
export function DefaultOnnxWasmBaseUrl(): string {
    const base = typeof __webpack_public_path__ === "string" && __webpack_public_path__ ? __webpack_public_path__ : "/";
    return new URL("ort/", new URL(base, self.location.href)).href;
}

/**
 * Points onnxruntime-web at locally served runtime files. Threads stay at 1 unless the page is
 * cross-origin isolated (SharedArrayBuffer).
 * @param ort the onnxruntime-web module
 * @param wasmBaseUrl where its .wasm/.mjs files are served (defaults to {@link DefaultOnnxWasmBaseUrl})
 */
export function ConfigureOnnxRuntime(ort: typeof OrtModule, wasmBaseUrl: string = DefaultOnnxWasmBaseUrl()): void {
    ort.env.wasm.wasmPaths = wasmBaseUrl.endsWith("/") ? wasmBaseUrl : `${wasmBaseUrl}/`;
    ort.env.wasm.numThreads = self.crossOriginIsolated ? Math.min(4, Math.max(1, (navigator.hardwareConcurrency || 2) - 1)) : 1;
    ort.env.wasm.proxy = false;
    ort.env.logLevel = "error";
}

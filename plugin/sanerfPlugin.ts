import type { Scene } from "@babylonjs/core/scene";
import { Observable } from "@babylonjs/core/Misc/observable";
import { GpuContext } from "./core/gpu/gpuContext";
import { SanerfWorkspace } from "./workspace/sanerfWorkspace";
import type { PipelineOverrides } from "./core/pipeline/pipelineConfig";
import { RegisterNerfObjectNodeParser } from "./scene/nerfObjectNodeParser";

/** What this browser and engine can do for the plugin. */
export interface SanerfCapabilities {
    /** "WebGPU", "WebGL2"... the scene engine's kind. */
    readonly engine: string;
    /** True when the scene engine runs compute shaders (WebGPUEngine). */
    readonly engineComputeShaders: boolean;
    /** True when a WebGPU adapter answered (training and fusion on the GPU are possible). */
    readonly webGpuAdapter: boolean;
    /** Adapter description ("swiftshader", a GPU name...), when there is one. */
    readonly adapterName: string;
}

/** Options of {@link SanerfPlugin}. */
export interface SanerfPluginOptions {
    /** Where onnxruntime-web's .wasm files are served (default: `ort/` beside the bundle). */
    readonly onnxWasmBaseUrl?: string;
    /** Captures offered as one-click samples in the pane (name and folder URL). */
    readonly sampleCaptures?: readonly { readonly name: string; readonly url: string }[];
    /**
     * Pipeline settings that differ from the defaults (the same configuration the CLI and the
     * benchmarks resolve), e.g. `{ train: { budget: { iterations: 2000 } }, fuse: { preferGpu: false } }`.
     * The pane's controls start from the resolved values.
     */
    readonly config?: PipelineOverrides;
}

/**
 * The SANeRF-HQ plugin for one Babylon scene: the entry point a host app (or the Babylon.js
 * Editor) registers. It owns the plugin's state and the services it adds to the Inspector.
 */
export class SanerfPlugin {
    /** The scene the plugin works in. */
    public readonly scene: Scene;
    /** Options given at registration. */
    public readonly options: SanerfPluginOptions;
    /** Fires when capabilities or other plugin state visible in the UI change. */
    public readonly onStateChangedObservable = new Observable<SanerfPlugin>();
    /** The capture, field and tasks the pane works on. */
    public readonly workspace: SanerfWorkspace;
    private _capabilities: SanerfCapabilities;
    private _disposed = false;

    /**
     * @param scene the scene to work in
     * @param options plugin options
     */
    public constructor(scene: Scene, options: SanerfPluginOptions = {}) {
        this.scene = scene;
        this.options = options;
        const engine = scene.getEngine();
        this._capabilities = {
            engine: engine.isWebGPU ? "WebGPU" : `WebGL${engine.version}`,
            engineComputeShaders: engine.getCaps().supportComputeShaders === true,
            webGpuAdapter: false,
            adapterName: "",
        };
        this.workspace = new SanerfWorkspace(scene, options.config, { wasmBaseUrl: options.onnxWasmBaseUrl });
        RegisterNerfObjectNodeParser();
        scene.onDisposeObservable.addOnce(() => this.dispose());
    }

    /** Current capabilities (the WebGPU adapter fields fill in after {@link detectCapabilitiesAsync}). */
    public get capabilities(): SanerfCapabilities {
        return this._capabilities;
    }

    /** True once disposed. */
    public get isDisposed(): boolean {
        return this._disposed;
    }

    /**
     * Asks WebGPU for an adapter, without creating a device, and records what it found.
     * @returns the updated capabilities
     */
    public async detectCapabilitiesAsync(): Promise<SanerfCapabilities> {
        let adapterName = "";
        let webGpuAdapter = false;
        if (GpuContext.IsSupported()) {
            const adapter = await navigator.gpu.requestAdapter();
            webGpuAdapter = adapter !== null;
            adapterName = adapter ? [adapter.info.vendor, adapter.info.architecture, adapter.info.description].filter(Boolean).join(" ") : "";
        }
        this._capabilities = { ...this._capabilities, webGpuAdapter, adapterName };
        this.onStateChangedObservable.notifyObservers(this);
        return this._capabilities;
    }

    /** Releases everything the plugin holds; the scene itself is left alone. */
    public dispose(): void {
        if (this._disposed) {
            return;
        }
        this._disposed = true;
        this.workspace.dispose();
        this.onStateChangedObservable.notifyObservers(this);
        this.onStateChangedObservable.clear();
    }
}

import type * as Ort from "onnxruntime-web";

/** Where a SAM-family model runs. */
export type SamBackend = "webgpu" | "wasm";

/** Which execution provider the SAM worker should use: "auto" picks for the machine. */
export type SamBackendPreference = "auto" | SamBackend;

/** The tensor layout the WebGPU execution provider should prefer for a model. */
export type SamTensorLayout = "NCHW" | "NHWC";

/** What {@link ChooseSamBackend} decided and why (shown to the user). */
export interface SamBackendChoice {
    readonly backend: SamBackend;
    readonly reason: string;
}

/** What the machine offers, as seen from the worker. */
export interface SamBackendProbe {
    /** A WebGPU adapter was found. */
    readonly hasWebGpuAdapter: boolean;
    /** The adapter is a software / fallback one (SwiftShader, WARP...). */
    readonly softwareAdapter: boolean;
    /** Adapter description for messages ("google swiftshader"). */
    readonly adapterName: string;
}

/**
 * Chooses the execution provider. "auto" takes WebGPU on a hardware adapter and wasm otherwise:
 * on a software adapter (SwiftShader) the GPU kernels run emulated on the CPU and are slower than
 * onnxruntime-web's SIMD wasm kernels.
 * @param preference the caller's preference
 * @param probe what the machine has
 * @returns the backend and a sentence saying why
 */
export function ChooseSamBackend(preference: SamBackendPreference, probe: SamBackendProbe): SamBackendChoice {
    if (preference === "wasm") {
        return { backend: "wasm", reason: "wasm was asked for" };
    }
    if (!probe.hasWebGpuAdapter) {
        return { backend: "wasm", reason: preference === "webgpu" ? "WebGPU was asked for, but this browser has no WebGPU adapter" : "no WebGPU adapter" };
    }
    if (preference === "webgpu") {
        return { backend: "webgpu", reason: `WebGPU was asked for (${probe.adapterName})` };
    }
    if (probe.softwareAdapter) {
        return { backend: "wasm", reason: `the WebGPU adapter (${probe.adapterName}) is a software one: wasm is faster` };
    }
    return { backend: "webgpu", reason: `WebGPU adapter ${probe.adapterName}` };
}

/**
 * Looks at the worker's WebGPU adapter.
 * @param gpu navigator.gpu, or undefined
 * @returns the probe
 */
export async function ProbeSamBackendAsync(gpu: GPU | undefined): Promise<SamBackendProbe> {
    const adapter = gpu ? await gpu.requestAdapter().catch(() => null) : null;
    if (!adapter) {
        return { hasWebGpuAdapter: false, softwareAdapter: false, adapterName: "none" };
    }
    const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
    const name = [info.vendor, info.architecture, info.device].filter((part) => part).join(" ") || "unknown adapter";
    const software = info.isFallbackAdapter === true || /swiftshader|llvmpipe|warp|software/i.test(`${name} ${info.description}`);
    return { hasWebGpuAdapter: true, softwareAdapter: software, adapterName: name };
}

/**
 * Session options for one of a model's sessions.
 * @param backend where it runs (webgpu falls back to wasm for operators it lacks)
 * @param layout preferred layout on WebGPU: NCHW for the built-in model (its pooling would
 *   otherwise be wrapped in full-image transposes), the provider's default (NHWC) for SAM's convolutions
 * @returns the options
 */
export function SamSessionOptions(backend: SamBackend, layout?: SamTensorLayout): Ort.InferenceSession.SessionOptions {
    const webgpu: Ort.InferenceSession.WebGpuExecutionProviderOption = layout ? { name: "webgpu", preferredLayout: layout } : { name: "webgpu" };
    return { executionProviders: backend === "webgpu" ? [webgpu, "wasm"] : ["wasm"], graphOptimizationLevel: "all" };
}

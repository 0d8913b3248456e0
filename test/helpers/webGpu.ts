import { GpuContext } from "@plugin/core/gpu/gpuContext";

let shared: Promise<GpuContext> | null = null;

/**
 * The WebGPU context GPU specs run on. When WebGPU is missing the spec fails, unless the build
 * was made with SANERF_ALLOW_NO_WEBGPU=1 (a developer's own machine; never CI), where it is
 * marked pending with the reason.
 * @returns the shared context
 */
export async function RequireGpuAsync(): Promise<GpuContext> {
    if (!GpuContext.IsSupported()) {
        const reason = "WebGPU is missing in this browser (navigator.gpu undefined); run Chromium with the flags in karma.conf.js";
        if (__SANERF_ALLOW_NO_WEBGPU__) {
            pending(`${reason} (skipped: SANERF_ALLOW_NO_WEBGPU=1)`);
        }
        throw new Error(reason);
    }
    shared ??= GpuContext.CreateAsync({ label: "karma" });
    const context = await shared;
    if (context.lostInfo) {
        shared = GpuContext.CreateAsync({ label: "karma" });
        return shared;
    }
    return context;
}

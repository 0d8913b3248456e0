import type { Scene } from "@babylonjs/core/scene";
import type { WebGPUEngine } from "@babylonjs/core/Engines/webgpuEngine";
import { GpuContext } from "../core/gpu/gpuContext";
import { WebGpuUnavailableError } from "../core/gpu/webGpuUnavailableError";

/**
 * The WebGPU device to train on for a scene: the engine's own device on a WebGPUEngine (no
 * second device, buffers shareable with the renderer), otherwise a device of our own (WebGL2
 * scenes, e.g. the Babylon.js Editor's viewport).
 * @param scene the scene the field belongs to
 * @returns the context (owning its device only when it made one)
 * @throws WebGpuUnavailableError when the browser has no WebGPU: training is refused, rendering a
 *   saved field still works on WebGL2
 */
export async function CreateTrainingContextAsync(scene: Scene): Promise<GpuContext> {
    const engine = scene.getEngine();
    if (engine.isWebGPU) {
        const device = (engine as unknown as WebGPUEngine & { _device: GPUDevice })._device;
        if (device) {
            return GpuContext.FromDevice(device);
        }
    }
    try {
        return await GpuContext.CreateAsync({ label: "sanerf-training" });
    } catch (error) {
        if (error instanceof WebGpuUnavailableError) {
            throw new WebGpuUnavailableError(`${error.message.replace(/^WebGPU is not available: /, "")}. Training a radiance field needs WebGPU; loading and rendering a saved field still works on WebGL2`);
        }
        throw error;
    }
}

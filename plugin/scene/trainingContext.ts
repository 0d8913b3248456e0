import { GpuContext } from "../core/gpu/gpuContext";
import { WebGpuUnavailableError } from "../core/gpu/webGpuUnavailableError";

/**
 * A WebGPU device to train (and render off screen) on: always one of its own, also beside a
 * WebGPUEngine, so a lost or destroyed training device never takes the viewport's engine with it,
 * and the Babylon.js Editor's WebGL2 viewport trains the same way. No buffer is shared with the
 * renderer (the live preview copies the field through the CPU), so nothing is lost by this.
 * @returns the context (owning its device)
 * @throws WebGpuUnavailableError when the browser has no WebGPU: training is refused, rendering a
 *   saved field still works on WebGL2
 */
export async function CreateTrainingContextAsync(): Promise<GpuContext> {
    try {
        return await GpuContext.CreateAsync({ label: "sanerf-training" });
    } catch (error) {
        if (error instanceof WebGpuUnavailableError) {
            throw new WebGpuUnavailableError(`${error.message.replace(/^WebGPU is not available: /, "")}. Training a radiance field needs WebGPU; loading and rendering a saved field still works on WebGL2`);
        }
        throw error;
    }
}

import type { Capture } from "../../plugin/core/capture/captureTypes";
import { SplitHoldout } from "../../plugin/core/capture/holdout";
import type { RadianceFieldData } from "../../plugin/core/nerf/radianceFieldData";
import { PackFrames } from "../../plugin/core/nerf/trainingFrames";
import { RayGenerationCpu } from "../../shaders/nerf/rayGenerationCpu";
import { SampleRaysCpu } from "../../shaders/nerf/sampleRaysCpu";
import { VolumeRenderBackwardCpu, VolumeRenderForwardCpu } from "../../shaders/nerf/volumeRenderCpu";
import { AdamCpu } from "../../shaders/nerf/optimizerCpu";

/**
 * Training rays per second of the CPU twins (plain single-threaded TypeScript, the same
 * algorithm and buffer layout as the WGSL kernels) on a trained field: ray generation, sampling,
 * forward, backward and Adam for `iterations` batches of `rays`.
 * @param field the trained field (occupancy included, so sampling skips space as on the GPU)
 * @param capture the capture (training frames)
 * @param rays rays per batch
 * @param iterations batches
 * @returns rays per second
 */
export function MeasureCpuTwinRaysPerSecond(field: RadianceFieldData, capture: Capture, rays = 512, iterations = 3): number {
    const { train } = SplitHoldout(capture.frames.length);
    const frames = PackFrames(train.map((i) => capture.frames[i]));
    const density = Float32Array.from(field.density);
    const sh = Float32Array.from(field.sh);
    const moments = new Float32Array(density.length * 26);
    const maxSamples = 512;
    const started = performance.now();
    for (let it = 0; it < iterations; it++) {
        const rayBuffer = RayGenerationCpu(field.params, { rayCount: rays, frameCount: frames.frameCount, totalPixels: frames.totalPixels, seed: 100 + it, mode: 0, frame: 0, firstRay: 0, background: field.background === "white" ? 0 : 2 }, frames);
        const samples = SampleRaysCpu(field.params, { rayCount: rays, maxSamples, seed: 200 + it, jitter: true }, rayBuffer, field.occupancy);
        const params = { rayCount: rays, maxSamples, training: true, earlyStop: 1e-3 };
        const forward = VolumeRenderForwardCpu(field.params, params, rayBuffer, samples.sampleT, samples.sampleCount, density, sh);
        const { grad, touched } = VolumeRenderBackwardCpu(field.params, params, rayBuffer, samples.sampleT, density, sh, forward.results);
        AdamCpu({ lrDensity: 0.1, lrColor: 0.1, beta1: 0.9, beta2: 0.99, epsilon: 1e-8, biasCorrection1: 10, biasCorrection2: 100, fixedPointScale: 1 }, touched, grad, density, sh, moments);
    }
    return (rays * iterations) / ((performance.now() - started) / 1000);
}

import { VoxelCount } from "@shaders/nerf/fieldMath";
import { RayGenerationCpu } from "@shaders/nerf/rayGenerationCpu";
import { SampleRaysCpu } from "@shaders/nerf/sampleRaysCpu";
import { DistortionLossCpu, VolumeRenderBackwardCpu, VolumeRenderForwardCpu } from "@shaders/nerf/volumeRenderCpu";
import type { RenderParams } from "@shaders/nerf/volumeRenderForwardKernel";
import { MakeNerfFixture } from "@test/helpers/nerfFixture";

for (const contracted of [false, true]) {
describe(`volume-rendering gradients vs finite differences (CPU twins, float64${contracted ? ", contracted whole-scene field" : ""})`, () => {
    const fixture = MakeNerfFixture(21, { densityRange: 2, emptyCells: 0, contracted });
    const rayCount = 48;
    const maxSamples = 64;
    const rays = RayGenerationCpu(fixture.field, { rayCount, frameCount: 2, totalPixels: fixture.frames.totalPixels, seed: 5, mode: 0, frame: 0, firstRay: 0, background: 2 }, fixture.frames);
    const samples = SampleRaysCpu(fixture.field, { rayCount, maxSamples, seed: 3, jitter: true }, rays, fixture.occupancy);
    // no early stop, so a perturbation cannot change which samples count
    const params: RenderParams = { rayCount, maxSamples, training: true, earlyStop: 0 };

    function TotalLoss(density: Float32Array, sh: Float32Array, renderParams: RenderParams = params): number {
        const { rayLoss, results } = VolumeRenderForwardCpu(fixture.field, renderParams, rays, samples.sampleT, samples.sampleCount, density, sh);
        return rayLoss.reduce((a, b) => a + b, 0) + DistortionLossCpu(fixture.field, renderParams, rays, samples.sampleT, results, density);
    }

    /** Central differences of TotalLoss at the points with the largest density gradients; returns how many were compared. */
    function CheckAgainstDifferences(renderParams: RenderParams, words: readonly number[]): number {
        const forward = VolumeRenderForwardCpu(fixture.field, renderParams, rays, samples.sampleT, samples.sampleCount, fixture.density, fixture.sh);
        const { grad, touched } = VolumeRenderBackwardCpu(fixture.field, renderParams, rays, samples.sampleT, fixture.density, fixture.sh, forward.results);
        expect(touched.size).toBeGreaterThan(VoxelCount(fixture.field) / 4);
        // the points with the largest density gradients, and a spread of SH coefficients
        const points = [...touched].sort((a, b) => Math.abs(grad[13 * b]) - Math.abs(grad[13 * a])).slice(0, 6);
        const h = 1e-3;
        let checked = 0;
        for (const point of points) {
            for (const word of words) {
                const analytic = grad[13 * point + word];
                const density = Float32Array.from(fixture.density);
                const sh = Float32Array.from(fixture.sh);
                const target = word === 0 ? density : sh;
                const slot = word === 0 ? point : 12 * point + word - 1;
                const original = target[slot];
                target[slot] = original + h;
                const plus = TotalLoss(density, sh, renderParams);
                target[slot] = original - h;
                const minus = TotalLoss(density, sh, renderParams);
                const numeric = (plus - minus) / (2 * h);
                if (Math.abs(numeric) < 1e-4 && Math.abs(analytic) < 1e-4) {
                    continue;
                }
                expect(Math.abs(analytic - numeric)).withContext(`point ${point} word ${word}: analytic ${analytic}, numeric ${numeric}`).toBeLessThan(2e-2 * Math.max(Math.abs(numeric), 1e-2));
                checked++;
            }
        }
        return checked;
    }

    it("matches central differences for density and SH coefficients (relative 2e-2)", () => {
        expect(CheckAgainstDifferences(params, [0, 1, 4, 6, 11])).toBeGreaterThan(15);
    });

    it("matches central differences with the distortion regulariser on (prefix-sum gradient vs the direct double sum)", () => {
        const withDistortion: RenderParams = { ...params, distortion: 0.05 };
        const forward = VolumeRenderForwardCpu(fixture.field, withDistortion, rays, samples.sampleT, samples.sampleCount, fixture.density, fixture.sh);
        const regulariser = DistortionLossCpu(fixture.field, withDistortion, rays, samples.sampleT, forward.results, fixture.density);
        const colour = forward.rayLoss.reduce((a, b) => a + b, 0);
        expect(regulariser).withContext(`regulariser ${regulariser}, colour loss ${colour}`).toBeGreaterThan(colour * 0.2);
        expect(CheckAgainstDifferences(withDistortion, [0])).toBeGreaterThan(4);
    });
});
}

import type { CameraIntrinsics } from "@plugin/core/capture/captureTypes";
import type { FieldParams } from "@shaders/nerf/fieldMath";
import { OccupancyCellCount, VoxelCount } from "@shaders/nerf/fieldMath";
import { PackFrames, type PackedFrames } from "@plugin/core/nerf/trainingFrames";
import { LookAtRows } from "./imageFixtures";
import { SeededRandom } from "./random";

/** A small random field and two small frames looking at it: the inputs of every parity test. */
export interface NerfFixture {
    readonly field: FieldParams;
    readonly density: Float32Array;
    readonly sh: Float32Array;
    readonly occupancy: Uint32Array;
    readonly frames: PackedFrames;
}

/**
 * Builds the fixture.
 * @param seed PRNG seed
 * @param options density range and occupancy fill
 * @param options.densityRange raw densities are drawn in [-range, range]
 * @param options.emptyCells fraction of occupancy cells left empty
 * @param options.contracted a whole-scene field: a smaller inner box, its grid spanning the
 *   contracted space, rays from near 0.3 on past the box (samples in the shell too)
 * @returns the fixture
 */
export function MakeNerfFixture(seed: number, options: { densityRange?: number; emptyCells?: number; contracted?: boolean } = {}): NerfFixture {
    const random = SeededRandom(seed);
    const field: FieldParams = options.contracted
        ? { boundsMin: [-0.5, -0.4, -0.6], boundsMax: [0.6, 0.5, 0.4], stepSize: 0.2, densityShift: 0.5, gridSize: [7, 6, 8], occupancySize: [4, 3, 4], contracted: true, near: 0.3 }
        : {
              boundsMin: [-0.8, -0.7, -0.9],
              boundsMax: [0.9, 0.8, 0.7],
              stepSize: 0.09,
              densityShift: 0.5,
              gridSize: [6, 5, 7],
              occupancySize: [3, 3, 4],
          };
    const points = VoxelCount(field);
    const range = options.densityRange ?? 3;
    const density = Float32Array.from({ length: points }, () => (random() * 2 - 1) * range);
    const sh = Float32Array.from({ length: points * 12 }, () => random() * 2 - 1);
    const cells = OccupancyCellCount(field);
    const occupancy = new Uint32Array(Math.ceil(cells / 32));
    for (let cell = 0; cell < cells; cell++) {
        if (random() >= (options.emptyCells ?? 0.25)) {
            occupancy[cell >> 5] |= 1 << (cell & 31);
        }
    }
    const intrinsics: CameraIntrinsics = { fx: 9, fy: 9.5, cx: 4.2, cy: 2.9, width: 8, height: 6 };
    const frames = PackFrames(
        [
            [2.4, 0.9, 1.8],
            [-1.5, 1.6, -2.2],
        ].map((eye) => {
            const data = new Uint8ClampedArray(intrinsics.width * intrinsics.height * 4);
            for (let i = 0; i < data.length; i++) {
                data[i] = i % 4 === 3 ? (random() < 0.3 ? 0 : 255) : Math.floor(random() * 256);
            }
            return { cameraToWorld: Float64Array.from(LookAtRows(eye as [number, number, number], [0.05, 0, -0.1]).flat()), intrinsics, image: { width: intrinsics.width, height: intrinsics.height, data } };
        })
    );
    return { field, density, sh, occupancy, frames };
}

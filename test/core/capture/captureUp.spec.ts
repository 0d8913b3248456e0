import { CaptureUpDirection } from "@plugin/core/capture/captureUp";
import { LookAtRows } from "@test/helpers/imageFixtures";

/** Six cameras on a ring around the origin, upright with respect to `worldUp`. */
function Ring(worldUp: [number, number, number], eyeAt: (angle: number) => [number, number, number]): { cameraToWorld: Float64Array }[] {
    return [0, 1, 2, 3, 4, 5].map((i) => ({ cameraToWorld: Float64Array.from(LookAtRows(eyeAt((i * Math.PI) / 3), [0, 0, 0], worldUp).flat()) }));
}

describe("capture: up direction from the cameras", () => {
    it("finds z up for a ring of upright cameras in a z-up world (Blender's synthetic scenes), y up in a y-up one", () => {
        const zUp = CaptureUpDirection(Ring([0, 0, 1], (a) => [3 * Math.cos(a), 3 * Math.sin(a), 1.5]));
        expect(zUp[2]).toBeGreaterThan(0.999);
        const yUp = CaptureUpDirection(Ring([0, 1, 0], (a) => [3 * Math.cos(a), 1.5, 3 * Math.sin(a)]));
        expect(yUp[1]).toBeGreaterThan(0.999);
        expect(CaptureUpDirection([])).withContext("no cameras: +y").toEqual([0, 1, 0]);
    });
});

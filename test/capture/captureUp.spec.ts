import { CaptureUpDirection } from "../../plugin/core/capture/captureUp";

/** Camera-to-world (row-major, OpenGL) of a camera at `eye` looking at the origin with `worldUp` as its up hint. */
function LookAt(eye: number[], worldUp: number[]): Float64Array {
    const norm = (v: number[]): number[] => v.map((x) => x / Math.hypot(...v));
    const cross = (a: number[], b: number[]): number[] => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
    const back = norm(eye);
    const right = norm(cross(worldUp, back));
    const up = cross(back, right);
    return Float64Array.from([right[0], up[0], back[0], eye[0], right[1], up[1], back[1], eye[1], right[2], up[2], back[2], eye[2], 0, 0, 0, 1]);
}

describe("capture: up direction from the cameras", () => {
    it("finds z up for a ring of upright cameras in a z-up world (Blender's synthetic scenes), y up in a y-up one", () => {
        const ring = (worldUp: number[], eyeAt: (a: number) => number[]): Float64Array[] => [0, 1, 2, 3, 4, 5].map((i) => LookAt(eyeAt((i * Math.PI) / 3), worldUp));
        const zUp = CaptureUpDirection(ring([0, 0, 1], (a) => [3 * Math.cos(a), 3 * Math.sin(a), 1.5]).map((cameraToWorld) => ({ cameraToWorld })));
        expect(zUp[2]).toBeGreaterThan(0.999);
        const yUp = CaptureUpDirection(ring([0, 1, 0], (a) => [3 * Math.cos(a), 1.5, 3 * Math.sin(a)]).map((cameraToWorld) => ({ cameraToWorld })));
        expect(yUp[1]).toBeGreaterThan(0.999);
        expect(CaptureUpDirection([])).withContext("no cameras: +y").toEqual([0, 1, 0]);
    });
});

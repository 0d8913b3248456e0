import { DepthToWorldPoints, PixelRay, ProjectPoint } from "@plugin/core/math/cameraProjection";
import { LookAtRows } from "@test/helpers/imageFixtures";

describe("camera projection", () => {
    const intrinsics = { fx: 40, fy: 44, cx: 15.5, cy: 12, width: 32, height: 24 };
    const cameraToWorld = Float64Array.from(LookAtRows([1.5, 0.8, -2], [0.1, -0.2, 0.3]).flat());

    it("lifts each pixel centre with its depth to the world point that projects back onto it", () => {
        const depth = Float32Array.from({ length: 32 * 24 }, (_, i) => (i % 7 === 0 ? 0 : 1 + (i % 13) * 0.25));
        depth[5] = Number.NaN;
        const points = DepthToWorldPoints(cameraToWorld, intrinsics, depth);
        for (let i = 0; i < depth.length; i++) {
            if (!(depth[i] > 0)) {
                expect(Number.isNaN(points[i * 3])).withContext(`pixel ${i} has no depth`).toBeTrue();
                continue;
            }
            const back = ProjectPoint(cameraToWorld, intrinsics, [points[i * 3], points[i * 3 + 1], points[i * 3 + 2]]);
            expect(back.u).toBeCloseTo((i % 32) + 0.5, 3);
            expect(back.v).toBeCloseTo(Math.floor(i / 32) + 0.5, 3);
            expect(back.depth).toBeCloseTo(depth[i], 4);
            // on the pixel's ray
            const ray = PixelRay(cameraToWorld, intrinsics, (i % 32) + 0.5, Math.floor(i / 32) + 0.5);
            const t = Math.hypot(points[i * 3] - ray.origin[0], points[i * 3 + 1] - ray.origin[1], points[i * 3 + 2] - ray.origin[2]);
            [0, 1, 2].forEach((a) => expect(points[i * 3 + a]).toBeCloseTo(ray.origin[a] + t * ray.direction[a], 3));
        }
    });
});

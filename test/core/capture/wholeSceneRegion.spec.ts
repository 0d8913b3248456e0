import { ImageDecoderPool } from "@plugin/services/imageDecoderPool";
import { LoadCaptureAsync } from "@plugin/core/capture/captureLoader";
import { FileCaptureSource } from "@plugin/core/capture/fileCaptureSource";
import { UrlCaptureSource } from "@plugin/core/capture/urlCaptureSource";
import type { CameraIntrinsics, SceneBounds } from "@plugin/core/capture/captureTypes";
import { CameraLayoutOf } from "@plugin/core/capture/wholeSceneRegion";
import { TrainingRegion } from "@plugin/core/pipeline/trainStage";
import { LookAtRows } from "@test/helpers/imageFixtures";

const intrinsics: CameraIntrinsics = { fx: 50, fy: 50, cx: 32, cy: 24, width: 64, height: 48 };

function Camera(eye: [number, number, number], target: [number, number, number]) {
    return { cameraToWorld: Float64Array.from(LookAtRows(eye, target).flat()), intrinsics };
}

function Volume(box: SceneBounds): number {
    return (box.max[0] - box.min[0]) * (box.max[1] - box.min[1]) * (box.max[2] - box.min[2]);
}

describe("the whole-scene region: camera layout, inner box, near, and the auto scene model", () => {
    it("tells cameras around the content from cameras that all look one way", () => {
        const ring = Array.from({ length: 12 }, (_, i) => Camera([3 * Math.cos((i / 12) * 2 * Math.PI), 0.8, 3 * Math.sin((i / 12) * 2 * Math.PI)], [0, 0, 0]));
        expect(CameraLayoutOf(ring)).toBe("object-centric");
        // a 150-degree arc is still around the object
        const arc = Array.from({ length: 7 }, (_, i) => Camera([3 * Math.cos((i / 6) * (5 / 6) * Math.PI), 0.5, 3 * Math.sin((i / 6) * (5 / 6) * Math.PI)], [0, 0, 0]));
        expect(CameraLayoutOf(arc)).toBe("object-centric");
        // a phone swept sideways and up, looking at a wall 4 units away
        const sweep = Array.from({ length: 9 }, (_, i) => Camera([(i % 3) * 0.3 - 0.3, Math.floor(i / 3) * 0.2, 0], [(i % 3) * 0.1, 0, -4]));
        expect(CameraLayoutOf(sweep)).toBe("forward-facing");
    });

    it("horns (forward-facing photos, no box in the manifest): the whole scene, an inner box in front of the cameras from near on", async () => {
        const pool = new ImageDecoderPool();
        try {
            const root = "/shared/nerf_llff_horns/";
            const listed = (await (await fetch(`${root}SHA256SUMS`)).text()).split("\n").map((line) => line.trim().split(/\s+/)[1]).filter((name) => name?.startsWith("images_8/"));
            const files: [string, Blob][] = [["poses_bounds.npy", await (await fetch(`${root}poses_bounds.npy`)).blob()]];
            for (const path of listed) {
                files.push([path, await (await fetch(`${root}${path}`)).blob()]);
            }
            const capture = await LoadCaptureAsync(new FileCaptureSource(files, "horns"), { maxSide: 63, decodeImage: pool.decodeAsync.bind(pool) });
            const region = capture.wholeScene;
            console.info(`horns: ${region.layout}, near ${region.near.toFixed(2)}, inner box ${region.bounds.min.map((v) => v.toFixed(1))} .. ${region.bounds.max.map((v) => v.toFixed(1))}, bounded box ${capture.bounds.min.map((v) => v.toFixed(1))} .. ${capture.bounds.max.map((v) => v.toFixed(1))}`);
            expect(region.layout).toBe("forward-facing");
            expect(region.unbounded).toBeTrue();
            expect(region.near).toBeGreaterThan(0);
            expect(Volume(region.bounds)).toBeLessThan(0.5 * Volume(capture.bounds));
            expect(capture.notes).toContain(jasmine.stringMatching(/field models the whole scene \(forward-facing cameras\)/));
            // every camera sits in front of the inner box, looking into it: the box starts beyond near
            const region3 = TrainingRegion(capture, "auto");
            expect(region3.contraction?.near).toBe(region.near);
            expect(TrainingRegion(capture, "bounded")).toEqual(capture.bounds);
        } finally {
            pool.dispose();
        }
    });

    it("the sample scenes (a box in the manifest) and mic (alpha isolates the object): bounded under auto", async () => {
        const tabletop = await LoadCaptureAsync(new UrlCaptureSource("/base/sample-scenes/captures/tabletop/", "tabletop"), { maxSide: 32 });
        expect(tabletop.wholeScene.layout).toBe("object-centric");
        expect(tabletop.wholeScene.unbounded).toBeFalse();
        expect(TrainingRegion(tabletop, "auto")).toEqual(tabletop.bounds);
        const forced = TrainingRegion(tabletop, "contracted");
        expect(forced.contraction).toBeDefined();
        expect([forced.min, forced.max]).toEqual([tabletop.bounds.min, tabletop.bounds.max]);
    });
});

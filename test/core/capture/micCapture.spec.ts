import { ImageDecoderPool } from "@plugin/services/imageDecoderPool";
import { LoadCaptureAsync } from "@plugin/core/capture/captureLoader";
import { SplitHoldout } from "@plugin/core/capture/holdout";
import type { CaptureFrame } from "@plugin/core/capture/captureTypes";
import { UrlCaptureSource } from "@plugin/core/capture/urlCaptureSource";
import { ProjectPoint } from "@plugin/core/math/cameraProjection";

/** Mask value (alpha) where a world point projects in a frame; 0 outside the image. */
function MaskAt(frame: CaptureFrame, point: number[]): number {
    const { u, v, depth } = ProjectPoint(frame.cameraToWorld, frame.intrinsics, point);
    if (depth <= 0 || u < 0 || v < 0 || u >= frame.image.width || v >= frame.image.height) {
        return 0;
    }
    return frame.mask![Math.floor(v) * frame.image.width + Math.floor(u)];
}

describe("../shared/data/nerf_synthetic_mic (a real Blender capture)", () => {
    it("loads 100 posed RGBA frames with 13 holdout views, and the visual hull's centre lands on the mic in every holdout view", async () => {
        const pool = new ImageDecoderPool();
        const capture = await LoadCaptureAsync(new UrlCaptureSource("/shared/nerf_synthetic_mic/"), { maxSide: 100, decodeImage: (request, signal) => pool.decodeAsync(request, signal) });
        pool.dispose();
        expect(capture.format).toBe("blender");
        expect(capture.frames.length).toBe(100);
        expect(SplitHoldout(capture.frames.length).holdout.length).toBe(13);
        expect(capture.background).toBe("white");
        expect(capture.sourceSize).toEqual({ width: 800, height: 800 });
        expect(capture.bounds).toEqual({ min: [-1.5, -1.5, -1.5], max: [1.5, 1.5, 1.5] });
        // cameras on a hemisphere around the mic, which the alpha isolates: a bounded field under "auto"
        expect(capture.wholeScene.layout).toBe("object-centric");
        expect(capture.wholeScene.unbounded).toBeFalse();
        const frame0 = capture.frames[0];
        expect([frame0.image.width, frame0.image.height]).toEqual([100, 100]);
        // camera_angle_x 0.6911 rad at 800 px -> fx = 400 / tan(0.3456) = 1111.1 px; at 100 px: 138.9
        expect(frame0.intrinsics.fx).toBeCloseTo(138.89, 1);
        // Visual hull from the training views' masks (space carving on a 40^3 grid), then its centroid
        // projected into the holdout views, which took no part in the carving: wrong poses or
        // intrinsics would miss the mic there.
        const { train, holdout } = SplitHoldout(capture.frames.length);
        const hull: number[][] = [];
        const cells = 40;
        for (let i = 0; i < cells; i++) {
            for (let j = 0; j < cells; j++) {
                for (let k = 0; k < cells; k++) {
                    const p = [i, j, k].map((c) => -1.5 + (3 * (c + 0.5)) / cells);
                    if (train.every((index) => MaskAt(capture.frames[index], p) > 127)) {
                        hull.push(p);
                    }
                }
            }
        }
        expect(hull.length).withContext("carved voxels").toBeGreaterThan(50);
        const centre = [0, 1, 2].map((a) => hull.reduce((sum, p) => sum + p[a], 0) / hull.length);
        const landed = holdout.filter((index) => MaskAt(capture.frames[index], centre) > 127);
        expect(landed.length).withContext(`holdout views where the hull centre ${centre.map((v) => v.toFixed(2))} lands on alpha > 127`).toBe(holdout.length);
    });
});

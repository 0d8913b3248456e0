import { LoadCaptureAsync } from "@plugin/core/capture/captureLoader";
import { FileCaptureSource } from "@plugin/core/capture/fileCaptureSource";
import type { CameraIntrinsics } from "@plugin/core/capture/captureTypes";
import { BrightCentre, DotImageAsync, DotPoint, ExpectedDotPixel, FixturePoseFlat } from "@test/helpers/captureFixtures";
import { ColmapBinary, ColmapText, PinholeCamera, type ColmapFixtureModel } from "@test/helpers/colmapFixtures";

const k: CameraIntrinsics = { fx: 70, fy: 72, cx: 30, cy: 26, width: 64, height: 48 };
const distortion = { k1: -0.12, k2: 0.03, k3: 0, p1: 0.002, p2: -0.001 };

/** Two cameras (PINHOLE, OPENCV), four images listed out of name order, points around the dot. */
function Model(): ColmapFixtureModel {
    const points = Array.from({ length: 12 }, (_, i) => ({ id: 100 + i, xyz: [DotPoint[0] + 0.05 * Math.cos(i), DotPoint[1] + 0.05 * Math.sin(i), DotPoint[2] + 0.01 * i] as [number, number, number] }));
    return {
        cameras: [PinholeCamera(1, k), { id: 2, model: "OPENCV", modelId: 4, width: k.width, height: k.height, parameters: [k.fx, k.fy, k.cx, k.cy, distortion.k1, distortion.k2, distortion.p1, distortion.p2] }],
        images: [
            { id: 7, pose: 2, cameraId: 1, name: "c.png", pointIds: points.map((p) => p.id) },
            { id: 3, pose: 0, cameraId: 2, name: "a.png", pointIds: points.map((p) => p.id) },
            { id: 9, pose: 3, cameraId: 1, name: "d.png", pointIds: [] },
            { id: 1, pose: 1, cameraId: 1, name: "b.png", pointIds: points.slice(0, 6).map((p) => p.id) },
        ],
        points,
    };
}

async function ImagesAsync(model: ColmapFixtureModel): Promise<[string, Blob][]> {
    return Promise.all(model.images.map(async (image) => [`images/${image.name}`, await DotImageAsync(image.pose, k, image.cameraId === 2 ? { distortion } : {})] as [string, Blob]));
}

async function SourceAsync(form: "txt" | "bin", folder = "sparse/0", edit?: (files: Map<string, Blob>) => void): Promise<FileCaptureSource> {
    const model = Model();
    const written = form === "txt" ? ColmapText(model) : ColmapBinary(model);
    const files = new Map<string, Blob>([
        [`${folder}/cameras.${form}`, new Blob([written.cameras])],
        [`${folder}/images.${form}`, new Blob([written.images])],
        [`${folder}/points3D.${form}`, new Blob([written.points])],
        ...(await ImagesAsync(model)),
    ]);
    edit?.(files);
    return new FileCaptureSource(files, "colmap");
}

describe("COLMAP captures", () => {
    for (const form of ["txt", "bin"] as const) {
        it(`reads a .${form} model: frames in name order, OpenGL poses, PINHOLE and OPENCV (undistorted), near/far from points3D`, async () => {
            const capture = await LoadCaptureAsync(await SourceAsync(form));
            expect(capture.format).toBe("colmap");
            expect(capture.frames.map((frame) => frame.imagePath)).toEqual(["images/a.png", "images/b.png", "images/c.png", "images/d.png"]);
            const poses = [0, 1, 2, 3];
            capture.frames.forEach((frame, i) => {
                const expected = FixturePoseFlat(poses[i]);
                Array.from(frame.cameraToWorld).forEach((value, j) => expect(value).withContext(`frame ${i} entry ${j}`).toBeCloseTo(expected[j], 9));
                expect(frame.intrinsics).toEqual(k);
                const dot = ExpectedDotPixel(poses[i], k);
                const found = BrightCentre(frame.image);
                expect(Math.hypot(found.u - dot.u, found.v - dot.v)).withContext(`frame ${i}: dot at ${found.u},${found.v}, expected ${dot.u},${dot.v}`).toBeLessThan(0.6);
            });
            expect(capture.notes.join(" ")).toContain("undistorted 1 frame");
            expect(capture.notes.join(" ")).toContain("trimmed to the sparse points");
            // the box still holds the points (the dot) and is no larger than the points' box grown by its margin
            for (let axis = 0; axis < 3; axis++) {
                expect(capture.bounds.min[axis]).toBeLessThanOrEqual(DotPoint[axis]);
                expect(capture.bounds.max[axis]).toBeGreaterThanOrEqual(DotPoint[axis]);
                expect(capture.bounds.max[axis] - capture.bounds.min[axis]).toBeLessThan(0.3);
            }
        });
    }

    it("finds the model in sparse/ as well, and the .txt and .bin forms give the same capture", async () => {
        const text = await LoadCaptureAsync(await SourceAsync("txt", "sparse"));
        const binary = await LoadCaptureAsync(await SourceAsync("bin"));
        expect(text.frames.map((frame) => Array.from(frame.cameraToWorld))).toEqual(binary.frames.map((frame) => Array.from(frame.cameraToWorld)));
        expect(text.bounds).toEqual(binary.bounds);
    });

    it("refuses bad models with a message naming the file", async () => {
        const truncated = await SourceAsync("bin", "sparse/0", (files) => files.set("sparse/0/images.bin", files.get("sparse/0/images.bin")!.slice(0, 150)));
        await expectAsync(LoadCaptureAsync(truncated)).toBeRejectedWithError(/^sparse\/0\/images\.bin: truncated/);
        const truncatedText = await SourceAsync("txt", "sparse/0", (files) => files.set("sparse/0/images.txt", new Blob(["1 1 0 0 0 0 0 0 1 a.png"])));
        await expectAsync(LoadCaptureAsync(truncatedText)).toBeRejectedWithError(/^sparse\/0\/images\.txt: truncated: image 1 \(line 1\) has no line of 2-D points/);
        const unknown = await SourceAsync("txt", "sparse/0", (files) => files.set("sparse/0/cameras.txt", new Blob(["1 FISHEYE_9000 64 48 70 32 24\n"])));
        await expectAsync(LoadCaptureAsync(unknown)).toBeRejectedWithError(/^sparse\/0\/cameras\.txt: line 1: unknown camera model "FISHEYE_9000"/);
        const unsupported = await SourceAsync("txt", "sparse/0", (files) => files.set("sparse/0/cameras.txt", new Blob(["1 FOV 64 48 70 70 32 24 0.1\n2 PINHOLE 64 48 70 72 30 26\n"])));
        await expectAsync(LoadCaptureAsync(unsupported)).toBeRejectedWithError(/^sparse\/0\/cameras\.txt: camera 1 uses the FOV model; supported: SIMPLE_PINHOLE, PINHOLE, SIMPLE_RADIAL, RADIAL, OPENCV/);
        const missing = await SourceAsync("txt", "sparse/0", (files) => files.delete("images/c.png"));
        await expectAsync(LoadCaptureAsync(missing)).toBeRejectedWithError(/^images\/c\.png: listed in sparse\/0\/images\.txt as image 7 \(c\.png\) but missing/);
        const none = await SourceAsync("txt", "sparse/0", (files) => files.set("sparse/0/images.txt", new Blob(["# no images\n"])));
        await expectAsync(LoadCaptureAsync(none)).toBeRejectedWithError(/^sparse\/0\/images\.txt: lists zero registered images/);
        const badModelId = await SourceAsync("bin", "sparse/0", (files) => {
            const bytes = new Uint8Array(ColmapBinary(Model()).cameras);
            new DataView(bytes.buffer).setInt32(12, 42, true);
            files.set("sparse/0/cameras.bin", new Blob([bytes]));
        });
        await expectAsync(LoadCaptureAsync(badModelId)).toBeRejectedWithError(/^sparse\/0\/cameras\.bin: camera 1: unknown camera model id 42/);
    });
});

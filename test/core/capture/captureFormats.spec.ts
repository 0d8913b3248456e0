import { CaptureSourceFromDropAsync } from "@plugin/workspace/droppedFiles";
import { LoadCaptureAsync } from "@plugin/core/capture/captureLoader";
import { FileCaptureSource } from "@plugin/core/capture/fileCaptureSource";
import type { CameraIntrinsics } from "@plugin/core/capture/captureTypes";
import { JsonBlob, NpyFloat64Blob } from "@test/helpers/imageFixtures";
import { BrightCentre, DotImageAsync, ExpectedDotPixel, FixturePose, FixturePoseFlat } from "@test/helpers/captureFixtures";

const k64: CameraIntrinsics = { fx: 70, fy: 72, cx: 30, cy: 26, width: 64, height: 48 };

describe("capture formats", () => {
    it("nerfstudio: per-frame intrinsics, OPENCV frames undistorted, masks/labels/depth paths, scene_aabb", async () => {
        const distortion = { k1: -0.18, k2: 0.05, k3: 0, p1: 0.004, p2: -0.003 };
        const other: CameraIntrinsics = { ...k64, fx: 60, fy: 60, cx: 32, cy: 24 };
        const files = new Map<string, Blob>([
            [
                "transforms.json",
                JsonBlob({
                    camera_model: "OPENCV",
                    fl_x: k64.fx, fl_y: k64.fy, cx: k64.cx, cy: k64.cy, w: 64, h: 48,
                    ...distortion,
                    scene_aabb: [[-1, -1, -1], [1, 1, 1]],
                    frames: [
                        { file_path: "images/a.png", transform_matrix: FixturePose(0) },
                        { file_path: "./images/b.png", transform_matrix: FixturePose(1), fl_x: 60, fl_y: 60, cx: 32, cy: 24, k1: 0, k2: 0, p1: 0, p2: 0, camera_model: "PINHOLE" },
                    ],
                }),
            ],
            ["images/a.png", await DotImageAsync(0, k64, { distortion })],
            ["images/b.png", await DotImageAsync(1, other)],
        ]);
        const capture = await LoadCaptureAsync(new FileCaptureSource(files, "ns"));
        expect(capture.format).toBe("nerfstudio");
        expect(capture.bounds).toEqual({ min: [-1, -1, -1], max: [1, 1, 1] });
        expect(capture.notes.join(" ")).toContain("undistorted 1 frame");
        for (const [index, k] of [[0, k64], [1, other]] as const) {
            const frame = capture.frames[index];
            expect(frame.intrinsics).toEqual(k);
            const expected = ExpectedDotPixel(index, k);
            const found = BrightCentre(frame.image);
            expect(Math.hypot(found.u - expected.u, found.v - expected.v)).withContext(`frame ${index}: dot at ${found.u},${found.v}, expected ${expected.u},${expected.v}`).toBeLessThan(0.6);
        }
        expect(Array.from(capture.frames[1].cameraToWorld)).toEqual(FixturePoseFlat(1));
    });

    it("nerfstudio: downscales images and intrinsics together", async () => {
        const files = new Map<string, Blob>([
            ["transforms.json", JsonBlob({ fl_x: 70, fl_y: 72, cx: 30, cy: 26, w: 64, h: 48, frames: [{ file_path: "a.png", transform_matrix: FixturePose(0) }] })],
            ["a.png", await DotImageAsync(0, k64)],
        ]);
        const capture = await LoadCaptureAsync(new FileCaptureSource(files), { maxSide: 32 });
        expect(capture.frames[0].intrinsics).toEqual({ fx: 35, fy: 36, cx: 15, cy: 13, width: 32, height: 24 });
        expect(capture.sourceSize).toEqual({ width: 64, height: 48 });
        expect(capture.notes.join(" ")).toContain("estimated from the cameras");
    });

    it("instant-ngp: camera_angle_x/y, aabb_scale, scale and offset give the bounds", async () => {
        const files = new Map<string, Blob>([
            ["transforms.json", JsonBlob({ camera_angle_x: 2 * Math.atan(32 / 70), camera_angle_y: 2 * Math.atan(24 / 72), aabb_scale: 2, scale: 0.5, offset: [0.5, 0.25, 0.5], frames: [0, 1, 2].map((i) => ({ file_path: `images/${i}.png`, transform_matrix: FixturePose(i) })) })],
            ...(await Promise.all([0, 1, 2].map(async (i) => [`images/${i}.png`, await DotImageAsync(i, { ...k64, cx: 32, cy: 24 })] as [string, Blob]))),
        ]);
        const capture = await LoadCaptureAsync(new FileCaptureSource(files));
        expect(capture.format).toBe("instant-ngp");
        // ngp cube [0.5 - 1, 0.5 + 1] mapped back: (c - offset) / scale
        expect(capture.bounds.min).toEqual([-2, -1.5, -2]);
        expect(capture.bounds.max).toEqual([2, 2.5, 2]);
        expect(capture.frames[0].intrinsics.fx).toBeCloseTo(70, 6);
        expect(capture.frames[0].intrinsics.fy).toBeCloseTo(72, 6);
        expect(capture.background).toBe("none");
    });

    it("Blender NeRF-synthetic: extension-less paths, alpha is the mask, white background", async () => {
        const k: CameraIntrinsics = { fx: 70, fy: 70, cx: 32, cy: 24, width: 64, height: 48 };
        const files = new Map<string, Blob>([
            ["transforms_train.json", JsonBlob({ camera_angle_x: 2 * Math.atan(32 / 70), frames: [0, 1].map((i) => ({ file_path: `./train/r_${i}`, rotation: 0.01, transform_matrix: FixturePose(i) })) })],
            ["train/r_0.png", await DotImageAsync(0, k, { transparent: true })],
            ["train/r_1.png", await DotImageAsync(1, k, { transparent: true })],
        ]);
        const capture = await LoadCaptureAsync(new FileCaptureSource(files, "synthetic"));
        expect(capture.format).toBe("blender");
        expect(capture.background).toBe("white");
        expect(capture.bounds).toEqual({ min: [-1.5, -1.5, -1.5], max: [1.5, 1.5, 1.5] });
        const frame = capture.frames[1];
        expect(frame.imagePath).toBe("train/r_1.png");
        const dot = ExpectedDotPixel(1, k);
        expect(frame.mask![Math.floor(dot.v) * 64 + Math.floor(dot.u)]).toBe(255);
        expect(frame.mask![0]).toBe(0);
    });

    it("LLFF: poses_bounds.npy with [down, right, backwards] columns, images_4 picked for a small size", async () => {
        const [height, width, focal] = [48, 64, 70];
        const rows: number[] = [];
        for (const i of [0, 1, 2]) {
            const gl = FixturePose(i);
            for (let r = 0; r < 3; r++) {
                // LLFF columns: down = -up, right, backwards, then translation and [h, w, f]
                rows.push(-gl[r][1], gl[r][0], gl[r][2], gl[r][3], [height, width, focal][r]);
            }
            rows.push(1.5, 6);
        }
        const small: CameraIntrinsics = { fx: focal / 4, fy: focal / 4, cx: 8, cy: 6, width: 16, height: 12 };
        const full: CameraIntrinsics = { fx: focal, fy: focal, cx: 32, cy: 24, width: 64, height: 48 };
        const files = new Map<string, Blob>([["poses_bounds.npy", NpyFloat64Blob(rows, [3, 17])]]);
        for (const i of [0, 1, 2]) {
            files.set(`images/IMG_${i}.png`, await DotImageAsync(i, full));
            files.set(`images_4/IMG_${i}.png`, await DotImageAsync(i, small));
        }
        const capture = await LoadCaptureAsync(new FileCaptureSource(files), { maxSide: 16 });
        expect(capture.format).toBe("llff");
        expect(capture.frames[2].imagePath).toBe("images_4/IMG_2.png");
        expect(capture.frames[2].intrinsics).toEqual(small);
        FixturePoseFlat(2).forEach((v, i) => expect(capture.frames[2].cameraToWorld[i]).toBeCloseTo(v, 12));
        const fullCapture = await LoadCaptureAsync(new FileCaptureSource(files));
        expect(fullCapture.frames[0].imagePath).toBe("images/IMG_0.png");
        expect(fullCapture.frames[0].intrinsics).toEqual(full);
    });

    it("reads files picked with a folder: a shared top folder is stripped", async () => {
        const file = (name: string, blob: Blob): File => {
            const f = new File([blob], name.split("/").pop()!);
            Object.defineProperty(f, "webkitRelativePath", { value: name });
            return f;
        };
        const source = FileCaptureSource.FromFileList([
            file("scan/transforms.json", JsonBlob({ fl_x: 70, fl_y: 72, cx: 30, cy: 26, w: 64, h: 48, frames: [{ file_path: "img/a.png", transform_matrix: FixturePose(0) }] })),
            file("scan/img/a.png", await DotImageAsync(0, k64)),
        ]);
        expect(source.name).toBe("scan");
        const capture = await LoadCaptureAsync(source);
        expect(capture.frames.length).toBe(1);
    });
});

describe("dropped capture files", () => {
    it("turns a drop of files into a capture source", async () => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([JsonBlob({ fl_x: 70, fl_y: 72, cx: 30, cy: 26, w: 64, h: 48, frames: [{ file_path: "a.png", transform_matrix: FixturePose(0) }] })], "transforms.json"));
        transfer.items.add(new File([await DotImageAsync(0, k64)], "a.png"));
        const source = await CaptureSourceFromDropAsync(transfer);
        expect(source.size).toBe(2);
        const capture = await LoadCaptureAsync(source);
        expect(capture.frames[0].image.width).toBe(64);
    });
});

import { LoadCaptureAsync } from "@plugin/core/capture/captureLoader";
import { FileCaptureSource } from "@plugin/core/capture/fileCaptureSource";
import { ResolveCapturePath } from "@plugin/core/capture/capturePath";
import { ParseNpy } from "@plugin/core/capture/npy";
import type { CameraIntrinsics } from "@plugin/core/capture/captureTypes";
import { JsonBlob, NpyFloat64Blob } from "@test/helpers/imageFixtures";
import { DotImageAsync, FixturePose } from "@test/helpers/captureFixtures";

const k: CameraIntrinsics = { fx: 70, fy: 72, cx: 30, cy: 26, width: 64, height: 48 };
const camera = { fl_x: 70, fl_y: 72, cx: 30, cy: 26, w: 64, h: 48 };

/** A valid two-frame nerfstudio capture with `change` applied to its transforms.json. */
async function CaptureWith(change: (json: Record<string, unknown>) => void, extra: [string, Blob][] = []): Promise<FileCaptureSource> {
    const json: Record<string, unknown> = { ...camera, frames: [0, 1].map((i) => ({ file_path: `images/${i}.png`, transform_matrix: FixturePose(i) })) };
    change(json);
    return new FileCaptureSource([["transforms.json", JsonBlob(json)], ["images/0.png", await DotImageAsync(0, k)], ["images/1.png", await DotImageAsync(1, k)], ...extra]);
}

function Frames(json: Record<string, unknown>): Record<string, unknown>[] {
    return json.frames as Record<string, unknown>[];
}

describe("capture loading refuses bad input with a message naming the file and the problem", () => {
    it("a missing image", async () => {
        const source = await CaptureWith((json) => (Frames(json)[1].file_path = "images/missing.png"));
        await expectAsync(LoadCaptureAsync(source)).toBeRejectedWithError(/^images\/missing\.png: file not found/);
    });

    it("an unreadable image", async () => {
        const source = await CaptureWith(() => undefined, [["images/1.png", new Blob(["garbage bytes"])]]);
        await expectAsync(LoadCaptureAsync(source)).toBeRejectedWithError(/^images\/1\.png: not a readable image/);
    });

    it("a JSON syntax error, with line and column", async () => {
        const source = new FileCaptureSource([["transforms.json", new Blob(['{\n  "fl_x": 70,\n  "frames": [ oops ]\n}'])]]);
        await expectAsync(LoadCaptureAsync(source)).toBeRejectedWithError(/^transforms\.json: JSON syntax error at line 3, column \d+/);
    });

    it("a non-finite matrix", async () => {
        const source = await CaptureWith((json) => ((Frames(json)[1].transform_matrix as unknown[][])[0][3] = "NaN"));
        await expectAsync(LoadCaptureAsync(source)).toBeRejectedWithError(/^transforms\.json: frames\[1\]\.transform_matrix has a non-finite value \(NaN\) at row 0, column 3/);
    });

    it("a non-rigid (scaled) matrix", async () => {
        const source = await CaptureWith((json) => {
            const rows = Frames(json)[0].transform_matrix as number[][];
            rows.slice(0, 3).forEach((row) => [0, 1, 2].forEach((c) => (row[c] *= 2)));
        });
        await expectAsync(LoadCaptureAsync(source)).toBeRejectedWithError(/^transforms\.json: frames\[0\]\.transform_matrix is not rigid/);
    });

    it("a reflection matrix", async () => {
        const source = await CaptureWith((json) => (Frames(json)[0].transform_matrix as number[][]).slice(0, 3).forEach((row) => (row[0] = -row[0])));
        await expectAsync(LoadCaptureAsync(source)).toBeRejectedWithError(/frames\[0\]\.transform_matrix is a reflection/);
    });

    it("an image whose size does not match the declared w/h", async () => {
        const source = await CaptureWith((json) => (json.w = 80));
        await expectAsync(LoadCaptureAsync(source)).toBeRejectedWithError(/^images\/0\.png: image size mismatch: the image is 64x48 but transforms\.json frames\[0\] declares 80x48/);
    });

    it("zero frames", async () => {
        const source = await CaptureWith((json) => (json.frames = []));
        await expectAsync(LoadCaptureAsync(source)).toBeRejectedWithError(/^transforms\.json: lists zero frames/);
    });

    it("an unsupported camera model", async () => {
        const source = await CaptureWith((json) => (json.camera_model = "OPENCV_FISHEYE"));
        await expectAsync(LoadCaptureAsync(source)).toBeRejectedWithError(/^transforms\.json: frames\[0\]: camera model "OPENCV_FISHEYE" is not supported/);
        const equirect = await CaptureWith((json) => (Frames(json)[1].camera_model = "EQUIRECTANGULAR"));
        await expectAsync(LoadCaptureAsync(equirect)).toBeRejectedWithError(/frames\[1\]: camera model "EQUIRECTANGULAR" is not supported/);
    });

    it("a path that escapes the capture folder, an absolute path or a URL", async () => {
        for (const path of ["../../etc/passwd", "images/../../secret.png", "/etc/passwd", "https://example.com/a.png", "file:///tmp/a.png"]) {
            const source = await CaptureWith((json) => (Frames(json)[0].file_path = path));
            await expectAsync(LoadCaptureAsync(source)).withContext(path).toBeRejectedWithError(/^transforms\.json: the path .* (escapes the capture folder|is absolute or a URL)/);
        }
        expect(ResolveCapturePath("./a/../b/./c.png", "sub", "t.json")).toBe("sub/b/c.png");
    });

    it("no capture description at all", async () => {
        const source = new FileCaptureSource([["photos/a.png", await DotImageAsync(0, k)]], "loose");
        await expectAsync(LoadCaptureAsync(source)).toBeRejectedWithError(/^loose: no capture description found \(looked for transforms\.json, transforms_train\.json, poses_bounds\.npy and a COLMAP model in sparse\/0\/ or sparse\/\)/);
    });

    it("LLFF: a pose count that does not match the images, a truncated .npy", async () => {
        const rows = [...FixturePose(0).slice(0, 3).flatMap((row) => [...row, 48]), 1, 5];
        const source = new FileCaptureSource([["poses_bounds.npy", NpyFloat64Blob([...rows, ...rows], [2, 17])], ["images/a.png", await DotImageAsync(0, k)]]);
        await expectAsync(LoadCaptureAsync(source)).toBeRejectedWithError(/^images\/: holds 1 images but poses_bounds\.npy has 2 poses/);
        const bytes = await NpyFloat64Blob(rows, [1, 17]).arrayBuffer();
        expect(() => ParseNpy(bytes.slice(0, bytes.byteLength - 8), "poses_bounds.npy")).toThrowError(/^poses_bounds\.npy: truncated data/);
        expect(() => ParseNpy(new ArrayBuffer(20), "x.npy")).toThrowError(/^x\.npy: not a \.npy file/);
    });

    it("a cancelled load rejects with AbortError and returns nothing", async () => {
        const source = await CaptureWith(() => undefined);
        const controller = new AbortController();
        controller.abort();
        await expectAsync(LoadCaptureAsync(source, { signal: controller.signal })).toBeRejectedWith(jasmine.objectContaining({ name: "AbortError" }));
    });
});

import { ImageDecoderPool } from "@plugin/services/imageDecoderPool";
import { LoadCaptureAsync } from "@plugin/core/capture/captureLoader";
import { FileCaptureSource } from "@plugin/core/capture/fileCaptureSource";
import { ColmapPoseFromCameraToWorld } from "@test/helpers/colmapFixtures";

describe("../shared/data/nerf_llff_horns written as a COLMAP model (a real capture, two formats)", () => {
    it("loads the same frames, poses, intrinsics and pixels as its LLFF form", async () => {
        const pool = new ImageDecoderPool();
        const decodeImage = pool.decodeAsync.bind(pool);
        try {
            // the test server cannot list folders: SHA256SUMS names every file
            const root = "/shared/nerf_llff_horns/";
            const listed = (await (await fetch(`${root}SHA256SUMS`)).text()).split("\n").map((line) => line.trim().split(/\s+/)[1]).filter((name) => name?.startsWith("images_8/"));
            const pngs = new Map(await Promise.all(listed.map(async (path) => [path.slice("images_8/".length), await (await fetch(`${root}${path}`)).blob()] as [string, Blob])));
            const llffFiles: [string, Blob][] = [["poses_bounds.npy", await (await fetch(`${root}poses_bounds.npy`)).blob()], ...[...pngs].map(([name, blob]) => [`images_8/${name}`, blob] as [string, Blob])];
            const llff = await LoadCaptureAsync(new FileCaptureSource(llffFiles, "horns"), { maxSide: 126, decodeImage });
            const names = llff.frames.map((frame) => frame.imagePath.split("/").pop()!);
            // one shared PINHOLE camera at the images' size; images listed in reverse (the loader sorts by name)
            const { fx, fy, cx, cy } = llff.frames[0].intrinsics;
            const scale = llff.sourceSize.width / llff.frames[0].image.width;
            const cameras = `1 PINHOLE ${llff.sourceSize.width} ${llff.sourceSize.height} ${fx * scale} ${fy * scale} ${cx * scale} ${cy * scale}\n`;
            const images = llff.frames
                .map((frame, i) => {
                    const { q, t } = ColmapPoseFromCameraToWorld(frame.cameraToWorld);
                    return `${i + 1} ${[...q, ...t].join(" ")} 1 ${names[i]}\n\n`;
                })
                .reverse()
                .join("");
            const files = new Map<string, Blob>([
                ["sparse/0/cameras.txt", new Blob([cameras])],
                ["sparse/0/images.txt", new Blob([images])],
                ...names.map((name) => [`images/${name}`, pngs.get(name)!] as [string, Blob]),
            ]);
            const colmap = await LoadCaptureAsync(new FileCaptureSource(files, "horns"), { maxSide: 126, decodeImage });
            expect(colmap.format).toBe("colmap");
            expect(colmap.frames.length).toBe(62);
            colmap.frames.forEach((frame, i) => {
                const original = llff.frames[i];
                expect(frame.imagePath).toBe(`images/${names[i]}`);
                Array.from(frame.cameraToWorld).forEach((value, j) => expect(value).withContext(`frame ${i} entry ${j}`).toBeCloseTo(original.cameraToWorld[j], 9));
                expect(frame.intrinsics.fx).toBeCloseTo(original.intrinsics.fx, 9);
                expect(frame.intrinsics.cx).toBeCloseTo(original.intrinsics.cx, 9);
                expect([frame.image.width, frame.image.height]).toEqual([original.image.width, original.image.height]);
                expect(frame.image.data).toEqual(original.image.data);
            });
        } finally {
            pool.dispose();
        }
    });
});

import { DecodeImageBytesAsync } from "@plugin/core/image/decodeImageBytes";
import { DisplayedSize, ReadImageFileInfo, WithStoredOrientation } from "@plugin/core/image/imageFileInfo";
import { PixelBudget } from "@plugin/core/image/pixelBudget";
import { LoadCaptureAsync } from "@plugin/core/capture/captureLoader";
import { FileCaptureSource } from "@plugin/core/capture/fileCaptureSource";
import { JsonBlob, LookAtRows } from "@test/helpers/imageFixtures";
import { JpegWithOrientationAsync, PngWithOrientationAsync } from "@test/helpers/exifFixtures";

/** A 40x20 image: red left half, blue right half. */
async function HalvesAsync(type: "image/jpeg" | "image/png"): Promise<Blob> {
    const canvas = new OffscreenCanvas(40, 20);
    const context = canvas.getContext("2d")!;
    context.fillStyle = "#ff0000";
    context.fillRect(0, 0, 20, 20);
    context.fillStyle = "#0000ff";
    context.fillRect(20, 0, 20, 20);
    return canvas.convertToBlob({ type, quality: 0.95 });
}

function IsRed(data: Uint8ClampedArray, index: number): boolean {
    return data[index * 4] > 200 && data[index * 4 + 2] < 60;
}

describe("phone photos", () => {
    it("reads the stored size and EXIF orientation of JPEG (both byte orders) and PNG headers", async () => {
        for (const bigEndian of [true, false]) {
            const jpeg = await JpegWithOrientationAsync(await HalvesAsync("image/jpeg"), 6, bigEndian);
            const info = ReadImageFileInfo(jpeg);
            expect([info.width, info.height, info.orientation]).toEqual([40, 20, 6]);
            expect(DisplayedSize(info)).toEqual({ width: 20, height: 40 });
            expect(ReadImageFileInfo(WithStoredOrientation(jpeg)).orientation).toBe(1);
        }
        const png = await PngWithOrientationAsync(await HalvesAsync("image/png"), 8);
        const info = ReadImageFileInfo(png);
        expect([info.width, info.height, info.orientation]).toEqual([40, 20, 8]);
        const stored = WithStoredOrientation(png);
        expect(ReadImageFileInfo(stored).orientation).toBe(1);
        // the rewritten chunk keeps a valid CRC: the file still decodes
        expect((await DecodeImageBytesAsync({ bytes: stored.buffer as ArrayBuffer, name: "p.png" })).width).toBe(40);
        const plain = ReadImageFileInfo(new Uint8Array(await (await HalvesAsync("image/png")).arrayBuffer()));
        expect([plain.width, plain.height, plain.orientation]).toEqual([40, 20, 1]);
        expect(ReadImageFileInfo(new Uint8Array([1, 2, 3])).width).toBe(0);
    });

    it("decodes pixels as stored by default and turned as the tag says on request", async () => {
        const jpeg = await JpegWithOrientationAsync(await HalvesAsync("image/jpeg"), 6);
        const stored = await DecodeImageBytesAsync({ bytes: jpeg.slice().buffer, name: "a.jpg" });
        expect([stored.width, stored.height, stored.exifOrientation]).toEqual([40, 20, 6]);
        expect(IsRed(stored.data, 10 * 40 + 5)).toBeTrue();
        const turned = await DecodeImageBytesAsync({ bytes: jpeg.slice().buffer, name: "a.jpg", orientation: "exif" });
        // orientation 6: turned a quarter clockwise for display, so the red left half ends on top
        expect([turned.width, turned.height]).toEqual([20, 40]);
        expect(IsRed(turned.data, 5 * 20 + 10)).toBeTrue();
        expect(IsRed(turned.data, 35 * 20 + 10)).toBeFalse();
    });

    it("a capture keeps photos as stored, or turns them when its camera size is the turned one", async () => {
        const jpeg = await JpegWithOrientationAsync(await HalvesAsync("image/jpeg"), 6);
        const pose = LookAtRows([0, 0, 3], [0, 0, 0]);
        const capture = async (w: number, h: number): Promise<Awaited<ReturnType<typeof LoadCaptureAsync>>> =>
            LoadCaptureAsync(new FileCaptureSource([["transforms.json", JsonBlob({ fl_x: 30, fl_y: 30, w, h, frames: [{ file_path: "a.jpg", transform_matrix: pose }] })], ["a.jpg", new Blob([jpeg])]]));
        const asStored = await capture(40, 20);
        expect([asStored.frames[0].image.width, asStored.frames[0].image.height]).toEqual([40, 20]);
        expect(asStored.notes.join(" ")).toContain("1 image(s) carry an EXIF orientation: used as stored");
        const asTurned = await capture(20, 40);
        expect([asTurned.frames[0].image.width, asTurned.frames[0].image.height]).toEqual([20, 40]);
        expect(asTurned.notes.join(" ")).toContain("1 turned as the tag says");
    });

    it("the pixel budget runs large images one at a time and small ones together", async () => {
        const budget = new PixelBudget(16);
        let running = 0;
        let most = 0;
        const job = async (pixels: number): Promise<void> => {
            const release = await budget.acquireAsync(pixels);
            running++;
            most = Math.max(most, running);
            await new Promise((resolve) => setTimeout(resolve, 5));
            running--;
            release();
        };
        await Promise.all([12, 12, 12, 30].map(job));
        expect(most).toBe(1);
        most = 0;
        await Promise.all([4, 4, 4, 4, 4, 4].map(job));
        expect(most).toBe(4);
    });
});

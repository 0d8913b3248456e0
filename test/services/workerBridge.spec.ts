import { ImageDecoderPool } from "@plugin/services/imageDecoderPool";
import { WorkerBridge } from "@plugin/services/workerBridge";
import type { ImageDecodeApi } from "@workers/imageDecodeApi";

/** A PNG made by the browser: left half red, right half transparent blue. */
async function MakePngAsync(width: number, height: number): Promise<ArrayBuffer> {
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext("2d")!;
    context.fillStyle = "rgb(255,0,0)";
    context.fillRect(0, 0, width / 2, height);
    context.fillStyle = "rgba(0,0,255,1)";
    context.fillRect(width / 2, 0, width / 2, height / 2);
    const blob = await canvas.convertToBlob({ type: "image/png" });
    return blob.arrayBuffer();
}

function DecodeBridge(): WorkerBridge<ImageDecodeApi> {
    return new WorkerBridge<ImageDecodeApi>(() => new Worker(new URL("../../workers/imageDecode.worker.ts", import.meta.url)), { name: "test decode worker", idleTimeoutMs: 0 });
}

describe("WorkerBridge + image-decode worker (comlink)", () => {
    it("round-trips a transferred buffer: bytes in, downscaled RGBA pixels out", async () => {
        const bridge = DecodeBridge();
        const bytes = await MakePngAsync(64, 32);
        const image = await bridge.callAsync("decodeAsync", [{ bytes, name: "test.png", maxSide: 16 }], { transfer: [bytes] });
        expect(bytes.byteLength).withContext("the sender's buffer is detached after transfer").toBe(0);
        expect([image.width, image.height, image.sourceWidth, image.sourceHeight]).toEqual([16, 8, 64, 32]);
        const pixel = (x: number, y: number): number[] => Array.from(image.data.slice((y * 16 + x) * 4, (y * 16 + x) * 4 + 4));
        expect(pixel(2, 2)).toEqual([255, 0, 0, 255]);
        expect(pixel(12, 1)).toEqual([0, 0, 255, 255]);
        expect(pixel(12, 6)[3]).toBe(0);
        bridge.terminate();
    });

    it("names the file when the bytes are not an image", async () => {
        const bridge = DecodeBridge();
        const bytes = new TextEncoder().encode("definitely not a png").buffer as ArrayBuffer;
        await expectAsync(bridge.callAsync("decodeAsync", [{ bytes, name: "frames/r_7.png" }])).toBeRejectedWithError(/frames\/r_7\.png: not a readable image/);
        bridge.terminate();
    });

    it("rejects at once on abort and restarts the worker lazily for the next call", async () => {
        const bridge = DecodeBridge();
        const controller = new AbortController();
        const big = await MakePngAsync(2048, 2048);
        const call = bridge.callAsync("decodeAsync", [{ bytes: big, name: "big.png", maxSide: 100 }], { signal: controller.signal, transfer: [big] });
        controller.abort();
        await expectAsync(call).toBeRejectedWith(jasmine.objectContaining({ name: "AbortError" }));
        expect(bridge.isRunning).toBeFalse();
        const small = await MakePngAsync(8, 8);
        const image = await bridge.callAsync("decodeAsync", [{ bytes: small, name: "small.png" }]);
        expect(image.width).toBe(8);
        expect(bridge.startCount).toBe(2);
        bridge.terminate();
    });

    it("turns a crashing worker into a clear error", async () => {
        const script = URL.createObjectURL(new Blob(["throw new Error('boom at load');"], { type: "text/javascript" }));
        const bridge = new WorkerBridge<ImageDecodeApi>(() => new Worker(script), { name: "crashy worker", idleTimeoutMs: 0 });
        const bytes = new ArrayBuffer(8);
        await expectAsync(bridge.callAsync("decodeAsync", [{ bytes, name: "x.png" }])).toBeRejectedWithError(/crashy worker crashed/);
        expect(bridge.isRunning).toBeFalse();
    });

    it("terminates an idle worker after its timeout", async () => {
        const bridge = new WorkerBridge<ImageDecodeApi>(() => new Worker(new URL("../../workers/imageDecode.worker.ts", import.meta.url)), { name: "idle worker", idleTimeoutMs: 50 });
        const bytes = await MakePngAsync(4, 4);
        await bridge.callAsync("decodeAsync", [{ bytes, name: "a.png" }]);
        expect(bridge.isRunning).toBeTrue();
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(bridge.isRunning).toBeFalse();
    });

    it("decodes in parallel in a pool", async () => {
        const pool = new ImageDecoderPool(2);
        const files = await Promise.all([1, 2, 3, 4].map((i) => MakePngAsync(8 * i, 8)));
        const images = await Promise.all(files.map((bytes, i) => pool.decodeAsync({ bytes, name: `f${i}.png` })));
        expect(images.map((image) => image.width)).toEqual([8, 16, 24, 32]);
        pool.dispose();
    });
});

import type { DecodedImage, ImageDecodeApi, ImageDecodeRequest } from "../../workers/imageDecodeApi";
import { WorkerBridge } from "./workerBridge";

/**
 * Decodes images in a small pool of image-decode workers (one per spare core, at most 4).
 * The encoded bytes are transferred to the worker and the pixels transferred back.
 */
export class ImageDecoderPool {
    private readonly _bridges: WorkerBridge<ImageDecodeApi>[];
    private readonly _busy: number[];

    /** @param size number of workers (defaults to hardwareConcurrency - 1, between 1 and 4) */
    public constructor(size = Math.min(4, Math.max(1, (globalThis.navigator?.hardwareConcurrency ?? 2) - 1))) {
        this._bridges = Array.from(
            { length: size },
            (_, i) =>
                new WorkerBridge<ImageDecodeApi>(() => new Worker(new URL("../../workers/imageDecode.worker.ts", import.meta.url), { name: `image-decode-${i}` }), {
                    name: `image-decode worker ${i}`,
                    idleTimeoutMs: 20000,
                })
        );
        this._busy = new Array<number>(size).fill(0);
    }

    /** Number of workers. */
    public get size(): number {
        return this._bridges.length;
    }

    /**
     * Decodes one image on the least busy worker. `request.bytes` is transferred (detached here).
     * @param request the file and wanted size
     * @param signal cancels the decode
     * @returns straight RGBA pixels
     */
    public async decodeAsync(request: ImageDecodeRequest, signal?: AbortSignal): Promise<DecodedImage> {
        let index = 0;
        for (let i = 1; i < this._busy.length; i++) {
            if (this._busy[i] < this._busy[index]) {
                index = i;
            }
        }
        this._busy[index]++;
        try {
            return await this._bridges[index].callAsync("decodeAsync", [request], { signal, transfer: [request.bytes] });
        } finally {
            this._busy[index]--;
        }
    }

    /** Terminates all workers. */
    public dispose(): void {
        this._bridges.forEach((bridge) => bridge.terminate());
    }
}

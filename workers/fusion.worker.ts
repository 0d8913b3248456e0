/// <reference lib="webworker" />
import * as Comlink from "comlink";
import { GpuContext } from "../plugin/core/gpu/gpuContext";
import { ObjectFieldFusion } from "../plugin/core/fusion/objectFieldFusion";
import type { FusionWorkerApi } from "./fusionApi";

let fusion: ObjectFieldFusion | null = null;
let context: GpuContext | null = null;
let running: AbortController | null = null;

async function DeviceAsync(preferGpu: boolean): Promise<{ context: GpuContext | null; reason: string }> {
    if (!preferGpu) {
        return { context: null, reason: "the CPU path was asked for" };
    }
    if (!GpuContext.IsSupported()) {
        return { context: null, reason: "no WebGPU in this worker" };
    }
    try {
        context ??= await GpuContext.CreateAsync({ label: "sanerf-fusion" });
        return { context, reason: "WebGPU in the fusion worker" };
    } catch (error) {
        return { context: null, reason: `WebGPU unavailable (${(error as Error).message})` };
    }
}

const api: FusionWorkerApi = {
    async prepareAsync(job) {
        running?.abort();
        fusion?.dispose();
        fusion = null;
        const device = await DeviceAsync(job.preferGpu ?? true);
        fusion = await ObjectFieldFusion.CreateAsync({ field: job.field, views: job.views, objects: job.objects, options: job.options, warmStart: job.warmStart, context: device.context, captureName: job.captureName });
        return { backend: fusion.backend, backendReason: device.reason, grid: fusion.grid };
    },

    async fuseAsync(onProgress) {
        if (!fusion) {
            throw new Error("no fusion job is prepared");
        }
        running = new AbortController();
        try {
            const result = await fusion.fuseAsync(onProgress, running.signal);
            return Comlink.transfer(result, [result.field.logits.buffer as ArrayBuffer]);
        } finally {
            running = null;
        }
    },

    async cancelAsync() {
        running?.abort();
    },

    async renderMasksAsync(views) {
        if (!fusion) {
            throw new Error("no fusion job is prepared");
        }
        const images = [];
        for (const view of views) {
            images.push(await fusion.renderMaskAsync(view));
        }
        return Comlink.transfer(images, images.flatMap((image) => [image.labels.buffer as ArrayBuffer, image.objectProbability.buffer as ArrayBuffer]));
    },

    async releaseAsync() {
        running?.abort();
        fusion?.dispose();
        fusion = null;
    },
};

Comlink.expose(api);

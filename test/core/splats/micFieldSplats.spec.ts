import { LoadCaptureAsync } from "@plugin/core/capture/captureLoader";
import type { Capture } from "@plugin/core/capture/captureTypes";
import { SplitHoldout } from "@plugin/core/capture/holdout";
import { UrlCaptureSource } from "@plugin/core/capture/urlCaptureSource";
import { PixelRay } from "@plugin/core/math/cameraProjection";
import { NerfTrainer } from "@plugin/core/nerf/nerfTrainer";
import { RenderViewCpu } from "@plugin/core/nerf/cpuFieldRenderer";
import { LabelSplatsAsync } from "@plugin/core/pipeline/splatStage";
import { DefaultPipelineConfig } from "@plugin/core/pipeline/pipelineConfig";
import type { FrameMask } from "@plugin/core/segmentation/maskSet";
import { FieldToSplats } from "@plugin/core/splats/fieldSplats";
import { ReadSplat, type SplatCloud } from "@plugin/core/splats/splatCloud";
import { ReadSplatFileAsync } from "@plugin/core/splats/splatFile";
import { WriteCloudAsPly } from "@plugin/core/splats/splatPlyWriter";
import { SplatRasterizer } from "@plugin/core/splats/splatRasterizer";
import { ImageDecoderPool } from "@plugin/services/imageDecoderPool";
import { RequireGpuAsync } from "@test/helpers/webGpu";

/** The cameras' mean up (their +y axes), unit. */
function MeanUp(capture: Capture): [number, number, number] {
    const up = [0, 0, 0];
    for (const frame of capture.frames) {
        up[0] += frame.cameraToWorld[1];
        up[1] += frame.cameraToWorld[5];
        up[2] += frame.cameraToWorld[9];
    }
    const length = Math.hypot(up[0], up[1], up[2]);
    return [up[0] / length, up[1] / length, up[2] / length];
}

/** Set IoU of two flag arrays over the entries `among` keeps. */
function SetIou(a: ArrayLike<boolean>, b: ArrayLike<boolean>, among: ArrayLike<boolean>): number {
    let both = 0;
    let either = 0;
    for (let i = 0; i < a.length; i++) {
        if (among[i]) {
            both += a[i] && b[i] ? 1 : 0;
            either += a[i] || b[i] ? 1 : 0;
        }
    }
    return both / Math.max(1, either);
}

describe("The mic's radiance field exported as splats (a real capture's field)", () => {
    it("covers the photos' alpha on holdout views about as the field does, reads back from its PLY, and a part defined in 3-D is labelled from masks made of the photos' alpha", async () => {
        const gpu = await RequireGpuAsync();
        const pool = new ImageDecoderPool();
        const capture = await LoadCaptureAsync(new UrlCaptureSource("/shared/nerf_synthetic_mic/"), { maxSide: 48, decodeImage: (request, signal) => pool.decodeAsync(request, signal) });
        const large = await LoadCaptureAsync(new UrlCaptureSource("/shared/nerf_synthetic_mic/"), { maxSide: 128, decodeImage: (request, signal) => pool.decodeAsync(request, signal) });
        pool.dispose();
        const { train, holdout } = SplitHoldout(capture.frames.length);
        const trainer = await NerfTrainer.CreateAsync(gpu, train.map((i) => capture.frames[i]), capture.bounds, capture.background, {
            budget: { iterations: 400, raysPerBatch: 2048, gridResolution: 48, initialGridResolution: 32, growAt: [150] },
            occupancyWarmup: 64,
        });
        await trainer.trainAsync();
        const field = await trainer.exportFieldAsync();
        trainer.dispose();
        const cloud = FieldToSplats(field);
        expect(cloud.count).toBeGreaterThan(500);

        // a PLY of the splats reads back splat for splat
        const read = await ReadSplatFileAsync(WriteCloudAsPly(cloud), "mic.ply");
        expect(read.cloud.count).toBe(cloud.count);
        expect(ReadSplat(read.cloud, 7).position.map((v) => v.toFixed(4))).toEqual(ReadSplat(cloud, 7).position.map((v) => v.toFixed(4)));

        // Silhouettes on the holdout views at 128 px (at 48 px a splat is about a pixel wide and the
        // rasterizer's dilation blurs it), against the photos' alpha (the true mask) and the field's own
        const rasterizer = new SplatRasterizer(gpu);
        const silhouette = (opacity: Float32Array): boolean[] => Array.from(opacity, (o) => o >= 0.5);
        const scores = { splats: 0, field: 0, splatsVsField: 0 };
        for (const index of holdout) {
            const frame = large.frames[index];
            const alpha = Array.from(frame.mask!, (a) => a > 127);
            const all = alpha.map(() => true);
            const splats = silhouette((await rasterizer.renderAsync(cloud, frame)).opacity);
            const own = silhouette(RenderViewCpu(field, frame).opacity);
            scores.splats += SetIou(splats, alpha, all) / holdout.length;
            scores.field += SetIou(own, alpha, all) / holdout.length;
            scores.splatsVsField += SetIou(splats, own, all) / holdout.length;
        }
        const scoreText = JSON.stringify(scores, (_, v: unknown) => (typeof v === "number" ? Number(v.toFixed(3)) : v));
        expect(scores.splats).withContext(scoreText).toBeGreaterThan(0.75);
        expect(scores.splats).withContext(scoreText).toBeGreaterThan(scores.field - 0.08);
        expect(scores.splatsVsField).withContext(scoreText).toBeGreaterThan(0.85);

        // An object defined in 3-D: the mic above the height its splats' centres reach at the 60th
        // percentile along the cameras' up. Its mask in a training view: the photo's alpha where
        // the splats' surface there lies above that height. Labels from those masks against the
        // truth by centre height, over the splats that are more than faint.
        const up = MeanUp(capture);
        const height = (p: readonly number[]): number => p[0] * up[0] + p[1] * up[1] + p[2] * up[2];
        const heights = Array.from({ length: cloud.count }, (_, i) => height(ReadSplat(cloud, i).position));
        const cut = [...heights].sort((a, b) => a - b)[Math.floor(0.6 * heights.length)];
        const masks = await PartMasksAsync(rasterizer, cloud, capture, train, (point) => height(point) > cut);
        const { labels } = await LabelSplatsAsync(rasterizer, cloud, capture.frames, [masks], DefaultPipelineConfig.splats);
        const opaque = Array.from({ length: cloud.count }, (_, i) => ReadSplat(cloud, i).opacity > 0.3);
        const iou = SetIou(
            Array.from(labels, (l) => l === 1),
            heights.map((h) => h > cut),
            opaque
        );
        expect(opaque.filter(Boolean).length).toBeGreaterThan(300);
        expect(iou).withContext("the upper part's splats against their labels").toBeGreaterThan(0.85);
    }, 300000);
});

/**
 * Masks of a 3-D part in the training views: the photo's alpha where the splats' rendered surface
 * lies inside the part.
 */
async function PartMasksAsync(rasterizer: SplatRasterizer, cloud: SplatCloud, capture: Capture, views: readonly number[], inside: (point: readonly number[]) => boolean): Promise<FrameMask[]> {
    const masks: FrameMask[] = [];
    for (let index = 0; index < capture.frames.length; index++) {
        const frame = capture.frames[index];
        const { width, height } = frame.intrinsics;
        if (!views.includes(index)) {
            masks.push({ frameIndex: index, valid: false, visibleFraction: 0, width, height });
            continue;
        }
        const render = await rasterizer.renderAsync(cloud, frame);
        const m = frame.cameraToWorld;
        const mask = new Uint8Array(width * height);
        for (let p = 0; p < mask.length; p++) {
            const depth = render.depth[p];
            if (frame.mask![p] <= 127 || !(depth > 0)) {
                continue;
            }
            const ray = PixelRay(m, frame.intrinsics, (p % width) + 0.5, Math.floor(p / width) + 0.5);
            const cosine = -(ray.direction[0] * m[2] + ray.direction[1] * m[6] + ray.direction[2] * m[10]);
            const t = depth / cosine;
            mask[p] = inside(ray.origin.map((o, a) => o + t * ray.direction[a])) ? 255 : 0;
        }
        masks.push({ frameIndex: index, valid: true, visibleFraction: 1, mask, width, height });
    }
    return masks;
}

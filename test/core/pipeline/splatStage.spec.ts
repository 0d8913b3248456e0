import { DefaultPipelineConfig, ResolvePipelineConfig } from "@plugin/core/pipeline/pipelineConfig";
import { LiftScenePrompts, SegmentSceneViewsAsync } from "@plugin/core/pipeline/segmentStage";
import { LabelSplatsAsync, RenderSplatViewsAsync, SplatCamerasOf, SplatSegmentationScene } from "@plugin/core/pipeline/splatStage";
import type { SplatSceneView } from "@plugin/core/pipeline/splatStage";
import { EmbeddingCache } from "@plugin/core/sam/embeddingCache";
import type { FrameMask } from "@plugin/core/segmentation/maskSet";
import { AutoSplatCameras, ThumbnailSplatCamera } from "@plugin/core/splats/autoCameras";
import { SplatRasterizer } from "@plugin/core/splats/splatRasterizer";
import { SamService } from "@plugin/services/samService";
import { Spheres } from "@test/helpers/fusionFixture";
import { RenderedTruthLabels, TwoSphereSplats } from "@test/helpers/splatFixtures";
import { RequireGpuAsync } from "@test/helpers/webGpu";

const config = ResolvePipelineConfig({ splats: { viewCount: 16, viewSide: 96 } }).splats;
const segment = DefaultPipelineConfig.segment;

/** IoU of the splats labelled `label` against those truly labelled it. */
function SplatIou(truth: Uint8Array, labels: Uint8Array, label: number): number {
    let both = 0;
    let either = 0;
    for (let i = 0; i < truth.length; i++) {
        both += truth[i] === label && labels[i] === label ? 1 : 0;
        either += truth[i] === label || labels[i] === label ? 1 : 0;
    }
    return both / either;
}

describe("the pipeline's splat stage (views, prompts, labels per splat)", () => {
    const scene = TwoSphereSplats();
    let views: SplatSceneView[];
    let rasterizer: SplatRasterizer;

    beforeAll(async () => {
        rasterizer = new SplatRasterizer(await RequireGpuAsync());
        views = await RenderSplatViewsAsync(rasterizer, scene.cloud, SplatCamerasOf(scene.cloud, config), config);
    });

    it("places cameras all around the content and renders each view's image and depth", () => {
        const cameras = AutoSplatCameras(scene.cloud, config);
        expect(cameras.length).toBe(16);
        const eyes = cameras.map((camera) => [camera.cameraToWorld[3], camera.cameraToWorld[7], camera.cameraToWorld[11]]);
        expect(eyes.some((eye) => eye[1] > 0.5)).toBeTrue();
        expect(eyes.some((eye) => eye[1] < -0.5)).toBeTrue();
        for (const view of views) {
            expect(view.image.width).toBe(96);
            const covered = view.depth.filter((d) => d > 0).length;
            expect(covered).withContext("pixels with depth").toBeGreaterThan(96 * 96 * 0.1);
            // every depth lies between the nearest and farthest content the camera can see
            const eye = [view.cameraToWorld[3], view.cameraToWorld[7], view.cameraToWorld[11]];
            const far = Math.hypot(eye[0], eye[1], eye[2]) + 1.2;
            expect(Math.max(...view.depth)).toBeLessThan(far);
        }
    });

    it("places a thumbnail camera 35° above the horizon of any up direction, upright to it, seeing the content", async () => {
        for (const up of [[0, -1, 0], [0, 0, 1], [0, 1, 0]]) {
            const view = ThumbnailSplatCamera(scene.cloud, up, 64);
            const m = view.cameraToWorld;
            const back = [m[2], m[6], m[10]];
            const imageUp = [m[1], m[5], m[9]];
            const dot = (a: number[], b: number[]): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
            expect(dot(back, up)).withContext(`up ${up}: eye's elevation`).toBeCloseTo(Math.sin((35 * Math.PI) / 180), 5);
            expect(dot(imageUp, up)).withContext(`up ${up}: image upright`).toBeGreaterThan(0.8);
            const render = await rasterizer.renderAsync(scene.cloud, view);
            expect(render.opacity.filter((a) => a > 0.5).length).withContext(`up ${up}: content in view`).toBeGreaterThan(64 * 64 * 0.1);
        }
    });

    it("labels each sphere's splats from true masks of both objects (IoU > 0.95), the floor stays background", async () => {
        const truthViews = await Promise.all(views.map((view) => RenderedTruthLabels(scene, view)));
        const masksOf = (object: number): FrameMask[] =>
            truthViews.map((labels, frameIndex) => ({ frameIndex, valid: true, visibleFraction: 1, width: 96, height: 96, mask: labels.map((l) => (l === object ? 255 : 0)) }));
        const result = await LabelSplatsAsync(rasterizer, scene.cloud, views, [masksOf(1), masksOf(2)], config);
        expect(SplatIou(scene.labels, result.labels, 1)).toBeGreaterThan(0.95);
        expect(SplatIou(scene.labels, result.labels, 2)).toBeGreaterThan(0.95);
        expect(SplatIou(scene.labels, result.labels, 0)).toBeGreaterThan(0.9);
    });

    it("segments a sphere from one click with the built-in model: lifted to the rendered surface, propagated, decoded, labelled", async () => {
        const sam = new SamService({ backend: "wasm", cache: new EmbeddingCache({ persistentBytes: 0 }) });
        try {
            await sam.loadBuiltinAsync();
            const segmentation = SplatSegmentationScene(scene.cloud, views, config);
            // click the pixel of view 0 nearest the projection of sphere 2's centre that its splats cover
            const truth = await RenderedTruthLabels(scene, views[0]);
            let click = { x: 0, y: 0, distance: Infinity };
            const m = views[0].cameraToWorld;
            const c = Spheres[1].centre;
            const d = [c[0] - m[3], c[1] - m[7], c[2] - m[11]];
            const depth = -(m[2] * d[0] + m[6] * d[1] + m[10] * d[2]);
            const u = 48 + (views[0].intrinsics.fx * (m[0] * d[0] + m[4] * d[1] + m[8] * d[2])) / depth;
            const v = 48 - (views[0].intrinsics.fy * (m[1] * d[0] + m[5] * d[1] + m[9] * d[2])) / depth;
            truth.forEach((label, p) => {
                const distance = Math.hypot((p % 96) + 0.5 - u, Math.floor(p / 96) + 0.5 - v);
                if (label === 2 && distance < click.distance) {
                    click = { x: (p % 96) + 0.5, y: Math.floor(p / 96) + 0.5, distance };
                }
            });
            expect(click.distance).toBeLessThan(Infinity);
            const prompt = LiftScenePrompts(segmentation, [{ frameIndex: 0, x: click.x, y: click.y, label: 1 }], null, segment);
            expect(prompt.points.length).toBe(1);
            const lifted = prompt.points[0].position;
            expect(Math.hypot(lifted[0] - c[0], lifted[1] - c[1], lifted[2] - c[2])).toBeCloseTo(Spheres[1].radius, 1);
            const masks = await SegmentSceneViewsAsync(sam, segmentation, prompt, segment);
            expect(masks.filter((mask) => mask.valid).length).toBeGreaterThanOrEqual(3);
            const result = await LabelSplatsAsync(rasterizer, scene.cloud, views, [masks], config);
            const asObject = scene.labels.map((l) => (l === 2 ? 1 : 0));
            expect(SplatIou(asObject, result.labels, 1)).toBeGreaterThan(0.85);
        } finally {
            sam.dispose();
        }
    });

    it("takes 3-D prompt points as they are and names a view that does not exist", () => {
        const segmentation = SplatSegmentationScene(scene.cloud, views, config);
        const prompt = LiftScenePrompts(segmentation, [], null, segment, [{ position: [0.33, 0.25, -0.05], label: 1 }]);
        expect(prompt.points).toEqual([{ position: [0.33, 0.25, -0.05], label: 1 }]);
        expect(() => LiftScenePrompts(segmentation, [{ frameIndex: 99, x: 1, y: 1, label: 1 }], null, segment)).toThrowError(/prompt view 99 does not exist \(the splat scene has views 0\.\.15\)/);
    });
});

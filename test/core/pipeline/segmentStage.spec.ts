import type { Capture, CameraIntrinsics } from "@plugin/core/capture/captureTypes";
import { BinaryMaskIou } from "@plugin/core/evaluation/maskMetrics";
import { RenderViewCpu } from "@plugin/core/nerf/cpuFieldRenderer";
import { DefaultPipelineConfig } from "@plugin/core/pipeline/pipelineConfig";
import { LiftFramePrompts, SegmentViewsAsync } from "@plugin/core/pipeline/segmentStage";
import { EmbeddingCache } from "@plugin/core/sam/embeddingCache";
import { MaskSetFromObjects, type FrameMask } from "@plugin/core/segmentation/maskSet";
import { LiftBox } from "@plugin/core/segmentation/promptLifting";
import { SamService } from "@plugin/services/samService";
import type { MaskDecoder } from "@plugin/core/pipeline/pipelineServices";
import type { SamDecodeOptions, SamMaskResult, SamPrompt, SamViewImage } from "@plugin/core/sam/samTypes";
import { LookAtRows } from "@test/helpers/imageFixtures";
import { SphereField } from "@test/helpers/sphereField";
import { RenderViewDepth } from "@plugin/core/segmentation/viewDepth";

const config = DefaultPipelineConfig.segment;
const intrinsics: CameraIntrinsics = { fx: 70, fy: 70, cx: 32, cy: 32, width: 64, height: 64 };
const centre: [number, number, number] = [0.1, -0.05, 0.05];
const radius = 0.3;
const field = SphereField({ centre, radius });

/** Nine views around the sphere, each image rendered from the field (so the sphere is where the field says). */
function RingCapture(): { capture: Capture; opacity: Float32Array[] } {
    const opacity: Float32Array[] = [];
    const frames = Array.from({ length: 9 }, (_, index) => {
        const angle = (index / 9) * 2 * Math.PI;
        const cameraToWorld = Float64Array.from(LookAtRows([centre[0] + 2.2 * Math.cos(angle), 0.6, centre[2] + 2.2 * Math.sin(angle)], centre).flat());
        const view = RenderViewCpu(field, { cameraToWorld, intrinsics });
        opacity.push(view.opacity);
        return { index, imagePath: `images/f${index}.png`, image: { width: 64, height: 64, data: view.color }, intrinsics, cameraToWorld };
    });
    const capture: Capture = { name: "sphere ring", format: "nerfstudio", frames, bounds: { min: [-0.8, -0.8, -0.8], max: [0.8, 0.8, 0.8] }, wholeScene: { layout: "object-centric", bounds: { min: [-0.8, -0.8, -0.8], max: [0.8, 0.8, 0.8] }, near: 0, unbounded: false }, background: "none", objects: [], sourceSize: { width: 64, height: 64 }, notes: [] };
    return { capture, opacity };
}

describe("the pipeline's segment stage (lift, propagate, decode)", () => {
    const { capture, opacity } = RingCapture();
    let sam: SamService;

    beforeAll(async () => {
        sam = new SamService({ backend: "wasm", cache: new EmbeddingCache({ persistentBytes: 0 }) });
        await sam.loadBuiltinAsync();
    });

    afterAll(() => sam.dispose());

    it("lifts a click to the field's surface, keeps a click that meets no surface for its own frame, and lifts a box", () => {
        const prompt = LiftFramePrompts(field, capture, [{ frameIndex: 1, x: 32.5, y: 32.5, label: 1 }, { frameIndex: 2, x: 1.5, y: 1.5, label: 0 }], null, config);
        expect(prompt.points.length).toBe(1);
        const [p] = prompt.points;
        expect(Math.hypot(p.position[0] - centre[0], p.position[1] - centre[1], p.position[2] - centre[2])).toBeCloseTo(radius, 1);
        expect(prompt.frameClicks.get(2)).toEqual([{ x: 1.5, y: 1.5, label: 0 }]);
        // the sphere projects to a disc of about 10 px radius around the centre of the 64 px frame
        const corners = LiftBox(field, capture.frames[3], { x0: 20, y0: 20, x1: 44, y1: 44 }, config.boxRaysPerSide, config.surfaceThreshold)!;
        expect(corners.length).toBe(8);
        for (let a = 0; a < 3; a++) {
            expect(corners[0][a]).toBeGreaterThanOrEqual(centre[a] - radius - 0.02);
            expect(corners[7][a]).toBeLessThanOrEqual(centre[a] + radius + 0.02);
        }
        const diagonal = Math.hypot(...[0, 1, 2].map((a) => corners[7][a] - corners[0][a]));
        expect(diagonal).withContext("the box spans the surface under it").toBeGreaterThan(1.5 * radius);
        expect(LiftBox(field, capture.frames[3], { x0: 0, y0: 0, x1: 3, y1: 3 }, config.boxRaysPerSide, config.surfaceThreshold)).withContext("a box on empty space").toBeNull();
        expect(() => LiftFramePrompts(field, capture, [{ frameIndex: 9, x: 1, y: 1, label: 1 }], null, config)).toThrowError(/prompt view 9 does not exist \(the capture has frames 0\.\.8\)/);
    });

    it("decodes once per valid frame and finds the object in every frame", async () => {
        const prompt = LiftFramePrompts(field, capture, [{ frameIndex: 0, x: 32.5, y: 32.5, label: 1 }], null, config);
        const before = sam.decoderRuns;
        const progress: number[] = [];
        const masks = await SegmentViewsAsync(sam, capture, field, prompt, config, { onProgress: (done) => progress.push(done) });
        expect(masks.length).toBe(9);
        expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
        const valid = masks.filter((mask) => mask.valid);
        expect(sam.decoderRuns - before).withContext("one decode per valid frame").toBe(valid.length);
        expect(valid.length).withContext("a click on a sphere's front is visible from about half the ring").toBeGreaterThanOrEqual(3);
        for (const mask of valid) {
            expect(BinaryMaskIou(mask.mask!, opacity[mask.frameIndex], 0.5)).withContext(`frame ${mask.frameIndex}`).toBeGreaterThan(0.8);
        }
        await expectAsync(SegmentViewsAsync(sam, capture, field, { points: [], box3d: null, frameClicks: new Map() }, config)).toBeRejectedWithError(/no prompt to propagate/);
        const cancel = new AbortController();
        cancel.abort();
        await expectAsync(SegmentViewsAsync(sam, capture, field, prompt, config, { signal: cancel.signal })).toBeRejected();
    });

    it("gives a model that takes depth each view's depth from the field, cached apart from colour-only embeddings", async () => {
        expect(sam.takesDepth).withContext("the built-in model takes depth").toBeTrue();
        const front = Math.hypot(2.2, 0.65) - radius;
        const depth = RenderViewDepth(field, capture.frames[0]);
        expect(depth.length).toBe(64 * 64);
        expect(depth[32 * 64 + 32]).withContext("the sphere's front at the centre pixel").toBeCloseTo(front, 1);
        expect(depth[0]).withContext("empty space").toBe(0);
        expect(BinaryMaskIou(depth.map((v) => (v > 0 ? 1 : 0)), opacity[0], 0.5)).withContext("depth where the field is opaque").toBeGreaterThan(0.95);
        const coarse = RenderViewDepth(field, capture.frames[0], { maxSide: 16 });
        expect(coarse.length).withContext("enlarged to the view's size").toBe(64 * 64);
        expect(coarse[32 * 64 + 32]).toBeCloseTo(front, 1);
        expect(new Set(coarse.slice(32 * 64, 33 * 64)).size).withContext("nearest enlargement: steps, no blended depths").toBeLessThanOrEqual(16);
        const prompt = LiftFramePrompts(field, capture, [{ frameIndex: 0, x: 32.5, y: 32.5, label: 1 }], null, config);
        await SegmentViewsAsync(sam, capture, field, prompt, config);
        const before = sam.encoderRuns;
        const colourOnly = await SegmentViewsAsync(sam, capture, field, prompt, { ...config, viewDepth: false });
        const valid = colourOnly.filter((mask) => mask.valid).length;
        expect(sam.encoderRuns - before).withContext("colour-only embeddings are not the depth ones").toBe(valid);
        await SegmentViewsAsync(sam, capture, field, prompt, config);
        expect(sam.encoderRuns - before).withContext("the depth embeddings stay cached").toBe(valid);
    });

    it("chooses each view's candidate by what the other views agree with, not by the decoder's top predicted IoU", async () => {
        // a decoder of SAM's interface whose candidates are the sphere's left half, the sphere, and the
        // sphere grown by 6 px; its top predicted IoU goes to the half in every third view it decodes
        let calls = 0;
        const halfFirst: number[] = [];
        const decoder: MaskDecoder = {
            decodeAsync: (image: SamViewImage, _prompt: SamPrompt, options?: SamDecodeOptions): Promise<SamMaskResult> => {
                const { width, height, data } = image;
                const whole = Uint8Array.from({ length: width * height }, (_, i) => (Math.abs(data[i * 4] - data[0]) + Math.abs(data[i * 4 + 1] - data[1]) + Math.abs(data[i * 4 + 2] - data[2]) > 30 ? 255 : 0));
                let sumX = 0;
                let count = 0;
                whole.forEach((v, i) => v && ((sumX += i % width), count++));
                const half = whole.map((v, i) => (v && i % width < sumX / count ? 255 : 0));
                const grown = whole.map((_, i) => (whole.some((v, j) => v && Math.hypot((j % width) - (i % width), Math.floor(j / width) - Math.floor(i / width)) <= 6) ? 255 : 0));
                const flip = calls++ % 3 === 1;
                const ious = flip ? [0.97, 0.9, 0.85] : [0.85, 0.95, 0.88];
                const masks = [half, whole, grown];
                const chosen = flip ? 0 : 1;
                if (flip) {
                    halfFirst.push(calls - 1);
                }
                return Promise.resolve({ width, height, mask: masks[chosen], iou: ious[chosen], candidateIous: ious, chosen, lowRes: new Float32Array(256 * 256), candidateMasks: options?.allCandidates ? masks : undefined });
            },
        };
        const prompt = LiftFramePrompts(field, capture, [{ frameIndex: 0, x: 32.5, y: 32.5, label: 1 }], null, config);
        const byScore = await SegmentViewsAsync(decoder, capture, field, prompt, { ...config, maskChoice: "predicted-iou" });
        calls = 0;
        halfFirst.length = 0;
        const consistent = await SegmentViewsAsync(decoder, capture, field, prompt, config);
        const valid = consistent.filter((mask) => mask.valid);
        expect(halfFirst.length).withContext("some views' top score is the half").toBeGreaterThanOrEqual(1);
        for (const mask of valid) {
            expect(BinaryMaskIou(mask.mask!, opacity[mask.frameIndex], 0.5)).withContext(`frame ${mask.frameIndex}: the sphere, whole`).toBeGreaterThan(0.9);
            expect([0.9, 0.95]).withContext("the chosen candidate's predicted IoU").toContain(mask.iou!);
        }
        const halves = byScore.filter((mask) => mask.valid && BinaryMaskIou(mask.mask!, opacity[mask.frameIndex], 0.5) < 0.7);
        expect(halves.length).withContext("the decoder's own choice keeps the halves").toBe(halfFirst.length);
    });

    it("combines objects' masks into one mask set: labels 1..K, frames counted only where every object has a mask", () => {
        const frame = (valid: boolean, fill: number, iou: number): FrameMask => ({ frameIndex: 0, valid, visibleFraction: 1, width: 2, height: 2, iou, mask: valid ? new Uint8Array([fill, fill, 0, 0]) : undefined });
        const one = MaskSetFromObjects([{ name: "a", frames: [frame(true, 255, 0.01), frame(false, 0, 1)] }], 0.05, "test");
        expect(one.objects).toEqual([{ id: 1, name: "a" }]);
        expect(one.weights).withContext("predicted IoU clamped to the floor; an invalid frame is skipped").toEqual([0.05, 0]);
        expect(Array.from(one.labels[0])).toEqual([1, 1, 0, 0]);
        const two = MaskSetFromObjects(
            [
                { name: "a", frames: [frame(true, 255, 0.9), frame(true, 255, 0.8)] },
                { name: "b", frames: [{ ...frame(true, 0, 0.7), mask: new Uint8Array([0, 255, 255, 0]) }, frame(false, 0, 1)] },
            ],
            0.05,
            "test"
        );
        expect(two.weights[0]).toBeCloseTo(0.8, 6);
        expect(two.weights[1]).withContext("object b is missing from frame 1").toBe(0);
        expect(Array.from(two.labels[0])).withContext("the later object wins where masks overlap").toEqual([1, 2, 2, 0]);
        expect(() => MaskSetFromObjects([], 0.05, "none")).toThrowError(/no object to fuse/);
    });
});

import * as ort from "onnxruntime-web";
import type { RgbaImage } from "@plugin/core/image/rgbaImage";
import { ConfigureOnnxRuntime } from "@plugin/core/onnx/onnxRuntimeSetup";
import { BuiltinSamModelName, BuiltinSamModelUrls } from "@plugin/core/sam/builtinModel";
import { BuildBuiltinSamDecoder, BuildBuiltinSamEncoder } from "@tools/models/builtinModelGraphs";
import { DetectSamFamily, SamAdapterFor, SamSignatureOf } from "@plugin/core/sam/samAdapters";
import type { SamModelAdapter, SamSessions } from "@plugin/core/sam/samModelAdapter";
import type { SamImageEmbedding, SamMaskResult, SamPrompt, SamViewImage } from "@plugin/core/sam/samTypes";
import { SamSessionOptions } from "@plugin/core/sam/samSessionOptions";
import { LoadTabletopFrameAsync, MaskIou, ObjectClicks } from "@test/helpers/samTestImages";

/** An image of filled rectangles on grey, and the mask of each rectangle. */
function Rectangles(width: number, height: number, rectangles: { x0: number; y0: number; x1: number; y1: number; rgb: [number, number, number] }[]): { image: RgbaImage; masks: Uint8Array[] } {
    const data = new Uint8ClampedArray(width * height * 4);
    const masks = rectangles.map(() => new Uint8Array(width * height));
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            const index = rectangles.findIndex((r) => x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1);
            data.set(index >= 0 ? [...rectangles[index].rgb, 255] : [128, 128, 128, 255], (y * width + x) * 4);
            if (index >= 0) {
                masks[index][y * width + x] = 1;
            }
        }
    }
    return { image: { width, height, data }, masks };
}

async function SessionsAsync(provider: "wasm" | "webgpu", encoder: Uint8Array, decoder: Uint8Array): Promise<SamSessions> {
    return {
        encoder: await ort.InferenceSession.create(encoder, SamSessionOptions(provider, "NCHW")),
        decoder: await ort.InferenceSession.create(decoder, SamSessionOptions(provider, "NCHW")),
    };
}

async function ReleaseAsync(sessions: SamSessions): Promise<void> {
    await sessions.encoder.release();
    await sessions.decoder.release();
}

/** Lets karma's socket breathe between long wasm runs (they resolve through microtasks only). */
function YieldAsync(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}

describe("the built-in affinity segmenter (stand-in, not SAM)", () => {
    const encoderBytes = BuildBuiltinSamEncoder();
    const decoderBytes = BuildBuiltinSamDecoder();
    const adapter: SamModelAdapter = SamAdapterFor("builtin");
    let sessions: SamSessions;

    beforeAll(async () => {
        ConfigureOnnxRuntime(ort);
        sessions = await SessionsAsync("wasm", encoderBytes, decoderBytes);
    });

    afterAll(async () => ReleaseAsync(sessions));

    async function DecodeAsync(image: SamViewImage, prompts: SamPrompt[], multimask = true): Promise<SamMaskResult[]> {
        const embedding = await adapter.embedAsync(ort, sessions, image, { modelId: "builtin", imageKey: "synthetic" });
        const results: SamMaskResult[] = [];
        for (const prompt of prompts) {
            results.push(await adapter.decodeAsync(ort, sessions, embedding, prompt, { multimask }));
        }
        return results;
    }

    it("ships model files that are exactly what builtinModelGraphs builds (run `npm run generate:models` after changing it)", async () => {
        const urls = BuiltinSamModelUrls();
        const [encoder, decoder] = await Promise.all([urls.encoder, urls.decoder].map(async (url) => new Uint8Array(await (await fetch(url)).arrayBuffer())));
        expect(encoder.byteLength).withContext(urls.encoder).toBe(encoderBytes.byteLength);
        expect(decoder.byteLength).withContext(urls.decoder).toBe(decoderBytes.byteLength);
        expect(encoder.every((byte, i) => byte === encoderBytes[i])).withContext("encoder bytes").toBeTrue();
        expect(decoder.every((byte, i) => byte === decoderBytes[i])).withContext("decoder bytes").toBeTrue();
        expect(BuiltinSamModelName).toContain("not SAM");
    });

    it("has SAM's exact interface", () => {
        const signature = SamSignatureOf(sessions);
        expect(signature.encoderInputs).toEqual(["image", "depth"]);
        expect(signature.encoderOutputs).toEqual(["image_embeddings"]);
        expect(signature.decoderInputs).toEqual(["image_embeddings", "point_coords", "point_labels", "mask_input", "has_mask_input", "orig_im_size"]);
        expect(signature.decoderOutputs).toEqual(["masks", "iou_predictions", "low_res_masks"]);
        expect(DetectSamFamily(signature)).toBe("sam");
        expect(() => adapter.validate(signature)).not.toThrow();
    });

    it("segments a red square on grey from a click on it (IoU > 0.9), with SAM's output shapes", async () => {
        const { image, masks } = Rectangles(160, 120, [{ x0: 50, y0: 30, x1: 98, y1: 78, rgb: [200, 30, 30] }]);
        const embedding = await adapter.embedAsync(ort, sessions, image, { modelId: "builtin", imageKey: "square" });
        expect(embedding.tensors.image_embeddings.dims).toEqual([1, 256, 64, 64]);
        const [result] = await DecodeAsync(image, [{ points: [{ x: 74, y: 54, label: 1 }] }]);
        expect(MaskIou(result.mask, masks[0])).toBeGreaterThan(0.9);
        expect(result.candidateIous.length).toBe(3);
        expect(result.iou).toBe(Math.max(...result.candidateIous));
        expect(result.lowRes.length).toBe(256 * 256);
        const raw = await sessions.decoder.run({
            image_embeddings: new ort.Tensor("float32", embedding.tensors.image_embeddings.data, [1, 256, 64, 64]),
            point_coords: new ort.Tensor("float32", new Float32Array([74 * 6.4, 54 * 6.4, 0, 0]), [1, 2, 2]),
            point_labels: new ort.Tensor("float32", new Float32Array([1, -1]), [1, 2]),
            mask_input: new ort.Tensor("float32", new Float32Array(256 * 256), [1, 1, 256, 256]),
            has_mask_input: new ort.Tensor("float32", new Float32Array([0]), [1]),
            orig_im_size: new ort.Tensor("float32", new Float32Array([120, 160]), [2]),
        });
        expect(raw.masks.dims).toEqual([1, 3, 120, 160]);
        expect(raw.iou_predictions.dims).toEqual([1, 3]);
        expect(raw.low_res_masks.dims).toEqual([1, 3, 256, 256]);
    });

    it("follows a box (labels 2/3) without clicks, negative clicks, mask_input and multimask: false", async () => {
        const { image, masks } = Rectangles(160, 120, [
            { x0: 20, y0: 30, x1: 60, y1: 70, rgb: [30, 60, 200] },
            { x0: 60, y0: 30, x1: 100, y1: 70, rgb: [30, 60, 200] },
            { x0: 110, y0: 40, x1: 150, y1: 90, rgb: [40, 170, 60] },
        ]);
        const both = masks[0].map((v, i) => v | masks[1][i]);
        const [whole, box, split, empty] = await DecodeAsync(image, [
            { points: [{ x: 30, y: 50, label: 1 }] },
            { points: [], box: { x0: 106, y0: 36, x1: 154, y1: 94 } },
            { points: [{ x: 30, y: 50, label: 1 }, { x: 90, y: 50, label: 0 }] },
            { points: [], maskInput: new Float32Array(256 * 256) },
        ]);
        expect(MaskIou(whole.mask, both)).withContext("a click on a two-part blue bar gives the whole bar").toBeGreaterThan(0.9);
        expect(MaskIou(box.mask, masks[2])).withContext("a box around the green rectangle").toBeGreaterThan(0.9);
        expect(MaskIou(split.mask, masks[0])).withContext("a negative click on the bar's right half").toBeGreaterThan(0.8);
        expect(empty.mask.some((v) => v > 0)).withContext("an all-zero mask input alone gives nothing").toBeFalse();
        const [firstOnly] = await DecodeAsync(image, [{ points: [{ x: 30, y: 50, label: 1 }] }], false);
        expect(firstOnly.chosen).withContext("multimask: false takes candidate 0").toBe(0);
        const embedding = await adapter.embedAsync(ort, sessions, image, { modelId: "builtin", imageKey: "bars" });
        const again = await adapter.decodeAsync(ort, sessions, embedding, { points: [{ x: 30, y: 50, label: 1 }], maskInput: whole.lowRes }, {});
        const fromMaskAlone = await adapter.decodeAsync(ort, sessions, embedding, { points: [], maskInput: whole.lowRes }, {});
        expect(MaskIou(again.mask, both)).withContext("the same click refined with its own low-res mask").toBeGreaterThan(0.95);
        expect(MaskIou(fromMaskAlone.mask, both)).withContext("the previous low-res mask alone").toBeGreaterThan(0.9);
    });

    it("with the view's depth, stops at depth edges where colours match and keeps an object seen whole in one piece", async () => {
        // a grey-blue box in front (depth 2) touching an identical one behind (depth 3), on a far wall (depth 9)
        const { image, masks } = Rectangles(160, 120, [
            { x0: 20, y0: 30, x1: 70, y1: 90, rgb: [70, 90, 160] },
            { x0: 70, y0: 30, x1: 120, y1: 90, rgb: [70, 90, 160] },
        ]);
        const depthOf = (front: Uint8Array, back: Uint8Array): Float32Array => Float32Array.from(front, (v, i) => (v ? 2 : back[i] ? 3 : 9));
        const click: SamPrompt = { points: [{ x: 40, y: 60, label: 1 }] };
        const [colourOnly] = await DecodeAsync(image, [click]);
        const [withDepth] = await DecodeAsync({ ...image, depth: depthOf(masks[0], masks[1]) }, [click]);
        const both = masks[0].map((v, i) => v | masks[1][i]);
        expect(MaskIou(colourOnly.mask, both)).withContext("without depth the two same-coloured boxes are one region").toBeGreaterThan(0.9);
        expect(MaskIou(withDepth.mask, masks[0])).withContext("with depth the click keeps to the front box").toBeGreaterThan(0.9);
        // a red-over-blue object at depth 2 before the wall, seen whole: one click on red takes it all
        const twoColour = Rectangles(160, 120, [
            { x0: 50, y0: 20, x1: 110, y1: 55, rgb: [200, 40, 40] },
            { x0: 50, y0: 55, x1: 110, y1: 100, rgb: [40, 60, 200] },
        ]);
        const object = twoColour.masks[0].map((v, i) => v | twoColour.masks[1][i]);
        const redClick: SamPrompt = { points: [{ x: 80, y: 35, label: 1 }] };
        const [redOnly] = await DecodeAsync(twoColour.image, [redClick]);
        const [whole] = await DecodeAsync({ ...twoColour.image, depth: Float32Array.from(object, (v) => (v ? 2 : 9)) }, [redClick]);
        expect(MaskIou(redOnly.mask, twoColour.masks[0])).withContext("without depth: the red part").toBeGreaterThan(0.9);
        expect(MaskIou(whole.mask, object)).withContext("with depth: the whole object").toBeGreaterThan(0.9);
        // the same red box standing on a blue floor that runs out of the image at the same depth: not joined
        const onFloor = Rectangles(160, 120, [
            { x0: 50, y0: 20, x1: 110, y1: 55, rgb: [200, 40, 40] },
            { x0: 0, y0: 55, x1: 160, y1: 120, rgb: [40, 60, 200] },
        ]);
        const floorDepth = Float32Array.from({ length: 160 * 120 }, (_, i) => (onFloor.masks[0][i] ? 2 : onFloor.masks[1][i] ? 2 + (Math.floor(i / 160) - 55) * 0.002 : 9));
        const [box] = await DecodeAsync({ ...onFloor.image, depth: floorDepth }, [redClick]);
        expect(MaskIou(box.mask, onFloor.masks[0])).withContext("with depth: the box without the floor it stands on").toBeGreaterThan(0.9);
        // unknown depth everywhere is the colour-only model
        const [unknown] = await DecodeAsync({ ...image, depth: new Float32Array(160 * 120) }, [click]);
        expect(MaskIou(unknown.mask, colourOnly.mask)).withContext("all-zero depth").toBe(1);
    });

    it("with depth, joins an object's parts of other colours that lie a little behind it or run out of the frame", async () => {
        // a red body at depth 2 with a blue post below it, 15 % farther (a stand behind a mic's
        // body), and a blue cable 2 px wide from the post out through the image's bottom edge
        const blue: [number, number, number] = [40, 60, 200];
        const { image, masks } = Rectangles(160, 120, [
            { x0: 50, y0: 20, x1: 110, y1: 55, rgb: [200, 40, 40] },
            { x0: 74, y0: 55, x1: 86, y1: 80, rgb: blue },
            { x0: 79, y0: 80, x1: 81, y1: 120, rgb: blue },
        ]);
        const object = masks[0].map((v, i) => v | masks[1][i] | masks[2][i]);
        const depth = Float32Array.from(object, (_, i) => (masks[0][i] ? 2 : masks[1][i] || masks[2][i] ? 2.3 : 9));
        const [result] = await DecodeAsync({ ...image, depth }, [{ points: [{ x: 80, y: 35, label: 1 }] }]);
        const cable = masks[2].reduce((sum, v) => sum + v, 0);
        const cableKept = masks[2].reduce((sum, v, i) => sum + (v && result.mask[i] ? 1 : 0), 0) / cable;
        expect(MaskIou(result.mask, object)).withContext("body, post and cable").toBeGreaterThan(0.9);
        expect(cableKept).withContext("share of the cable cut by the frame").toBeGreaterThan(0.8);
    });

    it("on tabletop frames with their true depth, segments every visible object at least as well as from colour (mean IoU)", async () => {
        const report: string[] = [];
        for (const frameIndex of [0, 12]) {
            const frame = await LoadTabletopFrameAsync(frameIndex);
            const colour = await adapter.embedAsync(ort, sessions, frame.image, { modelId: "builtin", imageKey: `tabletop-${frameIndex}` });
            const depth = await adapter.embedAsync(ort, sessions, { ...frame.image, depth: frame.depth }, { modelId: "builtin", imageKey: `tabletop-${frameIndex}-depth` });
            const ious = { colour: [] as number[], depth: [] as number[] };
            for (const click of ObjectClicks(frame, 200, 2)) {
                const prompt: SamPrompt = { points: [{ x: click.x, y: click.y, label: 1 }] };
                ious.colour.push(MaskIou((await adapter.decodeAsync(ort, sessions, colour, prompt, {})).mask, click.mask));
                ious.depth.push(MaskIou((await adapter.decodeAsync(ort, sessions, depth, prompt, {})).mask, click.mask));
                await YieldAsync();
            }
            const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
            report.push(`frame ${frameIndex}: colour ${ious.colour.map((v) => v.toFixed(3)).join(",")}; depth ${ious.depth.map((v) => v.toFixed(3)).join(",")}`);
            expect(Math.min(...ious.depth)).withContext(`frame ${frameIndex}: worst object with depth`).toBeGreaterThan(0.7);
            expect(mean(ious.depth)).withContext(`frame ${frameIndex}: mean IoU with depth vs colour`).toBeGreaterThanOrEqual(mean(ious.colour) - 0.01);
        }
        console.info(`built-in model with true depth, tabletop: ${report.join("; ")}`);
    });

    for (const frameIndex of [0, 12]) {
        it(`segments every clearly visible object of tabletop frame ${frameIndex} from a click near its centroid (IoU > 0.7)`, async () => {
            const frame = await LoadTabletopFrameAsync(frameIndex);
            const embedding = await adapter.embedAsync(ort, sessions, frame.image, { modelId: "builtin", imageKey: `tabletop-${frameIndex}` });
            const clicks = ObjectClicks(frame, 200, 2);
            expect(clicks.length).toBeGreaterThanOrEqual(4);
            const report: string[] = [];
            for (const click of clicks) {
                const result = await adapter.decodeAsync(ort, sessions, embedding, { points: [{ x: click.x, y: click.y, label: 1 }] }, {});
                const iou = MaskIou(result.mask, click.mask);
                report.push(`object ${click.id} (${click.pixels} px, click ${click.x},${click.y}): IoU ${iou.toFixed(3)}`);
                expect(iou).withContext(`frame ${frameIndex} object ${click.id}`).toBeGreaterThan(0.7);
                await YieldAsync();
            }
            console.info(`built-in model, tabletop frame ${frameIndex}: ${report.join("; ")}`);
        });
    }

    it("gives the same masks on the webgpu execution provider as on wasm (IoU > 0.95)", async () => {
        const gpuSessions = await SessionsAsync("webgpu", encoderBytes, decoderBytes);
        try {
            const frame = await LoadTabletopFrameAsync(0);
            const cpuEmbedding: SamImageEmbedding = await adapter.embedAsync(ort, sessions, frame.image, { modelId: "builtin", imageKey: "tabletop-0" });
            const gpuEmbedding: SamImageEmbedding = await adapter.embedAsync(ort, gpuSessions, frame.image, { modelId: "builtin", imageKey: "tabletop-0" });
            const cpuData = cpuEmbedding.tensors.image_embeddings.data;
            const gpuData = gpuEmbedding.tensors.image_embeddings.data;
            const largest = cpuData.reduce((max, v, i) => Math.max(max, Math.abs(v - gpuData[i])), 0);
            expect(largest).withContext("largest embedding difference").toBeLessThan(1e-3);
            const report: string[] = [];
            for (const click of ObjectClicks(frame, 200, 2)) {
                const prompt: SamPrompt = { points: [{ x: click.x, y: click.y, label: 1 }] };
                const cpu = await adapter.decodeAsync(ort, sessions, cpuEmbedding, prompt, {});
                const gpu = await adapter.decodeAsync(ort, gpuSessions, gpuEmbedding, prompt, {});
                const agreement = MaskIou(gpu.mask, cpu.mask.map((v) => (v ? 1 : 0)));
                report.push(`object ${click.id}: ${agreement.toFixed(4)}`);
                expect(agreement).withContext(`object ${click.id}`).toBeGreaterThan(0.95);
                await YieldAsync();
            }
            console.info(`built-in model, webgpu vs wasm mask IoU: ${report.join("; ")}`);
        } finally {
            await ReleaseAsync(gpuSessions);
        }
    });
});

import * as ort from "onnxruntime-web";
import type { RgbaImage } from "@plugin/core/image/rgbaImage";
import { ConfigureOnnxRuntime } from "@plugin/core/onnx/onnxRuntimeSetup";
import { DetectSamFamily, SamAdapterFor, SamSignatureOf } from "@plugin/core/sam/samAdapters";
import { ValidateSamSignature } from "@plugin/core/sam/samInterfaces";
import type { SamSessions } from "@plugin/core/sam/samModelAdapter";
import { SamModelMismatchError } from "@plugin/core/sam/samModelMismatchError";
import { SamSessionOptions } from "@plugin/core/sam/samSessionOptions";
import type { SamModelFamily, SamPrompt } from "@plugin/core/sam/samTypes";
import { BuildEfficientSamInterfaceModels, BuildSam2InterfaceModels, BuildSamInterfaceModels, DiscMask, ProbeIous, ProbeRadii, ProbeSam2Size, type ModelPair } from "@test/helpers/interfaceModels";
import { MaskIou } from "@test/helpers/samTestImages";

function GreyImage(width: number, height: number): RgbaImage {
    const data = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < width * height; i++) {
        data.set([(i * 7) % 255, (i * 13) % 255, 128, 255], i * 4);
    }
    return { width, height, data };
}

async function SessionsAsync(pair: ModelPair): Promise<SamSessions> {
    return {
        encoder: await ort.InferenceSession.create(pair.encoder, SamSessionOptions("wasm")),
        decoder: await ort.InferenceSession.create(pair.decoder, SamSessionOptions("wasm")),
    };
}

interface FamilyCase {
    readonly family: SamModelFamily;
    readonly build: () => ModelPair;
    readonly width: number;
    readonly height: number;
    /** Sum of the labels the decoder sees for one positive click (SAM adds the padding point -1). */
    readonly clickLabelSum: number;
}

const Cases: FamilyCase[] = [
    { family: "sam", build: () => BuildSamInterfaceModels(), width: 96, height: 64, clickLabelSum: 0 },
    { family: "efficientsam", build: BuildEfficientSamInterfaceModels, width: 96, height: 64, clickLabelSum: 1 },
    { family: "sam2", build: BuildSam2InterfaceModels, width: ProbeSam2Size, height: ProbeSam2Size, clickLabelSum: 1 },
];

describe("SAM-family model adapters on models of each interface (onnxruntime-web, wasm)", () => {
    beforeAll(() => ConfigureOnnxRuntime(ort));

    for (const c of Cases) {
        describe(c.family, () => {
            let sessions: SamSessions;
            beforeAll(async () => (sessions = await SessionsAsync(c.build())));
            afterAll(async () => {
                await sessions.encoder.release();
                await sessions.decoder.release();
            });

            it("is detected from its tensor names and validates", () => {
                const signature = SamSignatureOf(sessions);
                expect(DetectSamFamily(signature)).toBe(c.family);
                expect(() => SamAdapterFor(c.family).validate(signature)).not.toThrow();
            });

            it("maps a click to the model's frame and the masks back to the image (disc around the click, best predicted IoU)", async () => {
                const adapter = SamAdapterFor(c.family);
                const image = GreyImage(c.width, c.height);
                const embedding = await adapter.embedAsync(ort, sessions, image, { modelId: c.family, imageKey: "grey" });
                for (const tensor of Object.values(embedding.tensors)) {
                    expect(tensor.data.length).toBe(tensor.dims.reduce((a, b) => a * b, 1));
                }
                for (const [x, y] of [[30, 20], [70.5, 41]]) {
                    const result = await adapter.decodeAsync(ort, sessions, embedding, { points: [{ x, y, label: 1 }] }, {});
                    expect([result.width, result.height]).toEqual([c.width, c.height]);
                    expect(result.chosen).withContext("candidate with the best predicted IoU").toBe(1);
                    expect(result.iou).toBeCloseTo(ProbeIous[1] + 0.001 * c.clickLabelSum, 5);
                    const iou = MaskIou(result.mask, DiscMask(c.width, c.height, x, y, ProbeRadii[1]));
                    expect(iou).withContext(`click ${x},${y}`).toBeGreaterThan(0.9);
                    expect(result.lowRes.length).toBe(256 * 256);
                    expect(result.candidateMasks).withContext("candidate masks only when asked for").toBeUndefined();
                    const every = await adapter.decodeAsync(ort, sessions, embedding, { points: [{ x, y, label: 1 }] }, { allCandidates: true });
                    expect(every.candidateMasks!.length).toBe(every.candidateIous.length);
                    expect(every.candidateMasks![every.chosen]).withContext("the chosen candidate is the mask").toEqual(every.mask);
                    every.candidateMasks!.forEach((mask, k) => expect(MaskIou(mask, DiscMask(c.width, c.height, x, y, ProbeRadii[k]))).withContext(`candidate ${k}`).toBeGreaterThan(0.8));
                    const single = await adapter.decodeAsync(ort, sessions, embedding, { points: [{ x, y, label: 1 }] }, { multimask: false });
                    expect(single.chosen).withContext("multimask: false takes the first candidate").toBe(0);
                }
            });

            it("sends a box as labels 2 and 3 (and no padding point)", async () => {
                const adapter = SamAdapterFor(c.family);
                const embedding = await adapter.embedAsync(ort, sessions, GreyImage(c.width, c.height), { modelId: c.family, imageKey: "grey" });
                const prompt: SamPrompt = { points: [{ x: 40, y: 30, label: 1 }], box: { x0: 20, y0: 10, x1: 60, y1: 50 } };
                const result = await adapter.decodeAsync(ort, sessions, embedding, prompt, {});
                expect(result.iou).toBeCloseTo(ProbeIous[1] + 0.001 * (1 + 2 + 3), 5);
            });

            it("refuses prompts it cannot send", async () => {
                const adapter = SamAdapterFor(c.family);
                const embedding = await adapter.embedAsync(ort, sessions, GreyImage(c.width, c.height), { modelId: c.family, imageKey: "grey" });
                await expectAsync(adapter.decodeAsync(ort, sessions, embedding, { points: [{ x: NaN, y: 3, label: 1 }] }, {})).toBeRejectedWithError(/non-finite/);
                await expectAsync(adapter.decodeAsync(ort, sessions, embedding, { points: [] }, {})).toBeRejectedWithError(/empty|at least one/);
            });
        });
    }

    it("passes mask_input / has_mask_input through for refinement (SAM interface)", async () => {
        const sessions = await SessionsAsync(BuildSamInterfaceModels());
        const adapter = SamAdapterFor("sam");
        const embedding = await adapter.embedAsync(ort, sessions, GreyImage(96, 64), { modelId: "sam", imageKey: "grey" });
        const first = await adapter.decodeAsync(ort, sessions, embedding, { points: [{ x: 30, y: 20, label: 1 }] }, {});
        expect(first.lowRes.every((v) => v === 0)).withContext("no mask input: has_mask_input 0").toBeTrue();
        const previous = Float32Array.from({ length: 256 * 256 }, (_, i) => (i % 97) - 48);
        const refined = await adapter.decodeAsync(ort, sessions, embedding, { points: [{ x: 30, y: 20, label: 1 }], maskInput: previous }, {});
        expect(Array.from(refined.lowRes.subarray(0, 500))).toEqual(Array.from(previous.subarray(0, 500)));
        await sessions.encoder.release();
        await sessions.decoder.release();
    });

    it("refuses a model whose names do not fit, listing expected vs found, and spots swapped files", async () => {
        const sam = await SessionsAsync(BuildSamInterfaceModels());
        const efficient = await SessionsAsync(BuildEfficientSamInterfaceModels());
        const mixed = SamSignatureOf({ encoder: efficient.encoder, decoder: sam.decoder });
        let error: unknown;
        try {
            ValidateSamSignature("sam", mixed);
        } catch (caught) {
            error = caught;
        }
        expect(error).toBeInstanceOf(SamModelMismatchError);
        const message = (error as Error).message;
        expect(message).toContain("the encoder does not fit the SAM interface");
        expect(message).toContain("found batched_images");
        expect(message).toContain("image | images | input_image | input | x");
        const swapped = SamSignatureOf({ encoder: sam.decoder, decoder: sam.encoder });
        expect(() => ValidateSamSignature("sam", swapped)).toThrowError(SamModelMismatchError, /look swapped/);
        expect(() => ValidateSamSignature("sam2", SamSignatureOf(efficient))).toThrowError(SamModelMismatchError, /fit the efficientsam family/);
        for (const s of [sam, efficient]) {
            await s.encoder.release();
            await s.decoder.release();
        }
    });
});

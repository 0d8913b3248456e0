import { EmbeddingCache } from "@plugin/core/sam/embeddingCache";
import { ChooseSamBackend } from "@plugin/core/sam/samSessionOptions";
import { SamService } from "@plugin/services/samService";
import { BuildEfficientSamInterfaceModels, BuildSamInterfaceModels, DiscMask, ProbeRadii } from "@test/helpers/interfaceModels";
import { LoadTabletopFrameAsync, MaskIou, ObjectClicks } from "@test/helpers/samTestImages";

function ModelFile(bytes: Uint8Array, name: string): File {
    return new File([bytes as BlobPart], name);
}

describe("SamService: the SAM worker (comlink, onnxruntime-web) behind the embedding cache", () => {
    let sam: SamService;

    beforeEach(() => {
        sam = new SamService({ backend: "wasm", cache: new EmbeddingCache({ persistentBytes: 0 }) });
    });

    afterEach(() => sam.dispose());

    it("gives up on a model URL that never answers, with a message naming it, instead of hanging", async () => {
        const impatient = new SamService({ backend: "wasm", cache: new EmbeddingCache({ persistentBytes: 0 }), stallTimeoutMs: 500 });
        try {
            await expectAsync(impatient.loadFromUrlsAsync("/never-answers/encoder.onnx", "/never-answers/decoder.onnx")).toBeRejectedWithError(/\/never-answers\/encoder\.onnx: no answer for the encoder within 0\.5 s/);
            expect(impatient.model).toBeNull();
        } finally {
            impatient.dispose();
        }
    });

    it("loads the built-in model from the page's own origin, embeds once per image and decodes in the worker", async () => {
        const model = await sam.loadBuiltinAsync();
        expect(model.family).toBe("builtin");
        expect(model.backend).toBe("wasm");
        expect(model.name).toContain("not SAM");
        const frame = await LoadTabletopFrameAsync(0);
        const embedding = await sam.embedAsync(frame.image);
        expect(embedding.tensors.image_embeddings.dims).toEqual([1, 256, 64, 64]);
        expect(sam.encoderRuns).toBe(1);
        await sam.embedAsync({ ...frame.image, data: new Uint8ClampedArray(frame.image.data) });
        expect(sam.encoderRuns).withContext("same pixels, another array: a cache hit").toBe(1);
        const click = ObjectClicks(frame, 200, 2)[0];
        const result = await sam.decodeAsync(frame.image, { points: [{ x: click.x, y: click.y, label: 1 }] });
        expect(sam.encoderRuns).withContext("decode reuses the cached embedding").toBe(1);
        expect(sam.decoderRuns).toBe(1);
        expect(MaskIou(result.mask, click.mask)).toBeGreaterThan(0.7);
    });

    it("cancels a decode with an AbortSignal and keeps working", async () => {
        await sam.loadBuiltinAsync();
        const frame = await LoadTabletopFrameAsync(0);
        const embedding = await sam.embedAsync(frame.image);
        const controller = new AbortController();
        const pending = sam.decodeAsync(embedding, { points: [{ x: 40, y: 70, label: 1 }] }, {}, controller.signal);
        controller.abort();
        await expectAsync(pending).toBeRejectedWith(jasmine.objectContaining({ name: "AbortError" }));
        const result = await sam.decodeAsync(embedding, { points: [{ x: 40, y: 70, label: 1 }] });
        expect(result.mask.length).toBe(frame.image.width * frame.image.height);
    });

    it("loads a user's model files, detects the family, and runs it", async () => {
        const pair = BuildSamInterfaceModels();
        const model = await sam.loadFromFilesAsync(ModelFile(pair.encoder, "tiny_encoder.onnx"), ModelFile(pair.decoder, "tiny_decoder.onnx"));
        expect(model.family).toBe("sam");
        expect(model.signature.encoderInputs).toEqual(["images"]);
        const image = { width: 96, height: 64, data: new Uint8ClampedArray(96 * 64 * 4).fill(200) };
        const result = await sam.decodeAsync(image, { points: [{ x: 50, y: 30, label: 1 }] });
        expect(MaskIou(result.mask, DiscMask(96, 64, 50, 30, ProbeRadii[1]))).toBeGreaterThan(0.9);
    });

    it("refuses a model whose inputs do not fit (expected vs found) and leaves no model loaded", async () => {
        await sam.loadBuiltinAsync();
        const sam2 = BuildSamInterfaceModels();
        const efficient = BuildEfficientSamInterfaceModels();
        await expectAsync(sam.loadFromFilesAsync(ModelFile(efficient.encoder, "e.onnx"), ModelFile(sam2.decoder, "d.onnx"), "sam")).toBeRejectedWithError(/encoder does not fit the SAM interface: expected inputs .*found batched_images/);
        expect(sam.model).toBeNull();
        await expectAsync(sam.embedAsync({ width: 2, height: 2, data: new Uint8ClampedArray(16) })).toBeRejectedWithError(/no segmentation model is loaded/);
    });

    it("reports a missing or corrupt model file clearly", async () => {
        await expectAsync(sam.loadFromUrlsAsync("/base/no-such/encoder.onnx", "/base/no-such/decoder.onnx")).toBeRejectedWithError(/no-such\/encoder\.onnx: HTTP 404 for the encoder/);
        const garbage = new Uint8Array(64).fill(7);
        await expectAsync(sam.loadFromFilesAsync(ModelFile(garbage, "broken.onnx"), ModelFile(garbage, "broken2.onnx"))).toBeRejectedWithError(/the encoder \(64 bytes\) could not be loaded on wasm/);
    });

    it("chooses the execution provider automatically and says why", async () => {
        const auto = new SamService({ backend: "auto", cache: new EmbeddingCache({ persistentBytes: 0 }) });
        try {
            const model = await auto.loadBuiltinAsync();
            // CI's adapter is SwiftShader: a software adapter, where wasm is faster.
            const adapter = await navigator.gpu.requestAdapter();
            const software = adapter !== null && /swiftshader/i.test(`${adapter.info.vendor} ${adapter.info.architecture} ${adapter.info.description}`);
            expect(model.backend).toBe(software ? "wasm" : "webgpu");
            expect(model.backendReason).toMatch(software ? /software one: wasm is faster/ : /WebGPU adapter/);
        } finally {
            auto.dispose();
        }
        expect(ChooseSamBackend("auto", { hasWebGpuAdapter: true, softwareAdapter: false, adapterName: "nvidia ampere" })).toEqual({ backend: "webgpu", reason: "WebGPU adapter nvidia ampere" });
        expect(ChooseSamBackend("webgpu", { hasWebGpuAdapter: false, softwareAdapter: false, adapterName: "none" }).backend).toBe("wasm");
        expect(ChooseSamBackend("wasm", { hasWebGpuAdapter: true, softwareAdapter: false, adapterName: "x" }).backend).toBe("wasm");
    });

    it("runs the built-in model on the WebGPU execution provider when asked", async () => {
        const gpu = new SamService({ backend: "webgpu", cache: new EmbeddingCache({ persistentBytes: 0 }) });
        try {
            const model = await gpu.loadBuiltinAsync();
            expect(model.backend).toBe("webgpu");
            const frame = await LoadTabletopFrameAsync(0);
            const click = ObjectClicks(frame, 200, 2)[0];
            const result = await gpu.decodeAsync(frame.image, { points: [{ x: click.x, y: click.y, label: 1 }] });
            expect(MaskIou(result.mask, click.mask)).toBeGreaterThan(0.7);
        } finally {
            gpu.dispose();
        }
    });
});

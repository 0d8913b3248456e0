import * as ort from "onnxruntime-web";
import { OnnxGraphBuilder } from "@tools/models/onnxGraphBuilder";
import { ConfigureOnnxRuntime, DefaultOnnxWasmBaseUrl } from "@plugin/core/onnx/onnxRuntimeSetup";
import { RandomFloats } from "@test/helpers/random";

/** y = relu(x @ W + b) with x [2,3], W [3,4], b [4]. */
function TinyModel(weights: Float32Array, bias: Float32Array): Uint8Array {
    const graph = new OnnxGraphBuilder("tiny");
    const x = graph.input("x", "float32", [2, 3]);
    const w = graph.constant("W", weights, [3, 4]);
    const b = graph.constant("b", bias, [4]);
    const product = graph.node("MatMul", [x, w]);
    const sum = graph.node("Add", [product, b]);
    graph.node("Relu", [sum], {}, "y");
    graph.output("y", "float32", [2, 4]);
    return graph.toBytes();
}

function Expected(x: Float32Array, w: Float32Array, b: Float32Array): number[] {
    const y: number[] = [];
    for (let r = 0; r < 2; r++) {
        for (let c = 0; c < 4; c++) {
            let s = b[c];
            for (let k = 0; k < 3; k++) {
                s += x[r * 3 + k] * w[k * 4 + c];
            }
            y.push(Math.max(0, s));
        }
    }
    return y;
}

describe("onnxruntime-web from the locally served wasm", () => {
    const weights = RandomFloats(12, 11);
    const bias = RandomFloats(4, 12);
    const x = RandomFloats(6, 13);

    beforeAll(() => ConfigureOnnxRuntime(ort));

    for (const provider of ["wasm", "webgpu"] as const) {
        it(`runs a tiny MatMul/Add/Relu graph on the ${provider} execution provider`, async () => {
            const session = await ort.InferenceSession.create(TinyModel(weights, bias), { executionProviders: [provider] });
            const result = await session.run({ x: new ort.Tensor("float32", x, [2, 3]) });
            const y = Array.from(result.y.data as Float32Array);
            const expected = Expected(x, weights, bias);
            y.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 4));
            expect(result.y.dims).toEqual([2, 4]);
            await session.release();
        });
    }

    it("loaded its wasm from this page's own origin", () => {
        const base = DefaultOnnxWasmBaseUrl();
        expect(new URL(base).origin).toBe(location.origin);
        const wasm = performance.getEntriesByType("resource").filter((entry) => entry.name.endsWith(".wasm"));
        expect(wasm.length).toBeGreaterThan(0);
        wasm.forEach((entry) => expect(entry.name.startsWith(base)).withContext(entry.name).toBeTrue());
    });
});

// Checks a freshly built built-in model pair the way the plugin will use it: onnxruntime-web
// sessions on the wasm execution provider, driven by the "builtin" adapter, on a synthetic image
// (a red square on grey) clicked at the square's centre.
import type * as Ort from "onnxruntime-web";
import type { RgbaImage } from "../../plugin/core/image/rgbaImage";
import { SamAdapterFor, SamSignatureOf } from "../../plugin/core/sam/samAdapters";
import { BinaryMaskIou } from "../../plugin/core/evaluation/maskMetrics";

/** One self-check of the generator. */
export interface ModelCheck {
    /** Short name. */
    readonly name: string;
    /** Whether it passed. */
    readonly ok: boolean;
    /** Measured figures. */
    readonly detail: string;
}

/** A red square on a grey background, and the square's mask. */
function RedSquare(width: number, height: number, x0: number, y0: number, side: number): { image: RgbaImage; truth: Uint8Array } {
    const data = new Uint8ClampedArray(width * height * 4);
    const truth = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            const inside = x >= x0 && x < x0 + side && y >= y0 && y < y0 + side;
            data.set(inside ? [200, 30, 30, 255] : [128, 128, 128, 255], (y * width + x) * 4);
            truth[y * width + x] = inside ? 1 : 0;
        }
    }
    return { image: { width, height, data }, truth };
}

/**
 * Runs the model pair on a red square and reports the mask's IoU and the interface check.
 * @param ort the onnxruntime-web module (configured)
 * @param encoder encoder .onnx bytes
 * @param decoder decoder .onnx bytes
 * @returns the checks
 */
export async function CheckBuiltinModelAsync(ort: typeof Ort, encoder: Uint8Array, decoder: Uint8Array): Promise<ModelCheck[]> {
    const sessions = {
        encoder: await ort.InferenceSession.create(encoder, { executionProviders: ["wasm"] }),
        decoder: await ort.InferenceSession.create(decoder, { executionProviders: ["wasm"] }),
    };
    const checks: ModelCheck[] = [];
    try {
        const adapter = SamAdapterFor("builtin");
        const signature = SamSignatureOf(sessions);
        adapter.validate(signature);
        checks.push({ name: "SAM interface", ok: true, detail: `encoder ${signature.encoderInputs.join(",")} -> ${signature.encoderOutputs.join(",")}; decoder ${signature.decoderInputs.join(",")} -> ${signature.decoderOutputs.join(",")}` });
        const { image, truth } = RedSquare(160, 120, 50, 30, 48);
        const embedding = await adapter.embedAsync(ort, sessions, image, { modelId: "builtin-check", imageKey: "red-square" });
        const result = await adapter.decodeAsync(ort, sessions, embedding, { points: [{ x: 74, y: 54, label: 1 }] }, {});
        const iou = BinaryMaskIou(result.mask, truth);
        checks.push({ name: "red square on grey, click at its centre", ok: iou > 0.9, detail: `IoU ${iou.toFixed(3)}, predicted IoU ${result.iou.toFixed(3)} (candidate ${result.chosen})` });
    } finally {
        await sessions.encoder.release();
        await sessions.decoder.release();
    }
    return checks;
}

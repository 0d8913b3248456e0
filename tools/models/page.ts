// The built-in model generator page (dist/app/models.html), driven by `npm run generate:models`
// (tools/models/generate.mjs): `window.sanerfModels.generateAsync({ uploadPrefix })` builds the
// built-in encoder and decoder with the plugin's TypeScript graph code (builtinModelGraphs.ts),
// checks them with onnxruntime-web and PUTs them as builtin-encoder.onnx / builtin-decoder.onnx.
import * as ort from "onnxruntime-web";
import { ConfigureOnnxRuntime } from "../../plugin/core/onnx/onnxRuntimeSetup";
import { BuildBuiltinSamDecoder, BuildBuiltinSamEncoder } from "./builtinModelGraphs";
import { CheckBuiltinModelAsync, type ModelCheck } from "./builtinModelCheck";

/** What the Node script asks for. */
interface ModelsConfig {
    /** URL prefix the .onnx files are PUT under, e.g. "/__out/". */
    readonly uploadPrefix: string;
}

/** What one generation produced. */
interface ModelsReport {
    readonly files: readonly { name: string; bytes: number; sha256: string }[];
    readonly checks: readonly ModelCheck[];
}

declare global {
    interface Window {
        /** The generator's API, set once the page is ready. */
        sanerfModels?: { generateAsync(config: ModelsConfig): Promise<ModelsReport> };
    }
}

async function Sha256Async(bytes: Uint8Array): Promise<string> {
    const digest = await crypto.subtle.digest("SHA-256", bytes as BufferSource);
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function GenerateAsync(config: ModelsConfig): Promise<ModelsReport> {
    const models = { "builtin-encoder.onnx": BuildBuiltinSamEncoder(), "builtin-decoder.onnx": BuildBuiltinSamDecoder() };
    const checks = await CheckBuiltinModelAsync(ort, models["builtin-encoder.onnx"], models["builtin-decoder.onnx"]);
    const files: { name: string; bytes: number; sha256: string }[] = [];
    if (checks.every((check) => check.ok)) {
        for (const [name, bytes] of Object.entries(models)) {
            const response = await fetch(config.uploadPrefix + name, { method: "PUT", body: bytes as BodyInit });
            if (!response.ok) {
                throw new Error(`PUT ${config.uploadPrefix + name} failed: ${response.status} ${await response.text()}`);
            }
            files.push({ name, bytes: bytes.byteLength, sha256: await Sha256Async(bytes) });
        }
    }
    return { files, checks };
}

ConfigureOnnxRuntime(ort);
window.sanerfModels = { generateAsync: GenerateAsync };

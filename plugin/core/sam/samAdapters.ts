import { EfficientSamAdapter } from "./efficientSamAdapter";
import { Sam2Adapter } from "./sam2Adapter";
import type { SamModelAdapter } from "./samModelAdapter";
import { SamOnnxAdapter } from "./samOnnxAdapter";
import type { SamModelFamily } from "./samTypes";

export { DetectSamFamily, SamSignatureOf } from "./samInterfaces";

/**
 * The adapter that drives a model family: SAM, MobileSAM and the built-in stand-in share
 * segment-anything's ONNX interface ({@link SamOnnxAdapter}); EfficientSAM and SAM2 have their own.
 * @param family the model family
 * @returns a new adapter for it
 */
export function SamAdapterFor(family: SamModelFamily): SamModelAdapter {
    switch (family) {
        case "sam":
        case "mobilesam":
        case "builtin":
            return new SamOnnxAdapter(family);
        case "efficientsam":
            return new EfficientSamAdapter();
        case "sam2":
            return new Sam2Adapter();
        default:
            throw new RangeError(`unknown SAM model family "${String(family)}"; expected builtin, sam, mobilesam, efficientsam or sam2`);
    }
}

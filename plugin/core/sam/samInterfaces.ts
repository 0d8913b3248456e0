import { SamModelMismatchError, type SamInterfaceMismatch } from "./samModelMismatchError";
import type { SamSessions } from "./samModelAdapter";
import {
    EfficientSamDecoderInputs,
    EfficientSamDecoderOutputs,
    EfficientSamEncoderNames,
    Sam2DecoderInputs,
    Sam2DecoderOutputs,
    Sam2EncoderOutputs,
    SamDecoderInputs,
    SamDecoderOutputs,
    SamEncoderInputAliases,
    SamEncoderOutputAliases,
} from "./samTensorNames";
import type { SamModelFamily, SamModelSignature } from "./samTypes";

/** The names one family needs; an entry "a | b" accepts either name. */
export interface SamInterfaceSpec {
    readonly encoderInputs: readonly string[];
    readonly encoderOutputs: readonly string[];
    readonly decoderInputs: readonly string[];
    readonly decoderOutputs: readonly string[];
}

const SamSpec: SamInterfaceSpec = {
    encoderInputs: [SamEncoderInputAliases.join(" | ")],
    encoderOutputs: [SamEncoderOutputAliases.join(" | ")],
    decoderInputs: Object.values(SamDecoderInputs),
    decoderOutputs: Object.values(SamDecoderOutputs),
};

/** What each family needs (optional names, such as SAM2's `orig_im_size`, are not listed). */
export const SamInterfaceSpecs: Readonly<Record<SamModelFamily, SamInterfaceSpec>> = {
    sam: SamSpec,
    mobilesam: SamSpec,
    builtin: SamSpec,
    efficientsam: {
        encoderInputs: [EfficientSamEncoderNames.image],
        encoderOutputs: [EfficientSamEncoderNames.imageEmbeddings],
        decoderInputs: Object.values(EfficientSamDecoderInputs),
        decoderOutputs: Object.values(EfficientSamDecoderOutputs),
    },
    sam2: {
        encoderInputs: [SamEncoderInputAliases.join(" | ")],
        encoderOutputs: Object.values(Sam2EncoderOutputs),
        decoderInputs: Object.values(Sam2DecoderInputs).filter((name) => name !== Sam2DecoderInputs.origImSize),
        decoderOutputs: [Sam2DecoderOutputs.masks, Sam2DecoderOutputs.iouPredictions],
    },
};

/**
 * The input and output names of a model's two sessions.
 * @param sessions the loaded encoder and decoder
 * @returns their names
 */
export function SamSignatureOf(sessions: SamSessions): SamModelSignature {
    return {
        encoderInputs: [...sessions.encoder.inputNames],
        encoderOutputs: [...sessions.encoder.outputNames],
        decoderInputs: [...sessions.decoder.inputNames],
        decoderOutputs: [...sessions.decoder.outputNames],
    };
}

/**
 * Guesses a model's family from its sessions' names (used when the user does not say):
 * `high_res_feats_*` / `image_embed` mean SAM2, `batched_*` mean EfficientSAM, SAM's decoder names
 * mean "sam". MobileSAM and the built-in model have exactly SAM's interface and cannot be told apart
 * by names; they are driven identically, so "sam" is right for them too. When no interface fits
 * completely, the one with the fewest missing names wins ("sam" on ties), so that validating
 * against it names what is missing.
 * @param signature the sessions' names
 * @returns the family guessed
 */
export function DetectSamFamily(signature: SamModelSignature): SamModelFamily {
    const candidates: SamModelFamily[] = ["sam", "sam2", "efficientsam"];
    const missing = (family: SamModelFamily): number => SamInterfaceMismatches(family, signature).reduce((sum, mismatch) => sum + mismatch.missing.length, 0);
    return candidates.reduce((best, family) => (missing(family) < missing(best) ? family : best));
}

/**
 * Every list of names that does not fit a family's interface.
 * @param family the family to check against
 * @param signature the sessions' names
 * @returns the mismatches (empty when the model fits)
 */
export function SamInterfaceMismatches(family: SamModelFamily, signature: SamModelSignature): SamInterfaceMismatch[] {
    const spec = SamInterfaceSpecs[family];
    return [
        SamModelMismatchError.Compare("encoder", "inputs", spec.encoderInputs, signature.encoderInputs),
        SamModelMismatchError.Compare("encoder", "outputs", spec.encoderOutputs, signature.encoderOutputs),
        SamModelMismatchError.Compare("decoder", "inputs", spec.decoderInputs, signature.decoderInputs),
        SamModelMismatchError.Compare("decoder", "outputs", spec.decoderOutputs, signature.decoderOutputs),
    ].filter((mismatch): mismatch is SamInterfaceMismatch => mismatch !== null);
}

/**
 * Throws a {@link SamModelMismatchError} when the sessions do not fit the family; its message also
 * names the family the names do fit, if any (e.g. encoder and decoder files swapped, or the wrong
 * family chosen).
 * @param family the family to check against
 * @param signature the sessions' names
 */
export function ValidateSamSignature(family: SamModelFamily, signature: SamModelSignature): void {
    const mismatches = SamInterfaceMismatches(family, signature);
    if (mismatches.length === 0) {
        return;
    }
    const detected = DetectSamFamily(signature);
    const detectedFits = SamInterfaceMismatches(detected, signature).length === 0;
    const swapped: SamModelSignature = {
        encoderInputs: signature.decoderInputs,
        encoderOutputs: signature.decoderOutputs,
        decoderInputs: signature.encoderInputs,
        decoderOutputs: signature.encoderOutputs,
    };
    let hint: string | undefined;
    if (detectedFits && SamInterfaceSpecs[detected] !== SamInterfaceSpecs[family]) {
        hint = `These names fit the ${detected} family's interface; load the model as ${detected}`;
    } else if (SamInterfaceMismatches(family, swapped).length === 0) {
        hint = "The encoder and decoder files look swapped";
    }
    throw new SamModelMismatchError(family, mismatches, hint);
}

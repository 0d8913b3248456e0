/**
 * The built-in stand-in segmentation model that ships with the plugin (plugin/models/*.onnx,
 * written by `npm run generate:models` from builtinModelGraphs.ts). It has SAM's exact ONNX
 * interface but no trained weights: a colour-and-position affinity segmenter, not SAM.
 */

/** Display name of the built-in model. */
export const BuiltinSamModelName = "built-in affinity segmenter (lightweight stand-in, not SAM)";

/**
 * URLs of the built-in encoder and decoder. Bundlers (webpack 5 with an `asset/resource` rule for
 * .onnx, Vite) emit the files as assets and rewrite these `new URL(..., import.meta.url)` calls.
 * @returns absolute URLs of the two .onnx files
 */
export function BuiltinSamModelUrls(): { encoder: string; decoder: string } {
    return {
        encoder: new URL("../../models/builtin-encoder.onnx", import.meta.url).href,
        decoder: new URL("../../models/builtin-decoder.onnx", import.meta.url).href,
    };
}

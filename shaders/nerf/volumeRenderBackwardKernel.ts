import source from "./volumeRenderBackward.wgsl";
import { DefineComputeKernel } from "../common/kernelDescriptor";
import { WgslSnippets } from "../common/wgslLibrary";
import { ComposeRayKernel } from "./nerfKernelCommon";

/** Words per grid point in the gradient buffer: density + 12 SH coefficients. */
export const GradWordsPerPoint = 13;

/** touchedState words before the touched bitfield (TOUCHED_BITS_OFFSET of touchedPoints.wgsl). */
export const TouchedBitsOffset = 4;

/**
 * Volume rendering, backward (gradients into the grid, touched-point list); see
 * volumeRenderBackward.wgsl. Pipeline constants DETERMINISTIC / FIXED_POINT_SCALE select the
 * accumulation mode.
 */
export const VolumeRenderBackwardKernel = DefineComputeKernel({
    label: "volumeRenderBackward",
    source: ComposeRayKernel(source, WgslSnippets.touchedPoints),
    workgroupSize: 64,
    bindings: { field: "uniform", params: "uniform", rays: "read-only-storage", sampleT: "read-only-storage", density: "read-only-storage", sh: "read-only-storage", results: "read-only-storage", grad: "storage", touchedList: "storage", touchedState: "storage" },
});

import source from "./volumeRenderBackward.wgsl";
import { DefineKernel } from "../common/kernelDescriptor";
import { ComposeFieldKernel } from "./nerfKernelCommon";

/**
 * Volume rendering, backward (gradients into the grid, touched-point list); see
 * volumeRenderBackward.wgsl. Pipeline constants DETERMINISTIC / FIXED_POINT_SCALE select the
 * accumulation mode.
 */
/** Words per grid point in the gradient buffer: density + 12 SH coefficients. */
export const GradWordsPerPoint = 13;

/** touchedState words before the touched bitfield. */
export const TouchedBitsOffset = 4;

export const VolumeRenderBackwardKernel = DefineKernel({
    label: "volumeRenderBackward",
    source: ComposeFieldKernel(source),
    entryPoint: "main",
    workgroupSize: 64,
    bindings: [
        { name: "field", binding: 0, kind: "uniform" },
        { name: "params", binding: 1, kind: "uniform" },
        { name: "rays", binding: 2, kind: "read-only-storage" },
        { name: "sampleT", binding: 3, kind: "read-only-storage" },
        { name: "density", binding: 4, kind: "read-only-storage" },
        { name: "sh", binding: 5, kind: "read-only-storage" },
        { name: "results", binding: 6, kind: "read-only-storage" },
        { name: "grad", binding: 7, kind: "storage" },
        { name: "touchedList", binding: 8, kind: "storage" },
        { name: "touchedState", binding: 9, kind: "storage" },
    ],
});

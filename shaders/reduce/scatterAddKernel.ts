import source from "./scatterAdd.wgsl";
import { DefineComputeKernel } from "../common/kernelDescriptor";
import { ComposeWgsl, WgslSnippets } from "../common/wgslLibrary";

/** Default scale of the deterministic fixed-point accumulation (2^20). */
export const DefaultFixedPointScale = 1048576;

/**
 * accumulator[index[k]] += value[k]; see scatterAdd.wgsl. Pipeline constants: DETERMINISTIC (bool),
 * FIXED_POINT_SCALE (f32).
 */
export const ScatterAddKernel = DefineComputeKernel({
    label: "scatterAdd",
    source: ComposeWgsl(source, WgslSnippets.linearIndex, WgslSnippets.atomicAccumulate),
    workgroupSize: 256,
    bindings: { params: "uniform", index: "read-only-storage", value: "read-only-storage", accumulator: "storage" },
});

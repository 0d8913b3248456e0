import source from "./scatterAdd.wgsl";
import { DefineKernel } from "../common/kernelDescriptor";
import { ComposeWgsl, WgslSnippets } from "../common/wgslLibrary";

/** Default scale of the deterministic fixed-point accumulation (2^20). */
export const DefaultFixedPointScale = 1048576;

/**
 * accumulator[index[k]] += value[k]; see scatterAdd.wgsl. Pipeline constants: DETERMINISTIC (bool),
 * FIXED_POINT_SCALE (f32).
 */
export const ScatterAddKernel = DefineKernel({
    label: "scatterAdd",
    source: ComposeWgsl(source, WgslSnippets.linearIndex, WgslSnippets.atomicAccumulate),
    entryPoint: "main",
    workgroupSize: 256,
    bindings: [
        { name: "params", binding: 0, kind: "uniform" },
        { name: "index", binding: 1, kind: "read-only-storage" },
        { name: "value", binding: 2, kind: "read-only-storage" },
        { name: "accumulator", binding: 3, kind: "storage" },
    ],
});

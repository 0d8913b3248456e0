import source from "./sumReduce.wgsl";
import { DefineKernel } from "../common/kernelDescriptor";

/** Elements one workgroup of {@link SumReduceKernel} folds into one partial sum. */
export const SumReduceElementsPerGroup = 512;

/** One pass of a parallel float sum; see sumReduce.wgsl for the layout. Dispatch over ceil(count / 2) invocations. */
export const SumReduceKernel = DefineKernel({
    label: "sumReduce",
    source,
    entryPoint: "main",
    workgroupSize: 256,
    bindings: [
        { name: "params", binding: 0, kind: "uniform" },
        { name: "input", binding: 1, kind: "read-only-storage" },
        { name: "output", binding: 2, kind: "storage" },
    ],
});

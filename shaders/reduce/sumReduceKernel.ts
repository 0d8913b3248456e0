import source from "./sumReduce.wgsl";
import { DefineComputeKernel } from "../common/kernelDescriptor";
import { ComposeWgsl, WgslSnippets } from "../common/wgslLibrary";

/** Elements one workgroup of {@link SumReduceKernel} folds into one partial sum. */
export const SumReduceElementsPerGroup = 512;

/** One pass of a parallel float sum; see sumReduce.wgsl for the layout. Dispatch over ceil(count / 2) invocations. */
export const SumReduceKernel = DefineComputeKernel({
    label: "sumReduce",
    source: ComposeWgsl(source, WgslSnippets.linearIndex),
    workgroupSize: 256,
    bindings: { params: "uniform", input: "read-only-storage", output: "storage" },
});

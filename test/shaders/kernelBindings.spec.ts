import type { KernelBindingKind, KernelDescriptor } from "@shaders/common/kernelDescriptor";
import { FeatureDistillKernel } from "@shaders/features/featureKernels";
import { FieldWeightsKernel, FusionTargetsKernel, ObjectAdamKernel, ObjectFusionKernel, ObjectMaskKernel } from "@shaders/fusion/fusionKernels";
import { AdamKernel, OccupancyUpdateKernel, PrepareIndirectKernel, TotalVariationKernel, UpsampleGridKernel } from "@shaders/nerf/optimizerKernels";
import { RayGenerationKernel } from "@shaders/nerf/rayGenerationKernel";
import { SampleRaysKernel } from "@shaders/nerf/sampleRaysKernel";
import { VolumeRenderBackwardKernel } from "@shaders/nerf/volumeRenderBackwardKernel";
import { VolumeRenderForwardKernel } from "@shaders/nerf/volumeRenderForwardKernel";
import { ScatterAddKernel } from "@shaders/reduce/scatterAddKernel";
import { SumReduceKernel } from "@shaders/reduce/sumReduceKernel";

const kernels: KernelDescriptor[] = [
    RayGenerationKernel,
    SampleRaysKernel,
    VolumeRenderForwardKernel,
    VolumeRenderBackwardKernel,
    PrepareIndirectKernel,
    TotalVariationKernel,
    AdamKernel,
    OccupancyUpdateKernel,
    UpsampleGridKernel,
    FieldWeightsKernel,
    FusionTargetsKernel,
    ObjectFusionKernel,
    ObjectAdamKernel,
    ObjectMaskKernel,
    ScatterAddKernel,
    SumReduceKernel,
    FeatureDistillKernel,
];

/** The bindings a WGSL module declares, as the descriptor writes them. */
function DeclaredBindings(source: string): { name: string; binding: number; kind: KernelBindingKind }[] {
    const declarations = source.matchAll(/@group\(0\)\s*@binding\((\d+)\)\s*var<(uniform|storage,\s*read|storage,\s*read_write)>\s*(\w+)/g);
    const kinds: Record<string, KernelBindingKind> = { uniform: "uniform", "storage,read": "read-only-storage", "storage,read_write": "storage" };
    return [...declarations].map((m) => ({ name: m[3], binding: Number(m[1]), kind: kinds[m[2].replace(/\s/g, "")] })).sort((a, b) => a.binding - b.binding);
}

/** `@workgroup_size` of the entry point (a literal or the WORKGROUP_SIZE constant). */
function DeclaredWorkgroupSize(source: string, entryPoint: string): number {
    const size = new RegExp(`@compute\\s*@workgroup_size\\((\\w+)\\)\\s*fn ${entryPoint}\\(`).exec(source)?.[1];
    const constant = /const WORKGROUP_SIZE: u32 = (\d+)u;/.exec(source)?.[1];
    return Number(size === "WORKGROUP_SIZE" ? constant : size);
}

describe("kernel descriptors vs their composed WGSL", () => {
    for (const kernel of kernels) {
        it(`${kernel.label}: bindings, workgroup size and entry point match the source`, () => {
            expect(kernel.bindings.map((b) => ({ ...b }))).toEqual(DeclaredBindings(kernel.source));
            expect(DeclaredWorkgroupSize(kernel.source, kernel.entryPoint)).toBe(kernel.workgroupSize);
        });
    }
});

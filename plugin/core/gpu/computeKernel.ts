import type { GpuContext } from "./gpuContext";
import type { KernelDescriptor } from "../../../shaders/common/kernelDescriptor";
import { KernelCompileError } from "./kernelCompileError";

/** Largest workgroup count WebGPU guarantees per grid dimension. */
const MaxWorkgroupsPerDimension = 65535;

/**
 * A compiled compute pipeline for one {@link KernelDescriptor}, with an explicit bind group layout.
 * Built once, outside any loop; bind groups are cheap and made per buffer set.
 */
export class ComputeKernel<Name extends string = string> {
    /** The descriptor this kernel was built from. */
    public readonly descriptor: KernelDescriptor<Name>;
    private readonly _context: GpuContext;
    private readonly _pipeline: GPUComputePipeline;
    private readonly _layout: GPUBindGroupLayout;

    private constructor(context: GpuContext, descriptor: KernelDescriptor<Name>, pipeline: GPUComputePipeline, layout: GPUBindGroupLayout) {
        this._context = context;
        this.descriptor = descriptor;
        this._pipeline = pipeline;
        this._layout = layout;
    }

    /**
     * Compiles the kernel and checks compilation messages and pipeline validation.
     * @param context the device to compile on
     * @param descriptor the kernel's typed wrapper
     * @param constants pipeline-overridable constants
     * @returns the kernel
     * @throws KernelCompileError with the WGSL error lines
     */
    public static async CreateAsync<Name extends string>(context: GpuContext, descriptor: KernelDescriptor<Name>, constants?: Record<string, number>): Promise<ComputeKernel<Name>> {
        const device = context.device;
        device.pushErrorScope("validation");
        const module = device.createShaderModule({ label: descriptor.label, code: descriptor.source });
        const info = await module.getCompilationInfo();
        const errors = info.messages.filter((message) => message.type === "error");
        if (errors.length > 0) {
            await device.popErrorScope();
            throw new KernelCompileError(descriptor.label, errors.map((m) => `line ${m.lineNum}:${m.linePos} ${m.message}`).join("; "));
        }
        const layout = device.createBindGroupLayout({
            label: `${descriptor.label}-layout`,
            entries: descriptor.bindings.map((binding) => ({
                binding: binding.binding,
                visibility: GPUShaderStage.COMPUTE,
                buffer: { type: binding.kind },
            })),
        });
        const pipeline = await device.createComputePipelineAsync({
            label: descriptor.label,
            layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
            compute: { module, entryPoint: descriptor.entryPoint, ...(constants ? { constants } : {}) },
        });
        const validation = await device.popErrorScope();
        if (validation) {
            throw new KernelCompileError(descriptor.label, validation.message);
        }
        return new ComputeKernel(context, descriptor, pipeline, layout);
    }

    /**
     * Makes a bind group from named buffers.
     * @param buffers one buffer per binding name
     * @returns the bind group
     */
    public bind(buffers: Record<Name, GPUBuffer>): GPUBindGroup {
        return this._context.device.createBindGroup({
            label: `${this.descriptor.label}-group`,
            layout: this._layout,
            entries: this.descriptor.bindings.map((binding) => {
                const buffer = buffers[binding.name];
                if (!buffer) {
                    throw new Error(`kernel "${this.descriptor.label}": no buffer given for binding "${binding.name}"`);
                }
                return { binding: binding.binding, resource: { buffer } };
            }),
        });
    }

    /**
     * Records a dispatch covering `invocations` linear invocations into a compute pass.
     * @param pass the open compute pass
     * @param group a bind group from {@link bind}
     * @param invocations how many linear indices to cover
     */
    public encode(pass: GPUComputePassEncoder, group: GPUBindGroup, invocations: number): void {
        const [x, y] = ComputeKernel.GridFor(invocations, this.descriptor.workgroupSize);
        if (x === 0) {
            return;
        }
        pass.setPipeline(this._pipeline);
        pass.setBindGroup(0, group);
        pass.dispatchWorkgroups(x, y);
    }

    /**
     * Records a dispatch whose workgroup counts are read from a buffer (x, y, z u32 at `offset`).
     * @param pass the open compute pass
     * @param group a bind group from {@link bind}
     * @param indirect buffer with INDIRECT usage
     * @param offset byte offset of the three counts
     */
    public encodeIndirect(pass: GPUComputePassEncoder, group: GPUBindGroup, indirect: GPUBuffer, offset = 0): void {
        pass.setPipeline(this._pipeline);
        pass.setBindGroup(0, group);
        pass.dispatchWorkgroupsIndirect(indirect, offset);
    }

    /**
     * Runs the kernel once on its own command buffer (tests, one-off passes).
     * @param buffers one buffer per binding name
     * @param invocations how many linear indices to cover
     */
    public dispatch(buffers: Record<Name, GPUBuffer>, invocations: number): void {
        const encoder = this._context.device.createCommandEncoder({ label: this.descriptor.label });
        const pass = encoder.beginComputePass({ label: this.descriptor.label });
        this.encode(pass, this.bind(buffers), invocations);
        pass.end();
        this._context.device.queue.submit([encoder.finish()]);
    }

    /**
     * The 2-D workgroup grid for a linear invocation count. Kernels recover the linear index as
     * `(wg.y * num_workgroups.x + wg.x) * workgroupSize + local_index`.
     * @param invocations linear invocations
     * @param workgroupSize the kernel's workgroup size
     * @returns [x, y] workgroup counts
     */
    public static GridFor(invocations: number, workgroupSize: number): [number, number] {
        const groups = Math.ceil(invocations / workgroupSize);
        if (groups <= MaxWorkgroupsPerDimension) {
            return [groups, 1];
        }
        const y = Math.ceil(groups / MaxWorkgroupsPerDimension);
        return [Math.ceil(groups / y), y];
    }
}

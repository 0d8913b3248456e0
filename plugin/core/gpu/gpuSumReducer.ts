import { ComputeKernel } from "./computeKernel";
import type { GpuContext } from "./gpuContext";
import { SumReduceElementsPerGroup, SumReduceKernel } from "../../../shaders/reduce/sumReduceKernel";

/**
 * Sums a float buffer on the GPU with repeated sumReduce passes (n -> n/512 -> ... -> 1).
 * Intermediate buffers and uniforms are made once per input size and reused.
 */
export class GpuSumReducer {
    private readonly _context: GpuContext;
    private readonly _kernel: ComputeKernel<"params" | "input" | "output">;
    private readonly _count: number;
    private readonly _passes: { count: number; params: GPUBuffer; output: GPUBuffer }[] = [];

    private constructor(context: GpuContext, kernel: ComputeKernel<"params" | "input" | "output">, count: number) {
        this._context = context;
        this._kernel = kernel;
        this._count = count;
        let remaining = count;
        do {
            const groups = Math.max(1, Math.ceil(remaining / SumReduceElementsPerGroup));
            this._passes.push({
                count: remaining,
                params: context.createUniformBuffer("sumReduce-params", new Uint32Array([remaining])),
                output: context.createStorageBuffer("sumReduce-partials", groups * 4),
            });
            remaining = groups;
        } while (remaining > 1);
    }

    /**
     * Compiles the kernel and allocates the passes for inputs of `count` floats.
     * @param context the device
     * @param count number of floats each call sums
     * @returns the reducer
     */
    public static async CreateAsync(context: GpuContext, count: number): Promise<GpuSumReducer> {
        return new GpuSumReducer(context, await ComputeKernel.CreateAsync(context, SumReduceKernel), count);
    }

    /** Number of floats each call sums. */
    public get count(): number {
        return this._count;
    }

    /**
     * Records all passes; the sum lands in element 0 of the returned buffer.
     * @param pass an open compute pass
     * @param input a buffer holding at least `count` floats
     * @returns the buffer whose first float is the sum once the pass has run
     */
    public encode(pass: GPUComputePassEncoder, input: GPUBuffer): GPUBuffer {
        let source = input;
        for (const step of this._passes) {
            this._kernel.encode(pass, this._kernel.bind({ params: step.params, input: source, output: step.output }), Math.ceil(step.count / 2));
            source = step.output;
        }
        return source;
    }

    /**
     * Sums `input` and reads the result back.
     * @param input a buffer holding at least `count` floats
     * @returns the sum
     */
    public async sumAsync(input: GPUBuffer): Promise<number> {
        const encoder = this._context.device.createCommandEncoder({ label: "sumReduce" });
        const pass = encoder.beginComputePass();
        const result = this.encode(pass, input);
        pass.end();
        this._context.device.queue.submit([encoder.finish()]);
        return (await this._context.readFloat32Async(result, 1))[0];
    }

    /** Frees the intermediate buffers. */
    public dispose(): void {
        for (const step of this._passes) {
            step.params.destroy();
            step.output.destroy();
        }
    }
}

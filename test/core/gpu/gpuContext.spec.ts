import { ComputeKernel } from "@plugin/core/gpu/computeKernel";
import { DefineKernel } from "@shaders/common/kernelDescriptor";
import { RequireGpuAsync } from "@test/helpers/webGpu";

describe("GpuContext and ComputeKernel", () => {
    it("round-trips bytes through a storage buffer (copyBufferToBuffer + mapAsync)", async () => {
        const gpu = await RequireGpuAsync();
        const data = Uint32Array.from({ length: 1000 }, (_, i) => i * 7919);
        const buffer = gpu.createStorageBuffer("roundtrip", data);
        expect(Array.from(await gpu.readUint32Async(buffer))).toEqual(Array.from(data));
        buffer.destroy();
    });

    it("names the kernel and the line when WGSL does not compile", async () => {
        const gpu = await RequireGpuAsync();
        const broken = DefineKernel({
            label: "broken-kernel",
            source: "@compute @workgroup_size(1) fn main() {\n  let x: f32 = undefinedThing;\n}",
            entryPoint: "main",
            workgroupSize: 1,
            bindings: [],
        });
        await expectAsync(ComputeKernel.CreateAsync(gpu, broken)).toBeRejectedWithError(/broken-kernel.*line 2/);
    });

    it("refuses a buffer larger than the device allows, giving the size asked for", async () => {
        const gpu = await RequireGpuAsync();
        const tooBig = gpu.device.limits.maxBufferSize + 1024;
        expect(() => gpu.createStorageBuffer("huge-grid", tooBig)).toThrowError(new RegExp(`huge-grid.*${Math.ceil(tooBig / 4) * 4} bytes`));
    });

    it("folds more than 65535 workgroups into a 2-D grid", () => {
        expect(ComputeKernel.GridFor(256 * 65535, 256)).toEqual([65535, 1]);
        const [x, y] = ComputeKernel.GridFor(256 * 65536, 256);
        expect(x * y).toBeGreaterThanOrEqual(65536);
        expect(x).toBeLessThanOrEqual(65535);
    });
});

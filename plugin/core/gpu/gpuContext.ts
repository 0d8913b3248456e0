import { GpuOutOfMemoryError } from "./gpuOutOfMemoryError";
import { WebGpuUnavailableError } from "./webGpuUnavailableError";

/** Options for {@link GpuContext.CreateAsync}. */
export interface GpuContextOptions {
    /** Adapter power preference; defaults to "high-performance". */
    powerPreference?: GPUPowerPreference;
    /** Label given to the device, shown in WebGPU error messages. */
    label?: string;
}

/** Information about why a device was lost. */
export interface GpuDeviceLostInfo {
    /** "destroyed" when we destroyed it ourselves, "unknown" otherwise. */
    reason: GPUDeviceLostReason;
    /** The browser's message. */
    message: string;
}

/**
 * A WebGPU device plus the few helpers every kernel needs: buffer creation from typed arrays,
 * readback through copyBufferToBuffer + mapAsync (Babylon's StorageBuffer.read() crashed
 * headless Chromium), and device-loss tracking. Babylon-free: usable from workers.
 */
export class GpuContext {
    /** The device all buffers and pipelines of this context belong to. */
    public readonly device: GPUDevice;
    /** Resolves when the device is lost (never rejects). */
    public readonly lost: Promise<GpuDeviceLostInfo>;
    private _lostInfo: GpuDeviceLostInfo | null = null;
    private readonly _ownsDevice: boolean;
    private readonly _sizes = new Map<GPUBuffer, number>();
    private _allocatedBytes = 0;
    private _peakBytes = 0;

    private constructor(device: GPUDevice, ownsDevice: boolean) {
        this.device = device;
        this._ownsDevice = ownsDevice;
        this.lost = device.lost.then((info) => {
            this._lostInfo = { reason: info.reason, message: info.message };
            return this._lostInfo;
        });
    }

    /** True when `navigator.gpu` exists in this context (window or worker). */
    public static IsSupported(): boolean {
        return typeof navigator !== "undefined" && "gpu" in navigator && navigator.gpu !== undefined;
    }

    /**
     * Requests an adapter and a device of our own, with the adapter's largest storage-buffer limits.
     * @param options adapter preference and label
     * @returns the context
     * @throws WebGpuUnavailableError when there is no WebGPU, adapter or device
     */
    public static async CreateAsync(options: GpuContextOptions = {}): Promise<GpuContext> {
        if (!GpuContext.IsSupported()) {
            throw new WebGpuUnavailableError("this browser has no navigator.gpu (use a WebGPU-capable browser, or enable WebGPU)");
        }
        const adapter = await navigator.gpu.requestAdapter({ powerPreference: options.powerPreference ?? "high-performance" });
        if (!adapter) {
            throw new WebGpuUnavailableError("navigator.gpu.requestAdapter() returned no adapter (GPU blocked or unsupported)");
        }
        const limits = adapter.limits;
        let device: GPUDevice;
        try {
            device = await adapter.requestDevice({
                label: options.label ?? "sanerf",
                requiredLimits: {
                    maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
                    maxBufferSize: limits.maxBufferSize,
                    maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
                    maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
                    maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
                    maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
                },
            });
        } catch (error) {
            throw new WebGpuUnavailableError(`requestDevice failed: ${(error as Error).message}`);
        }
        return new GpuContext(device, true);
    }

    /**
     * Wraps an existing device (for instance a Babylon WebGPUEngine's `_device`) without owning it.
     * @param device the device to use
     * @returns the context
     */
    public static FromDevice(device: GPUDevice): GpuContext {
        return new GpuContext(device, false);
    }

    /** The loss information, or null while the device is alive. */
    public get lostInfo(): GpuDeviceLostInfo | null {
        return this._lostInfo;
    }

    /**
     * Creates a storage buffer holding `data` (or zeros of `byteLength`).
     * @param label a name shown in WebGPU errors
     * @param dataOrByteLength initial contents, or a size in bytes
     * @param extraUsage usages beyond STORAGE | COPY_SRC | COPY_DST
     * @returns the buffer
     */
    public createStorageBuffer(label: string, dataOrByteLength: ArrayBufferView | number, extraUsage = 0): GPUBuffer {
        const byteLength = typeof dataOrByteLength === "number" ? dataOrByteLength : dataOrByteLength.byteLength;
        const buffer = this._createBuffer(label, byteLength, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST | extraUsage);
        if (typeof dataOrByteLength !== "number") {
            this.write(buffer, dataOrByteLength);
        }
        return buffer;
    }

    /**
     * Creates a uniform buffer holding `data`.
     * @param label a name shown in WebGPU errors
     * @param data the contents (padded to 16 bytes)
     * @returns the buffer
     */
    public createUniformBuffer(label: string, data: ArrayBufferView): GPUBuffer {
        const buffer = this._createBuffer(label, Math.max(16, Math.ceil(data.byteLength / 16) * 16), GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
        this.write(buffer, data);
        return buffer;
    }

    /**
     * Writes `data` into `buffer` at `byteOffset` (queued; ordered before later submits).
     * @param buffer target
     * @param data bytes to write (length a multiple of 4)
     * @param byteOffset offset in the buffer
     */
    public write(buffer: GPUBuffer, data: ArrayBufferView, byteOffset = 0): void {
        const padded = data.byteLength % 4 === 0 ? data : GpuContext._PadTo4(data);
        this.device.queue.writeBuffer(buffer, byteOffset, padded.buffer as ArrayBuffer, padded.byteOffset, padded.byteLength);
    }

    /**
     * Reads a buffer back through a staging buffer (copyBufferToBuffer + mapAsync).
     * @param buffer a buffer with COPY_SRC usage
     * @param byteLength bytes to read (defaults to the whole buffer)
     * @param byteOffset offset in the buffer
     * @returns a copy of the bytes
     */
    public async readAsync(buffer: GPUBuffer, byteLength = buffer.size, byteOffset = 0): Promise<ArrayBuffer> {
        const size = Math.ceil(byteLength / 4) * 4;
        const staging = this.device.createBuffer({ label: `${buffer.label}-readback`, size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
        try {
            const encoder = this.device.createCommandEncoder({ label: "readback" });
            encoder.copyBufferToBuffer(buffer, byteOffset, staging, 0, size);
            this.device.queue.submit([encoder.finish()]);
            await staging.mapAsync(GPUMapMode.READ);
            return staging.getMappedRange(0, size).slice(0, byteLength);
        } catch (error) {
            throw this._lostInfo ? new WebGpuUnavailableError(`the device was lost while reading "${buffer.label}": ${this._lostInfo.message}`) : error;
        } finally {
            staging.destroy();
        }
    }

    /**
     * Reads a buffer back as Float32Array.
     * @param buffer source
     * @param count number of floats (defaults to the whole buffer)
     * @returns the floats
     */
    public async readFloat32Async(buffer: GPUBuffer, count = buffer.size / 4): Promise<Float32Array> {
        return new Float32Array(await this.readAsync(buffer, count * 4));
    }

    /**
     * Reads a buffer back as Uint32Array.
     * @param buffer source
     * @param count number of u32 (defaults to the whole buffer)
     * @returns the values
     */
    public async readUint32Async(buffer: GPUBuffer, count = buffer.size / 4): Promise<Uint32Array> {
        return new Uint32Array(await this.readAsync(buffer, count * 4));
    }

    /** Bytes of the buffers made through this context that are still alive. */
    public get allocatedBytes(): number {
        return this._allocatedBytes;
    }

    /** The most bytes alive at once since creation (or the last {@link resetPeak}). */
    public get peakBytes(): number {
        return this._peakBytes;
    }

    /** Restarts peak tracking from the current allocation. */
    public resetPeak(): void {
        this._peakBytes = this._allocatedBytes;
    }

    /**
     * Destroys a buffer made through this context and stops counting it.
     * @param buffer the buffer (null/undefined are ignored)
     */
    public release(buffer: GPUBuffer | null | undefined): void {
        if (!buffer) {
            return;
        }
        const size = this._sizes.get(buffer);
        if (size !== undefined) {
            this._allocatedBytes -= size;
            this._sizes.delete(buffer);
        }
        buffer.destroy();
    }

    /**
     * Runs allocations under an out-of-memory error scope and turns a failure into a
     * {@link GpuOutOfMemoryError} naming `what` and the bytes requested (buffers made are released).
     * @param what what the memory is for
     * @param allocate makes the buffers
     * @returns what `allocate` returned
     */
    public async allocateCheckedAsync<T>(what: string, allocate: () => T): Promise<T> {
        const before = new Set(this._sizes.keys());
        this.device.pushErrorScope("out-of-memory");
        this.device.pushErrorScope("validation");
        let result: T | undefined;
        let thrown: unknown = null;
        try {
            result = allocate();
        } catch (error) {
            thrown = error;
        }
        const validation = await this.device.popErrorScope();
        const outOfMemory = await this.device.popErrorScope();
        const made = [...this._sizes.entries()].filter(([buffer]) => !before.has(buffer));
        const gpuError = outOfMemory ?? validation;
        if (gpuError || thrown) {
            const requested = made.reduce((sum, [, size]) => sum + size, 0);
            made.forEach(([buffer]) => this.release(buffer));
            if (thrown) {
                throw thrown;
            }
            throw new GpuOutOfMemoryError(what, requested, gpuError!.message);
        }
        return result as T;
    }

    /** Waits until the GPU has finished all submitted work. */
    public async finishAsync(): Promise<void> {
        await this.device.queue.onSubmittedWorkDone();
    }

    /** Destroys the device when this context created it; wrapped devices are left alone. */
    public dispose(): void {
        if (this._ownsDevice) {
            this.device.destroy();
        }
    }

    private _createBuffer(label: string, byteLength: number, usage: GPUBufferUsageFlags): GPUBuffer {
        const size = Math.max(4, Math.ceil(byteLength / 4) * 4);
        const limit = this.device.limits.maxBufferSize;
        if (size > limit) {
            throw new RangeError(`GPU buffer "${label}" needs ${size} bytes, more than this device's maxBufferSize (${limit} bytes)`);
        }
        const buffer = this.device.createBuffer({ label, size, usage });
        this._sizes.set(buffer, size);
        this._allocatedBytes += size;
        this._peakBytes = Math.max(this._peakBytes, this._allocatedBytes);
        return buffer;
    }

    private static _PadTo4(data: ArrayBufferView): Uint8Array {
        const padded = new Uint8Array(Math.ceil(data.byteLength / 4) * 4);
        padded.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        return padded;
    }
}

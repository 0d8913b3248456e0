import type { GpuContext } from "../core/gpu/gpuContext";
import { RenderViewCpu } from "../core/nerf/cpuFieldRenderer";
import { GpuFieldRenderer, type FieldView, type RenderedView } from "../core/nerf/gpuFieldRenderer";
import { GpuFieldState } from "../core/nerf/gpuFieldState";
import type { RadianceFieldData } from "../core/nerf/radianceFieldData";
import { CreateTrainingContextAsync } from "./trainingContext";

/**
 * Off-screen renders of a field for any view: WebGPU compute (the training kernels in render mode)
 * on a device of its own when the browser has WebGPU, the CPU twins otherwise. The field is
 * uploaded once per change; a lost device is replaced by a new one at the next render.
 */
export class NerfOffscreenRenderer {
    private _gpu: { context: GpuContext; renderer: GpuFieldRenderer } | null | undefined;
    private _state: GpuFieldState | null = null;
    private _uploaded: RadianceFieldData | null = null;
    private _queue: Promise<unknown> = Promise.resolve();

    /** True once it is known that only the CPU path is available. */
    public get isCpuOnly(): boolean {
        return this._gpu === null;
    }

    /**
     * Renders `field` from `view`. Renders run one after another: two callers at once (a camera
     * move and a click) must not each create a device or upload the field to the other's device.
     * @param field the field
     * @param view camera pose (capture coordinates) and intrinsics
     * @returns colour, opacity, depth, samples per ray
     */
    public renderAsync(field: RadianceFieldData, view: FieldView): Promise<RenderedView> {
        const render = this._queue.then(() => this._renderNowAsync(field, view));
        this._queue = render.catch(() => undefined);
        return render;
    }

    private async _renderNowAsync(field: RadianceFieldData, view: FieldView): Promise<RenderedView> {
        if (this._gpu?.context.lostInfo) {
            this.dispose();
        }
        if (this._gpu === undefined) {
            try {
                const context = await CreateTrainingContextAsync();
                this._gpu = { context, renderer: await GpuFieldRenderer.CreateAsync(context) };
            } catch {
                this._gpu = null;
            }
        }
        if (!this._gpu) {
            return RenderViewCpu(field, view);
        }
        if (this._uploaded !== field || !this._state) {
            this._state?.dispose();
            this._state = await GpuFieldState.CreateAsync(this._gpu.context, field.params, false);
            this._state.upload(field.density, field.sh, field.occupancy);
            this._uploaded = field;
        }
        return this._gpu.renderer.renderAsync(this._state, view, field.background);
    }

    /** Forgets the uploaded field (the next render uploads again). */
    public invalidate(): void {
        this._uploaded = null;
    }

    /** Frees GPU buffers and the device. */
    public dispose(): void {
        this._state?.dispose();
        this._state = null;
        if (this._gpu) {
            this._gpu.renderer.dispose();
            this._gpu.context.dispose();
        }
        this._gpu = undefined;
        this._uploaded = null;
    }
}

import type { FieldView } from "../nerf/gpuFieldRenderer";
import { RenderViewCpu } from "../nerf/cpuFieldRenderer";
import type { RadianceFieldData } from "../nerf/radianceFieldData";

/** Options of {@link RenderViewDepth}. */
export interface ViewDepthOptions {
    /** Render at most this many pixels on the long side and enlarge (nearest) to the view's size (default 256). */
    readonly maxSide?: number;
    /** Pixels whose opacity is below this get depth 0, "no surface" (default 0.5). */
    readonly minOpacity?: number;
    /** Rows per band: bounds the renderer's sample buffers (default 16). */
    readonly bandRows?: number;
}

/**
 * The field's depth as a segmentation model takes it: the expected distance along each pixel's
 * ray where the field is opaque, 0 where it is not (the void around an object, or sky). Rendered
 * with the CPU twins of the render kernels, band by band (a few MiB at a time), at up to `maxSide`
 * pixels and enlarged by nearest neighbour, so that a depth edge stays a step: the built-in
 * model's depth walls need steps, not ramps.
 * @param field the radiance field
 * @param view the frame's pose and intrinsics
 * @param options resolution, opacity threshold, band height
 * @returns width * height depths at the view's size
 */
export function RenderViewDepth(field: RadianceFieldData, view: FieldView, options: ViewDepthOptions = {}): Float32Array {
    const { width, height } = view.intrinsics;
    const scale = Math.min(1, (options.maxSide ?? 256) / Math.max(width, height));
    const small = {
        ...view.intrinsics,
        fx: view.intrinsics.fx * scale,
        fy: view.intrinsics.fy * scale,
        cx: view.intrinsics.cx * scale,
        cy: view.intrinsics.cy * scale,
        width: Math.max(1, Math.round(width * scale)),
        height: Math.max(1, Math.round(height * scale)),
    };
    const minOpacity = options.minOpacity ?? 0.5;
    const bandRows = options.bandRows ?? 16;
    const smallDepth = new Float32Array(small.width * small.height);
    for (let row = 0; row < small.height; row += bandRows) {
        const end = Math.min(small.height, row + bandRows);
        const band = RenderViewCpu(field, { cameraToWorld: view.cameraToWorld, intrinsics: small }, { rows: [row, end] });
        for (let pixel = row * small.width; pixel < end * small.width; pixel++) {
            const depth = band.depth[pixel];
            smallDepth[pixel] = band.opacity[pixel] >= minOpacity && depth > 0 && Number.isFinite(depth) ? depth : 0;
        }
    }
    if (small.width === width && small.height === height) {
        return smallDepth;
    }
    const depth = new Float32Array(width * height);
    for (let y = 0; y < height; y++) {
        const sourceRow = Math.min(small.height - 1, Math.floor(((y + 0.5) * small.height) / height)) * small.width;
        for (let x = 0; x < width; x++) {
            depth[y * width + x] = smallDepth[sourceRow + Math.min(small.width - 1, Math.floor(((x + 0.5) * small.width) / width))];
        }
    }
    return depth;
}

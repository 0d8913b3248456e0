import { Psnr, type MetricImage } from "./imageMetrics";

/**
 * Holdout PSNR with the view's appearance matched, as NeRF-W evaluates per-photo appearance: a
 * holdout photo's exposure and white balance are unknown to a field trained without it, so a gain
 * and an offset per channel (the per-photo appearance model, shaders/nerf/appearanceStep.wgsl) are
 * fitted by least squares on the left half of the view (columns < width / 2) and the PSNR is taken
 * on the right half alone, which the fit never saw.
 * @param rendered the field's render of the view (RGB in [0, 1] as floats, or 8-bit)
 * @param truth the photo, the same size
 * @returns PSNR of the right half after the match, dB
 * @throws RangeError when the sizes differ or the view is narrower than 2 pixels
 */
export function HalfMatchedPsnr(rendered: MetricImage, truth: MetricImage): number {
    if (rendered.width !== truth.width || rendered.height !== truth.height) {
        throw new RangeError(`HalfMatchedPsnr: the render is ${rendered.width}x${rendered.height}, the photo ${truth.width}x${truth.height}`);
    }
    const half = Math.floor(rendered.width / 2);
    if (half < 1) {
        throw new RangeError(`HalfMatchedPsnr: a view ${rendered.width} pixels wide has no halves`);
    }
    const scaleRendered = rendered.data instanceof Uint8ClampedArray ? 1 / 255 : 1;
    const scaleTruth = truth.data instanceof Uint8ClampedArray ? 1 / 255 : 1;
    let sum = 0;
    let counted = 0;
    for (let c = 0; c < 3; c++) {
        // least squares y = gain x + offset over the left half
        let n = 0;
        let sx = 0;
        let sy = 0;
        let sxx = 0;
        let sxy = 0;
        for (let y = 0; y < rendered.height; y++) {
            for (let x = 0; x < half; x++) {
                const p = (y * rendered.width + x) * 4 + c;
                const u = rendered.data[p] * scaleRendered;
                const v = truth.data[p] * scaleTruth;
                n++;
                sx += u;
                sy += v;
                sxx += u * u;
                sxy += u * v;
            }
        }
        const variance = sxx - (sx * sx) / n;
        const gain = variance > 1e-9 * n ? (sxy - (sx * sy) / n) / variance : 1;
        const offset = (sy - gain * sx) / n;
        for (let y = 0; y < rendered.height; y++) {
            for (let x = half; x < rendered.width; x++) {
                const p = (y * rendered.width + x) * 4 + c;
                const matched = Math.min(1, Math.max(0, gain * rendered.data[p] * scaleRendered + offset));
                sum += (matched - truth.data[p] * scaleTruth) ** 2;
                counted++;
            }
        }
    }
    return Psnr(sum / counted);
}

import { EncodePngAsync } from "../../plugin/core/image/pngEncoder";
import { ResizeRgbaArea } from "../../plugin/core/image/resizeRgba";
import { FitToLongestSide } from "../../plugin/core/image/rgbaImage";
import type { SplatSceneView } from "../../plugin/core/pipeline/splatStage";
import type { FrameMask } from "../../plugin/core/segmentation/maskSet";

/** Tints of objects 1.. in the sheet. */
const Tints: readonly [number, number, number][] = [[255, 60, 40], [40, 200, 255], [120, 255, 60], [255, 200, 0], [220, 80, 255], [255, 130, 180]];

/**
 * A contact sheet of a splat scene's views (up to 8 per row, 128 px on the long side), each object's mask tinted
 * over the view: what the segmentation model saw and what it answered.
 * @param views the views
 * @param objectMasks per object, one mask per view
 * @returns the PNG's bytes
 */
export async function DrawSplatSheetAsync(views: readonly SplatSceneView[], objectMasks: readonly (readonly FrameMask[])[]): Promise<Uint8Array> {
    const side = 128;
    const columns = Math.min(8, views.length);
    const rows = Math.ceil(views.length / columns);
    const sheet = new Uint8ClampedArray(columns * side * rows * side * 4);
    views.forEach((view, v) => {
        const tinted = new Uint8ClampedArray(view.image.data);
        objectMasks.forEach((masks, k) => {
            const mask = masks[v]?.mask;
            const tint = Tints[k % Tints.length];
            mask?.forEach((value, p) => {
                if (value > 127) {
                    for (let c = 0; c < 3; c++) {
                        tinted[p * 4 + c] = (tinted[p * 4 + c] + tint[c]) / 2;
                    }
                }
            });
        });
        const size = FitToLongestSide(view.image.width, view.image.height, side);
        const small = ResizeRgbaArea({ width: view.image.width, height: view.image.height, data: tinted }, size.width, size.height);
        const x0 = (v % columns) * side;
        const y0 = Math.floor(v / columns) * side;
        for (let y = 0; y < size.height; y++) {
            sheet.set(small.data.subarray(y * size.width * 4, (y + 1) * size.width * 4), ((y0 + y) * columns * side + x0) * 4);
        }
    });
    return await EncodePngAsync(sheet, columns * side, rows * side, 4);
}

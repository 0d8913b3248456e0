import type { Capture } from "../../plugin/core/capture/captureTypes";
import { FrameName } from "../../plugin/core/capture/frameName";
import { EncodePngAsync } from "../../plugin/core/image/pngEncoder";
import type { OutputWriter } from "./outputWriter";

/**
 * Writes one label mask per frame as `folder/<frame name>.png` (grey, 8 bit): 0/255 for one
 * object, the labels 1..K themselves for several.
 * @param out the output writer
 * @param folder the output folder ("masks2d", "masks3d")
 * @param capture the capture (frame names and sizes)
 * @param labels per frame: 0 background, k object k
 * @param objectCount K
 */
export async function WriteLabelMasksAsync(out: OutputWriter, folder: string, capture: Capture, labels: readonly Uint8Array[], objectCount: number): Promise<void> {
    for (let index = 0; index < capture.frames.length; index++) {
        const { width, height } = capture.frames[index].image;
        const pixels = objectCount === 1 ? labels[index].map((label) => (label ? 255 : 0)) : labels[index];
        await out.writeAsync(`${folder}/${FrameName(capture, index)}.png`, await EncodePngAsync(pixels, width, height, 1));
    }
}

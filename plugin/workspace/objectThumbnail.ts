import type { Capture } from "../core/capture/captureTypes";
import type { ObjectMaskImage } from "../core/fusion/objectFieldTypes";

/**
 * A thumbnail of an object: the capture frame where its fused mask is largest, cropped to the
 * mask's box (square, with a margin), the object in colour and the rest dimmed.
 * @param capture the capture
 * @param masks the fused mask of every frame
 * @param tint the object's colour (its outline)
 * @param size thumbnail side in pixels
 * @returns a PNG data URL, or null when the object shows nowhere
 */
export function ObjectThumbnail(capture: Capture, masks: readonly ObjectMaskImage[], tint: readonly number[], size = 64): string | null {
    let best = -1;
    let bestCount = 0;
    masks.forEach((mask, index) => {
        const count = mask.labels.reduce((n, v) => n + (v ? 1 : 0), 0);
        if (count > bestCount) {
            bestCount = count;
            best = index;
        }
    });
    if (best < 0 || typeof document === "undefined") {
        return null;
    }
    const mask = masks[best];
    const image = capture.frames[best].image;
    let x0 = mask.width;
    let y0 = mask.height;
    let x1 = 0;
    let y1 = 0;
    mask.labels.forEach((v, i) => {
        if (v) {
            x0 = Math.min(x0, i % mask.width);
            x1 = Math.max(x1, i % mask.width);
            y0 = Math.min(y0, Math.floor(i / mask.width));
            y1 = Math.max(y1, Math.floor(i / mask.width));
        }
    });
    const side = Math.max(x1 - x0, y1 - y0) * 1.2 + 4;
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    const full = document.createElement("canvas");
    full.width = image.width;
    full.height = image.height;
    const pixels = new ImageData(new Uint8ClampedArray(image.data), image.width, image.height);
    const rgb = tint.map((c) => c * 255);
    for (let i = 0; i < mask.labels.length; i++) {
        const o = i * 4;
        if (!mask.labels[i]) {
            pixels.data[o] = pixels.data[o] * 0.25 + 20;
            pixels.data[o + 1] = pixels.data[o + 1] * 0.25 + 20;
            pixels.data[o + 2] = pixels.data[o + 2] * 0.25 + 20;
        } else if ([i - 1, i + 1, i - mask.width, i + mask.width].some((j) => j >= 0 && j < mask.labels.length && !mask.labels[j])) {
            pixels.data.set([rgb[0], rgb[1], rgb[2]], o);
        }
        pixels.data[o + 3] = 255;
    }
    full.getContext("2d")!.putImageData(pixels, 0, 0);
    const thumb = document.createElement("canvas");
    thumb.width = size;
    thumb.height = size;
    thumb.getContext("2d")!.drawImage(full, cx - side / 2, cy - side / 2, side, side, 0, 0, size, size);
    return thumb.toDataURL("image/png");
}

/**
 * A thumbnail of an object rendered alone (e.g. its splats): the render cropped to where it is at
 * least half opaque (square, with a margin), on a dark background.
 * @param render premultiplied RGB (0-1, as displayed; 3 per pixel) and opacity of the object alone
 * @param render.width the render's width
 * @param render.height its height
 * @param render.color width * height * 3, premultiplied by the opacity
 * @param render.opacity width * height
 * @param size thumbnail side in pixels
 * @returns a PNG data URL, or null when nothing is drawn (or there is no document)
 */
export function RenderedObjectThumbnail(render: { width: number; height: number; color: Float32Array; opacity: Float32Array }, size = 64): string | null {
    const { width, height } = render;
    let x0 = width;
    let y0 = height;
    let x1 = -1;
    let y1 = -1;
    render.opacity.forEach((alpha, i) => {
        if (alpha >= 0.5) {
            x0 = Math.min(x0, i % width);
            x1 = Math.max(x1, i % width);
            y0 = Math.min(y0, Math.floor(i / width));
            y1 = Math.max(y1, Math.floor(i / width));
        }
    });
    if (x1 < 0 || typeof document === "undefined") {
        return null;
    }
    const background = 40 / 255;
    const pixels = new ImageData(width, height);
    for (let p = 0; p < width * height; p++) {
        for (let c = 0; c < 3; c++) {
            const linear = render.color[p * 3 + c] + background * (1 - render.opacity[p]);
            pixels.data[p * 4 + c] = Math.round(255 * Math.min(1, Math.max(0, linear)));
        }
        pixels.data[p * 4 + 3] = 255;
    }
    const full = document.createElement("canvas");
    full.width = width;
    full.height = height;
    full.getContext("2d")!.putImageData(pixels, 0, 0);
    const side = Math.max(x1 - x0, y1 - y0) * 1.2 + 4;
    const thumb = document.createElement("canvas");
    thumb.width = size;
    thumb.height = size;
    const context = thumb.getContext("2d")!;
    context.fillStyle = "rgb(40, 40, 40)";
    context.fillRect(0, 0, size, size);
    context.drawImage(full, (x0 + x1) / 2 - side / 2, (y0 + y1) / 2 - side / 2, side, side, 0, 0, size, size);
    return thumb.toDataURL("image/png");
}

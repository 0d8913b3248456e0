import type { RgbaImage } from "./rgbaImage";

/**
 * An RGBA image composited on a plain background (what SAM is shown and what a field trained with
 * that background renders): colour = colour · alpha + background · (1 − alpha), opaque.
 * @param image the image
 * @param background "white"; "black" (or "random": a capture trained on random backgrounds is shown
 *   on black); "none": the image is returned as it is
 * @returns an opaque image (or the image itself for "none")
 */
export function CompositeOnBackground(image: RgbaImage, background: "white" | "black" | "random" | "none"): RgbaImage {
    if (background === "none") {
        return image;
    }
    const bg = background === "white" ? 255 : 0;
    const data = new Uint8ClampedArray(image.data.length);
    for (let i = 0; i < data.length; i += 4) {
        const a = image.data[i + 3] / 255;
        data[i] = image.data[i] * a + bg * (1 - a);
        data[i + 1] = image.data[i + 1] * a + bg * (1 - a);
        data[i + 2] = image.data[i + 2] * a + bg * (1 - a);
        data[i + 3] = 255;
    }
    return { width: image.width, height: image.height, data };
}

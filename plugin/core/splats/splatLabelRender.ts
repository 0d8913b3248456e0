import { SplatRowBytes } from "./splatCloud";
import type { SplatCloud } from "./splatCloud";
import type { SplatRasterizer } from "./splatRasterizer";
import type { SplatView } from "./splatView";

/** Colour step per label in the label render (labels up to 8 fit one 8-bit channel). */
const LabelStep = 30;

/**
 * The label each pixel of a view shows: the splats drawn with their label as colour, each pixel
 * rounded to the nearest label (where labels blend, the one with most weight wins), 255 where the
 * splats cover less than half the pixel. What an object's rendered mask is, per view.
 * @param rasterizer the splat rasterizer
 * @param cloud the splats
 * @param labels one label (0-8) per splat
 * @param view the camera
 * @returns a label per pixel
 */
export async function RenderSplatLabelsAsync(rasterizer: SplatRasterizer, cloud: SplatCloud, labels: ArrayLike<number>, view: SplatView): Promise<Uint8Array> {
    const rows = cloud.rows.slice(0);
    const bytes = new Uint8Array(rows);
    for (let i = 0; i < cloud.count; i++) {
        bytes.set([labels[i] * LabelStep, 0, 0], i * SplatRowBytes + 24);
    }
    const render = await rasterizer.renderAsync({ ...cloud, rows }, view);
    return Uint8Array.from(render.opacity, (opacity, p) => (opacity < 0.5 ? 255 : Math.round((render.color[p * 3] / opacity) * (255 / LabelStep))));
}

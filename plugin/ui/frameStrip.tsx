import { useMemo, type FunctionComponent } from "react";
import type { Capture } from "../core/capture/captureTypes";
import type { FrameMask } from "../core/segmentation/maskSet";
import { ViewImage } from "../core/pipeline/segmentStage";

/**
 * A frame thumbnail with the object's mask over it (greyed out when the view was invalid).
 * @param capture the capture
 * @param index frame index
 * @param mask the frame's mask entry, if propagated
 * @param color the object's colour
 * @param size thumbnail width
 * @returns a data URL
 */
function Thumbnail(capture: Capture, index: number, mask: FrameMask | undefined, color: readonly number[], size: number): string {
    const image = ViewImage(capture, index);
    const canvas = document.createElement("canvas");
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext("2d")!;
    const pixels = new ImageData(new Uint8ClampedArray(image.data), image.width, image.height);
    if (mask?.mask) {
        const rgb = color.map((c) => c * 255);
        for (let i = 0; i < mask.mask.length; i++) {
            if (mask.mask[i] > 127) {
                for (let c = 0; c < 3; c++) {
                    pixels.data[i * 4 + c] = pixels.data[i * 4 + c] * 0.45 + rgb[c] * 0.55;
                }
            }
        }
    } else if (mask && !mask.valid) {
        for (let i = 0; i < pixels.data.length; i += 4) {
            const grey = (pixels.data[i] + pixels.data[i + 1] + pixels.data[i + 2]) / 3;
            pixels.data[i] = pixels.data[i + 1] = pixels.data[i + 2] = grey * 0.5 + 100;
        }
    }
    context.putImageData(pixels, 0, 0);
    const small = document.createElement("canvas");
    small.width = size;
    small.height = Math.round((size * image.height) / image.width);
    small.getContext("2d")!.drawImage(canvas, 0, 0, small.width, small.height);
    return small.toDataURL("image/png");
}

/**
 * The capture's frames as a strip of thumbnails: click one to snap the camera to it. After a
 * propagation each shows the active object's mask; invalid views are greyed.
 * @param props capture, masks, colour, current frame, click handler
 * @param props.capture the capture
 * @param props.masks per-frame masks of the active object (null before propagation)
 * @param props.fused the masks are the fused object field's renders (3-D), not the 2-D masks
 * @param props.color the object's colour
 * @param props.current the frame the camera is snapped to, or null
 * @param props.onSelect called with a frame index
 * @returns the strip
 */
export const FrameStrip: FunctionComponent<{ capture: Capture; masks: readonly FrameMask[] | null; fused?: boolean; color: readonly number[]; current: number | null; onSelect: (index: number) => void }> = ({ capture, masks, fused, color, current, onSelect }) => {
    const thumbnails = useMemo(() => capture.frames.map((_, i) => Thumbnail(capture, i, masks?.[i], color, 56)), [capture, masks, color]);
    const valid = masks?.filter((mask) => mask.valid).length;
    return (
        <div data-testid="sanerf-frame-strip">
            {masks && <div style={{ fontSize: 12, margin: "4px 0" }}>{fused ? `fused object rendered in all ${masks.length} views` : `${valid} of ${masks.length} views valid`}</div>}
            <div style={{ display: "flex", flexWrap: "wrap", gap: 2, maxHeight: 220, overflowY: "auto" }}>
                {thumbnails.map((url, i) => (
                    <img
                        key={i}
                        src={url}
                        alt={`frame ${i}${masks?.[i] ? (masks[i].valid ? ` mask IoU ${masks[i].iou?.toFixed(2)}` : " invalid") : ""}`}
                        title={`frame ${i}${masks?.[i] ? (masks[i].valid ? `: predicted IoU ${masks[i].iou?.toFixed(2)}` : `: invalid (${Math.round(masks[i].visibleFraction * 100)}% of the points visible)`) : ""}`}
                        onClick={() => onSelect(i)}
                        style={{ width: 56, cursor: "pointer", outline: current === i ? "2px solid #2b88d8" : "none", opacity: masks?.[i] && !masks[i].valid ? 0.6 : 1 }}
                    />
                ))}
            </div>
        </div>
    );
};

import { useEffect, useMemo, useRef, useState, type FunctionComponent, type MouseEvent } from "react";
import type { SamBox } from "../core/sam/samTypes";
import type { RgbaImage } from "../core/image/rgbaImage";
import type { FrameMask } from "../core/segmentation/maskSet";
import type { SplatPromptObject } from "../workspace/splatPromptObjects";

/**
 * A view's pixels with an object's mask tinted over them.
 * @param image the view
 * @param mask the object's mask of the view, if any
 * @param color the object's colour (0-1 RGB)
 * @returns the pixels
 */
function TintedPixels(image: RgbaImage, mask: FrameMask | undefined, color: readonly number[]): ImageData {
    const pixels = new ImageData(new Uint8ClampedArray(image.data), image.width, image.height);
    if (mask?.mask && mask.width === image.width && mask.height === image.height) {
        for (let p = 0; p < mask.mask.length; p++) {
            if (mask.mask[p] > 127) {
                for (let c = 0; c < 3; c++) {
                    pixels.data[p * 4 + c] = pixels.data[p * 4 + c] * 0.45 + color[c] * 255 * 0.55;
                }
            }
        }
    } else if (mask && !mask.valid) {
        for (let i = 0; i < pixels.data.length; i += 4) {
            const grey = (pixels.data[i] + pixels.data[i + 1] + pixels.data[i + 2]) / 3;
            pixels.data[i] = pixels.data[i + 1] = pixels.data[i + 2] = grey * 0.5 + 60;
        }
    }
    return pixels;
}

/**
 * A thumbnail of a view (the object's mask tinted) as a data URL.
 * @param image the view
 * @param mask the object's mask of the view
 * @param color the object's colour
 * @param width thumbnail width
 * @returns a PNG data URL
 */
function Thumbnail(image: RgbaImage, mask: FrameMask | undefined, color: readonly number[], width: number): string {
    const full = document.createElement("canvas");
    full.width = image.width;
    full.height = image.height;
    full.getContext("2d")!.putImageData(TintedPixels(image, mask, color), 0, 0);
    const small = document.createElement("canvas");
    small.width = width;
    small.height = Math.max(1, Math.round((width * image.height) / image.width));
    small.getContext("2d")!.drawImage(full, 0, 0, small.width, small.height);
    return small.toDataURL("image/png");
}

/**
 * The splat views as a strip of thumbnails (the active object's masks tinted, views it was not
 * decoded in greyed); click one to show it larger.
 * @param props views, masks, colour, selection
 * @param props.images the views' images
 * @param props.masks the active object's masks, one per view, or null
 * @param props.color the active object's colour
 * @param props.current the selected view
 * @param props.onSelect called with a view index
 * @returns the strip
 */
export const SplatViewStrip: FunctionComponent<{ images: readonly RgbaImage[]; masks: readonly FrameMask[] | null; color: readonly number[]; current: number; onSelect: (index: number) => void }> = ({ images, masks, color, current, onSelect }) => {
    const thumbnails = useMemo(() => images.map((image, v) => Thumbnail(image, masks?.[v], color, 48)), [images, masks, color]);
    return (
        <div data-testid="sanerf-splat-views" style={{ display: "flex", flexWrap: "wrap", gap: 2, maxHeight: 160, overflowY: "auto" }}>
            {thumbnails.map((url, v) => (
                <img
                    key={v}
                    src={url}
                    alt={`splat view ${v}`}
                    title={`view ${v}${masks?.[v] ? (masks[v].valid ? `: predicted IoU ${masks[v].iou?.toFixed(2)}` : ": not decoded (the prompt is not visible)") : ""}`}
                    onClick={() => onSelect(v)}
                    style={{ width: 48, cursor: "pointer", outline: current === v ? "2px solid #2b88d8" : "none" }}
                />
            ))}
        </div>
    );
};

/** A drag shorter than this (pixels of the view, on either axis) is a click. */
const ClickSlop = 3;

/**
 * One splat view, large: the active object's mask tinted, every object's clicks (filled:
 * positive, ringed: negative) and boxes (dashed) drawn. A click adds a positive point, Shift+click
 * or a right click a negative one; a drag draws the object's box; all in pixels of the view.
 * @param props the view and the objects
 * @param props.image the view's image
 * @param props.view the view's index
 * @param props.objects the prompted objects
 * @param props.activeId the active object's id
 * @param props.onClick called with the view's pixel and the label
 * @param props.onBox called with a dragged box's corners
 * @returns the canvas
 */
export const SplatViewCanvas: FunctionComponent<{
    image: RgbaImage;
    view: number;
    objects: readonly SplatPromptObject[];
    activeId: number;
    onClick: (x: number, y: number, label: 0 | 1) => void;
    onBox: (box: SamBox) => void;
}> = ({ image, view, objects, activeId, onClick, onBox }) => {
    const canvas = useRef<HTMLCanvasElement>(null);
    const [drag, setDrag] = useState<SamBox | null>(null);
    const active = objects.find((object) => object.id === activeId);
    useEffect(() => {
        const element = canvas.current;
        if (!element) {
            return;
        }
        element.width = image.width;
        element.height = image.height;
        const context = element.getContext("2d")!;
        context.putImageData(TintedPixels(image, active?.masks?.[view], active?.color ?? [1, 1, 1]), 0, 0);
        const radius = Math.max(2, image.width / 64);
        const line = Math.max(1, radius / 2);
        const strokeBox = (box: SamBox, css: string): void => {
            context.setLineDash([line * 3, line * 2]);
            context.lineWidth = line;
            context.strokeStyle = css;
            context.strokeRect(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0);
            context.setLineDash([]);
        };
        for (const object of objects) {
            const css = `rgb(${object.color.map((c) => Math.round(c * 255)).join(",")})`;
            if (object.box?.view === view) {
                strokeBox(object.box.box, css);
            }
            for (const click of object.clicks.filter((c) => c.view === view)) {
                context.beginPath();
                context.arc(click.x, click.y, radius, 0, 2 * Math.PI);
                context.lineWidth = line;
                context.strokeStyle = click.label === 1 ? "white" : "#e81123";
                context.fillStyle = css;
                if (click.label === 1) {
                    context.fill();
                }
                context.stroke();
            }
        }
        if (drag) {
            strokeBox(drag, "white");
        }
    }, [image, view, objects, active, drag]);
    const pixel = (event: MouseEvent<HTMLCanvasElement>): { x: number; y: number } => {
        const bounds = event.currentTarget.getBoundingClientRect();
        return { x: ((event.clientX - bounds.left) / bounds.width) * image.width, y: ((event.clientY - bounds.top) / bounds.height) * image.height };
    };
    return (
        <canvas
            ref={canvas}
            data-testid="sanerf-splat-view"
            title="Click: the object · Shift+click or right click: background · drag: a box around the object"
            style={{ width: "100%", maxWidth: 384, imageRendering: "pixelated", cursor: "crosshair", border: "1px solid rgba(127,127,127,0.4)" }}
            onMouseDown={(event) => {
                if (event.button === 0) {
                    const { x, y } = pixel(event);
                    setDrag({ x0: x, y0: y, x1: x, y1: y });
                }
            }}
            onMouseMove={(event) => drag && setDrag({ ...drag, ...Corner(pixel(event)) })}
            onMouseLeave={() => setDrag(null)}
            onMouseUp={(event) => {
                if (event.button !== 0 || !drag) {
                    return;
                }
                setDrag(null);
                const end = pixel(event);
                if (Math.abs(end.x - drag.x0) > ClickSlop && Math.abs(end.y - drag.y0) > ClickSlop) {
                    onBox({ x0: drag.x0, y0: drag.y0, x1: end.x, y1: end.y });
                } else {
                    onClick(drag.x0, drag.y0, event.shiftKey ? 0 : 1);
                }
            }}
            onContextMenu={(event) => {
                event.preventDefault();
                const { x, y } = pixel(event);
                onClick(x, y, 0);
            }}
        />
    );
};

/** The dragged corner of a box. */
function Corner(point: { x: number; y: number }): { x1: number; y1: number } {
    return { x1: point.x, y1: point.y };
}

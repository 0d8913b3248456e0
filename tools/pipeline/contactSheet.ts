import type { Capture } from "../../plugin/core/capture/captureTypes";
import { IsHoldoutFrame } from "../../plugin/core/capture/holdout";
import { EncodePngAsync } from "../../plugin/core/image/pngEncoder";

/**
 * Draws every frame of a capture as a thumbnail grid with its index; holdout (test) frames get an
 * orange frame and a "test" tag. Drawn with OffscreenCanvas (no fonts fetched), encoded by the plugin's PNG encoder.
 * @param capture the capture
 * @param thumbnail longest side of a thumbnail in pixels
 * @returns the PNG
 */
export async function DrawContactSheetAsync(capture: Capture, thumbnail = 96): Promise<Uint8Array> {
    const frames = capture.frames;
    const columns = Math.ceil(Math.sqrt(frames.length * 1.5));
    const rows = Math.ceil(frames.length / columns);
    const aspect = frames[0].image.width / frames[0].image.height;
    const cellWidth = Math.round(aspect >= 1 ? thumbnail : thumbnail * aspect);
    const cellHeight = Math.round(aspect >= 1 ? thumbnail / aspect : thumbnail);
    const pad = 4;
    const label = 14;
    const header = 24;
    const canvas = new OffscreenCanvas(columns * (cellWidth + pad) + pad, header + rows * (cellHeight + label + pad) + pad);
    const context = canvas.getContext("2d")!;
    context.fillStyle = "#202124";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.fillStyle = "#e8eaed";
    context.font = "13px sans-serif";
    context.fillText(`${capture.name} (${capture.format}): ${frames.length} frames, ${frames[0].image.width}x${frames[0].image.height}; orange = holdout`, pad, 16);
    const tile = new OffscreenCanvas(frames[0].image.width, frames[0].image.height);
    const tileContext = tile.getContext("2d")!;
    context.font = "10px sans-serif";
    for (const frame of frames) {
        const x = pad + (frame.index % columns) * (cellWidth + pad);
        const y = header + Math.floor(frame.index / columns) * (cellHeight + label + pad);
        if (tile.width !== frame.image.width || tile.height !== frame.image.height) {
            tile.width = frame.image.width;
            tile.height = frame.image.height;
        }
        tileContext.putImageData(new ImageData(new Uint8ClampedArray(frame.image.data), frame.image.width, frame.image.height), 0, 0);
        context.fillStyle = capture.background === "white" ? "#ffffff" : "#000000";
        context.fillRect(x, y, cellWidth, cellHeight);
        context.drawImage(tile, x, y, cellWidth, cellHeight);
        const holdout = IsHoldoutFrame(frame.index);
        if (holdout) {
            context.strokeStyle = "#ff9800";
            context.lineWidth = 2;
            context.strokeRect(x + 1, y + 1, cellWidth - 2, cellHeight - 2);
        }
        context.fillStyle = holdout ? "#ffb74d" : "#bdc1c6";
        context.fillText(`${frame.index}${holdout ? " test" : ""}`, x + 2, y + cellHeight + 11);
    }
    return EncodePngAsync(context.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height, 4);
}

import type { Capture } from "./captureTypes";

/**
 * A frame's name: its image file's base name without folder and extension ("r_12", "frame_00007"),
 * for output files named like the frames (masks, renders).
 * @param capture the capture
 * @param index the frame's index
 * @returns the name
 */
export function FrameName(capture: Capture, index: number): string {
    return capture.frames[index].imagePath.split("/").pop()!.replace(/\.[^.]+$/, "");
}

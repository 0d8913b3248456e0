import type { CaptureFrame } from "../capture/captureTypes";
import { NerfTrainingError } from "./nerfTrainingError";

/**
 * Refuses frames that cannot train a field: none at all, non-finite intrinsics or poses, or
 * cameras that all sit at one position (identity or copied poses).
 * @param frames the training frames
 */
export function CheckTrainingFrames(frames: readonly Pick<CaptureFrame, "cameraToWorld" | "intrinsics" | "imagePath">[]): void {
    if (frames.length === 0) {
        throw new NerfTrainingError("no training frames (every frame is a holdout view?)", 0);
    }
    for (const frame of frames) {
        const values = [...Array.from(frame.cameraToWorld), frame.intrinsics.fx, frame.intrinsics.fy, frame.intrinsics.cx, frame.intrinsics.cy];
        if (values.some((v) => !Number.isFinite(v))) {
            throw new NerfTrainingError(`${frame.imagePath}: its pose or intrinsics contain a non-finite number`, 0);
        }
    }
    if (frames.length > 1) {
        const origin = (f: (typeof frames)[number]): number[] => [f.cameraToWorld[3], f.cameraToWorld[7], f.cameraToWorld[11]];
        const first = origin(frames[0]);
        const spread = Math.max(...frames.map((frame) => Math.hypot(...origin(frame).map((v, a) => v - first[a]))));
        if (spread < 1e-6) {
            throw new NerfTrainingError(`all ${frames.length} training cameras sit at the same position (${first.map((v) => v.toFixed(3)).join(", ")}): the poses look wrong (identity or copied matrices?)`, 0);
        }
    }
}

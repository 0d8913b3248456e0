import type { RadianceFieldData } from "../nerf/radianceFieldData";
import type { SamBox } from "../sam/samTypes";
import { FieldSurfaceProbe } from "./surfaceProbe";
import type { PropagationView, SurfaceProbe } from "./surfaceProbe";

/** A point in capture coordinates. */
export type CapturePoint = readonly [number, number, number];

/**
 * Lifts a click to 3-D: the field's first surface along the view's ray through the pixel (the
 * prompt point SANeRF-HQ propagates to the other views).
 * @param field the radiance field
 * @param view the pose and intrinsics of the view the click was made in
 * @param x pixel column in that view (continuous: pixel centres at +0.5)
 * @param y pixel row in that view
 * @param surfaceThreshold accumulated opacity that counts as the surface
 * @returns the point, or null when the ray meets no surface
 */
export function LiftClick(field: RadianceFieldData, view: PropagationView, x: number, y: number, surfaceThreshold: number): CapturePoint | null {
    return FieldSurfaceProbe(field, surfaceThreshold, 0).firstSurface(view, 0, x, y)?.point ?? null;
}

/**
 * Lifts a box to 3-D: a grid of rays through the box (`raysPerSide` per side, its edges included)
 * meets the field's surface; the axis-aligned box of those points, as its 8 corners, is what
 * propagation projects into the other views.
 * @param field the radiance field
 * @param view the view the box was drawn in
 * @param box the box, pixels of that view
 * @param raysPerSide rays along each side of the grid (at least 2)
 * @param surfaceThreshold accumulated opacity that counts as the surface
 * @returns the 8 corners (corner c takes the high end of axis a when bit a of c is set), or null when no ray meets a surface
 */
export function LiftBox(field: RadianceFieldData, view: PropagationView, box: SamBox, raysPerSide: number, surfaceThreshold: number): CapturePoint[] | null {
    return LiftBoxWithProbe(FieldSurfaceProbe(field, surfaceThreshold, 0), view, 0, box, raysPerSide);
}

/**
 * {@link LiftBox} for any scene's surface probe.
 * @param probe the scene's surface
 * @param view the view the box was drawn in
 * @param viewIndex that view's index for the probe
 * @param box the box, pixels of that view
 * @param raysPerSide rays along each side of the grid (at least 2)
 * @param keep which of the grid's pixel positions to lift (default all), e.g. those inside a mask
 * @returns the 8 corners, or null when no ray meets a surface
 */
export function LiftBoxWithProbe(probe: SurfaceProbe, view: PropagationView, viewIndex: number, box: SamBox, raysPerSide: number, keep: (x: number, y: number) => boolean = () => true): CapturePoint[] | null {
    const last = Math.max(1, raysPerSide - 1);
    const lo = [Infinity, Infinity, Infinity];
    const hi = [-Infinity, -Infinity, -Infinity];
    let hits = 0;
    for (let i = 0; i <= last; i++) {
        for (let j = 0; j <= last; j++) {
            const x = box.x0 + ((box.x1 - box.x0) * i) / last;
            const y = box.y0 + ((box.y1 - box.y0) * j) / last;
            const point = keep(x, y) ? probe.firstSurface(view, viewIndex, x, y)?.point : null;
            if (point) {
                hits++;
                for (let a = 0; a < 3; a++) {
                    lo[a] = Math.min(lo[a], point[a]);
                    hi[a] = Math.max(hi[a], point[a]);
                }
            }
        }
    }
    if (hits === 0) {
        return null;
    }
    return [0, 1, 2, 3, 4, 5, 6, 7].map((c) => [c & 1 ? hi[0] : lo[0], c & 2 ? hi[1] : lo[1], c & 4 ? hi[2] : lo[2]] as const);
}

import { MarchDistance, MarchSteps, OccupancyBit, OccupancyCellAt, RaySpan, SampleWidth, Softplus, TrilinearCornersAt } from "../../../shaders/nerf/fieldMath";
import type { RadianceFieldData } from "./radianceFieldData";

/**
 * Density (sigma) of a field at a capture point, as the renderer computes it: softplus of the
 * trilinear raw density plus the shift (points outside the box take the nearest face's value).
 * @param field the field
 * @param point capture point
 * @returns sigma
 */
export function DensityAt(field: RadianceFieldData, point: ArrayLike<number>): number {
    const corners = TrilinearCornersAt(field.params, point);
    let raw = 0;
    for (let c = 0; c < 8; c++) {
        raw += corners.weight[c] * field.density[corners.index[c]];
    }
    return Softplus(raw + field.params.densityShift);
}

/** Where a ray meets a field's surface. */
export interface FieldSurfaceHit {
    /** Distance along the (unit) ray, capture units. */
    readonly t: number;
    /** The point, capture coordinates. */
    readonly point: [number, number, number];
    /** Opacity accumulated up to the point (>= threshold). */
    readonly opacity: number;
}

/**
 * Marches a ray through a field on the CPU (the renderer's march at half its step, from the span's
 * start, occupancy-skipped) and returns the first point where the accumulated opacity reaches
 * `threshold`: the "first surface" picking and prompt lifting use.
 * @param field the field
 * @param origin ray origin, capture coordinates
 * @param direction ray direction, capture coordinates (normalized here)
 * @param threshold accumulated opacity that counts as the surface (default 0.5)
 * @returns the hit, or null when the ray stays more transparent than that
 */
export function MarchToSurface(field: RadianceFieldData, origin: ArrayLike<number>, direction: ArrayLike<number>, threshold = 0.5): FieldSurfaceHit | null {
    const length = Math.hypot(direction[0], direction[1], direction[2]);
    const d = [direction[0] / length, direction[1] / length, direction[2] / length];
    const params = field.params;
    const [tNear, tLinear] = RaySpan(params, origin, d);
    if (!(tNear < tLinear)) {
        return null;
    }
    // Half the render step: picking should not step over thin parts.
    const half = { ...params, stepSize: params.stepSize / 2 };
    const steps = MarchSteps(half, tNear, tLinear, 0.5);
    let transmittance = 1;
    for (let k = 0; k < steps; k++) {
        const t = MarchDistance(half, tNear, tLinear, k + 0.5);
        const step = SampleWidth(half, tLinear, t);
        const p = [origin[0] + t * d[0], origin[1] + t * d[1], origin[2] + t * d[2]];
        if (!OccupancyBit(field.occupancy, OccupancyCellAt(params, p))) {
            continue;
        }
        const alpha = 1 - Math.exp(-DensityAt(field, p) * step);
        const before = 1 - transmittance;
        transmittance *= 1 - alpha;
        const opacity = 1 - transmittance;
        if (opacity >= threshold) {
            // interpolate within the step where the threshold was crossed
            const fraction = alpha > 0 ? Math.min(1, Math.max(0, (threshold - before) / (opacity - before))) : 1;
            const tHit = t - step / 2 + fraction * step;
            return { t: tHit, point: [origin[0] + tHit * d[0], origin[1] + tHit * d[1], origin[2] + tHit * d[2]], opacity };
        }
    }
    return null;
}

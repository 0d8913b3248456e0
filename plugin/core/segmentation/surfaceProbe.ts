import { InnerGridSpacing } from "../nerf/fieldGeometry";
import { MarchToSurface } from "../nerf/fieldSurface";
import type { RadianceFieldData } from "../nerf/radianceFieldData";
import { PixelRay } from "../math/cameraProjection";
import type { CameraIntrinsics } from "../capture/captureTypes";

/** A view to propagate into: its pose and intrinsics (pixels of the image SAM sees). */
export interface PropagationView {
    readonly cameraToWorld: ArrayLike<number>;
    readonly intrinsics: CameraIntrinsics;
}

/** Where a scene's first surface lies along a ray through a view's pixel. */
export interface SurfaceHit {
    /** Distance from the camera along the unit ray. */
    readonly t: number;
    /** The surface point, scene coordinates. */
    readonly point: readonly [number, number, number];
}

/**
 * What prompt lifting and propagation ask of a scene: its first surface along a view's rays. A
 * radiance field marches its density; a splat scene reads the depth its splats render.
 */
export interface SurfaceProbe {
    /** How far the first surface may lie from a prompt point for the point to count as visible there. */
    readonly tolerance: number;
    /**
     * The first surface along the ray through a pixel position of a view.
     * @param view the view's pose and intrinsics
     * @param viewIndex its index in the list the probe was made for
     * @param u horizontal pixel coordinate (pixel centres at +0.5)
     * @param v vertical pixel coordinate
     * @returns the hit, or null when the ray meets nothing
     */
    firstSurface(view: PropagationView, viewIndex: number, u: number, v: number): SurfaceHit | null;
}

/**
 * The radiance field's probe: the first point where the accumulated opacity passes the threshold.
 * @param field the field (CPU copy)
 * @param surfaceThreshold opacity that marks the surface
 * @param toleranceSpacings visibility tolerance in grid spacings of the field
 * @returns the probe
 */
export function FieldSurfaceProbe(field: RadianceFieldData, surfaceThreshold: number, toleranceSpacings: number): SurfaceProbe {
    return {
        tolerance: toleranceSpacings * InnerGridSpacing(field.params),
        firstSurface: (view, _viewIndex, u, v) => {
            const ray = PixelRay(view.cameraToWorld, view.intrinsics, u, v);
            const hit = MarchToSurface(field, ray.origin, ray.direction, surfaceThreshold);
            return hit ? { t: hit.t, point: hit.point } : null;
        },
    };
}

/**
 * A probe that reads rendered depth maps (depth along each view's -z axis, 0 = nothing), one per
 * view, at the nearest pixel: the splat scenes' surface (the expected depth of the blended splats).
 * @param depths one depth map per view, the view's size
 * @param tolerance visibility tolerance, scene units
 * @returns the probe
 */
export function DepthMapSurfaceProbe(depths: readonly Float32Array[], tolerance: number): SurfaceProbe {
    return {
        tolerance,
        firstSurface: (view, viewIndex, u, v) => {
            const { width, height } = view.intrinsics;
            const x = Math.floor(u);
            const y = Math.floor(v);
            const depth = x >= 0 && y >= 0 && x < width && y < height ? depths[viewIndex]?.[y * width + x] : undefined;
            if (!depth || !(depth > 0)) {
                return null;
            }
            const m = view.cameraToWorld;
            const ray = PixelRay(m, view.intrinsics, u, v);
            const cosine = -(ray.direction[0] * m[2] + ray.direction[1] * m[6] + ray.direction[2] * m[10]);
            const t = depth / Math.max(cosine, 1e-6);
            return { t, point: [ray.origin[0] + t * ray.direction[0], ray.origin[1] + t * ray.direction[1], ray.origin[2] + t * ray.direction[2]] };
        },
    };
}

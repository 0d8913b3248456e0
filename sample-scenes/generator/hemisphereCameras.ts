// Camera positions on the upper hemisphere around a target: elevations spread so that each view
// covers about the same area of the spherical band, azimuths on the golden-angle (Fibonacci) spiral.

/** A 3-vector as a plain tuple. */
export type Point3 = [number, number, number];

/** Where the cameras go. */
export interface HemisphereRigOptions {
    /** The point every camera looks at. */
    readonly target: Point3;
    /** Distance from the target. */
    readonly radius: number;
    /** Lowest elevation above the horizontal plane, radians. */
    readonly minElevation: number;
    /** Highest elevation, radians. */
    readonly maxElevation: number;
    /** Azimuth of the first view, radians. */
    readonly azimuthOffset: number;
}

/** One camera position of the rig. */
export interface HemisphereView {
    /** World position (y up). */
    readonly position: Point3;
    /** Azimuth, radians, measured from +x towards +z. */
    readonly azimuth: number;
    /** Elevation above the target's horizontal plane, radians. */
    readonly elevation: number;
}

/** The golden angle, radians: successive azimuths differ by it, so any run of views is spread around. */
export const GoldenAngle = Math.PI * (3 - Math.sqrt(5));

/**
 * Camera positions for `count` views: view i has sin(elevation) at (i + 0.5) / count between
 * sin(minElevation) and sin(maxElevation) (equal-area bands) and azimuth offset + i * golden angle.
 * @param count number of views (at least 1)
 * @param options target, radius and elevation range
 * @returns the views, in order
 */
export function FibonacciHemisphereViews(count: number, options: HemisphereRigOptions): HemisphereView[] {
    if (!Number.isInteger(count) || count < 1) {
        throw new RangeError(`FibonacciHemisphereViews: count must be a positive integer, got ${count}`);
    }
    const { target, radius, minElevation, maxElevation, azimuthOffset } = options;
    const lowSine = Math.sin(minElevation);
    const highSine = Math.sin(maxElevation);
    const views: HemisphereView[] = [];
    for (let i = 0; i < count; i++) {
        const elevation = Math.asin(lowSine + ((i + 0.5) / count) * (highSine - lowSine));
        const azimuth = azimuthOffset + i * GoldenAngle;
        const horizontal = radius * Math.cos(elevation);
        views.push({
            position: [target[0] + horizontal * Math.cos(azimuth), target[1] + radius * Math.sin(elevation), target[2] + horizontal * Math.sin(azimuth)],
            azimuth,
            elevation,
        });
    }
    return views;
}

// A small fusion scene with exact ground truth: two opaque spheres of different colours in one
// radiance field, seen by cameras on a ring; each pixel's true label is the sphere its ray hits
// first (closed form).
import type { CameraIntrinsics } from "@plugin/core/capture/captureTypes";
import { PixelRay } from "@plugin/core/math/cameraProjection";
import { OccupancyCellCount, ShC0, Softplus, type FieldParams } from "@shaders/nerf/fieldMath";
import type { RadianceFieldData } from "@plugin/core/nerf/radianceFieldData";
import type { FusionMaskView, ObjectFieldData } from "@plugin/core/fusion/objectFieldTypes";
import { LookAtRows } from "./imageFixtures";

/** The spheres: label 1 (red, left) and label 2 (blue, right). */
export const Spheres = [
    { centre: [-0.32, 0, 0.05] as const, radius: 0.27, colour: [0.85, 0.2, 0.15] as const },
    { centre: [0.33, -0.05, -0.05] as const, radius: 0.3, colour: [0.15, 0.3, 0.85] as const },
];

/**
 * The two-sphere radiance field (exact occupancy).
 * @param n grid points per axis
 * @returns the field
 */
export function TwoSphereField(n = 40): RadianceFieldData {
    const params: FieldParams = { boundsMin: [-0.8, -0.8, -0.8], boundsMax: [0.8, 0.8, 0.8], stepSize: (1.6 / (n - 1)) * 0.5, densityShift: -4, gridSize: [n, n, n], occupancySize: [n / 2, n / 2, n / 2] };
    const spacing = 1.6 / (n - 1);
    const density = new Float32Array(n * n * n);
    const sh = new Float32Array(n * n * n * 12);
    for (let k = 0; k < n; k++) {
        for (let j = 0; j < n; j++) {
            for (let i = 0; i < n; i++) {
                const p = [-0.8 + i * spacing, -0.8 + j * spacing, -0.8 + k * spacing];
                const inside = Spheres.map((s) => s.radius - Math.hypot(p[0] - s.centre[0], p[1] - s.centre[1], p[2] - s.centre[2]));
                const nearest = inside[0] > inside[1] ? 0 : 1;
                const v = i + n * (j + n * k);
                density[v] = Math.max(-30, Math.min(200, (inside[nearest] / spacing) * 60));
                for (let c = 0; c < 3; c++) {
                    const colour = Spheres[nearest].colour[c];
                    sh[v * 12 + c * 4] = Math.log(colour / (1 - colour)) / ShC0;
                }
            }
        }
    }
    const cells = OccupancyCellCount(params);
    const occupancy = new Uint32Array(Math.ceil(cells / 32));
    const [ox, oy] = params.occupancySize;
    for (let cell = 0; cell < cells; cell++) {
        const c = [cell % ox, Math.floor(cell / ox) % oy, Math.floor(cell / (ox * oy))];
        let occupied = false;
        for (let dk = -1; dk <= 2 && !occupied; dk++) {
            for (let dj = -1; dj <= 2 && !occupied; dj++) {
                for (let di = -1; di <= 2 && !occupied; di++) {
                    const [i, j, k] = [c[0] * 2 + di, c[1] * 2 + dj, c[2] * 2 + dk];
                    if (i >= 0 && j >= 0 && k >= 0 && i < n && j < n && k < n) {
                        occupied = 1 - Math.exp(-Softplus(density[i + n * (j + n * k)] + params.densityShift) * params.stepSize) > 0.01;
                    }
                }
            }
        }
        if (occupied) {
            occupancy[cell >> 5] |= 1 << (cell & 31);
        }
    }
    return { params, density, sh, occupancy, background: "white", metadata: { iterations: 0 } };
}

/** A camera of the ring: pose and intrinsics. */
export interface RingView {
    readonly cameraToWorld: Float64Array;
    readonly intrinsics: CameraIntrinsics;
}

/**
 * Cameras on a ring around the spheres, looking at the origin.
 * @param count how many
 * @param size image side in pixels
 * @returns the views
 */
export function RingViews(count: number, size = 32): RingView[] {
    const intrinsics: CameraIntrinsics = { fx: size * 1.25, fy: size * 1.25, cx: size / 2, cy: size / 2, width: size, height: size };
    return Array.from({ length: count }, (_, i) => {
        const angle = (2 * Math.PI * i) / count + 0.3;
        const eye: [number, number, number] = [2.2 * Math.sin(angle), 0.9 + 0.3 * Math.sin(3 * angle), 2.2 * Math.cos(angle)];
        return { cameraToWorld: Float64Array.from(LookAtRows(eye, [0, 0, 0]).flat()), intrinsics };
    });
}

/**
 * The true labels of a view: the sphere each pixel's ray hits first (0: none).
 * @param view the camera
 * @returns labels per pixel
 */
export function TrueLabels(view: RingView): Uint8Array {
    const { width, height } = view.intrinsics;
    const labels = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            const ray = PixelRay(view.cameraToWorld, view.intrinsics, x + 0.5, y + 0.5);
            let best = Infinity;
            Spheres.forEach((s, index) => {
                const oc = [ray.origin[0] - s.centre[0], ray.origin[1] - s.centre[1], ray.origin[2] - s.centre[2]];
                const b = oc[0] * ray.direction[0] + oc[1] * ray.direction[1] + oc[2] * ray.direction[2];
                const c = oc[0] ** 2 + oc[1] ** 2 + oc[2] ** 2 - s.radius ** 2;
                const disc = b * b - c;
                const t = disc >= 0 ? -b - Math.sqrt(disc) : Infinity;
                if (t > 0 && t < best) {
                    best = t;
                    labels[y * width + x] = index + 1;
                }
            });
        }
    }
    return labels;
}

/**
 * Fusion masks of the ring views: the true labels, reduced to one object (1 where `object`) or kept
 * as both, with every `flipEvery`-th pixel's label flipped to another (noise).
 * @param views the cameras
 * @param object 1 or 2 for a single-object mask, 0 for both labels
 * @param flipEvery flip every n-th pixel (0: no noise)
 * @returns the mask views (weight 1)
 */
export function RingMasks(views: readonly RingView[], object: 0 | 1 | 2, flipEvery = 0): FusionMaskView[] {
    return views.map((view, frameIndex) => {
        const labels = TrueLabels(view).map((label) => (object === 0 ? label : label === object ? 1 : 0));
        if (flipEvery > 0) {
            const classes = object === 0 ? 3 : 2;
            for (let i = frameIndex % flipEvery; i < labels.length; i += flipEvery) {
                labels[i] = (labels[i] + 1) % classes;
            }
        }
        return { frameIndex, cameraToWorld: view.cameraToWorld, intrinsics: view.intrinsics, labels, weight: 1 };
    });
}

/** IoU of one label in two label images (1 when both lack it): the plugin's own metric. */
export { MaskIou as LabelIou } from "@plugin/core/evaluation/maskMetrics";

/** An object field that is exactly sphere 1 (sigmoid logits +-8 by signed distance), on a 24^3 grid. */
export function SphereObjectField(): ObjectFieldData {
    const n = 24;
    const logits = new Float32Array(n * n * n);
    const s = Spheres[0];
    for (let k = 0; k < n; k++) {
        for (let j = 0; j < n; j++) {
            for (let i = 0; i < n; i++) {
                const p = [-0.8 + (i * 1.6) / (n - 1), -0.8 + (j * 1.6) / (n - 1), -0.8 + (k * 1.6) / (n - 1)];
                const d = Math.hypot(p[0] - s.centre[0], p[1] - s.centre[1], p[2] - s.centre[2]) - s.radius;
                logits[i + n * (j + n * k)] = Math.max(-8, Math.min(8, -d * 60));
            }
        }
    }
    return { grid: { boundsMin: [-0.8, -0.8, -0.8], boundsMax: [0.8, 0.8, 0.8], gridSize: [n, n, n], channels: 1, mode: "sigmoid" }, logits, objects: [{ id: 1, name: "red sphere" }], metadata: { iterations: 0, rayPair: false } };
}


// Self-checks of a generated capture, fed one frame at a time with exactly what is written
// (the transform_matrix as rounded into transforms.json, the intrinsics, labels, depth, colour):
//  - depth is metric and poses are right: every labelled pixel, unprojected with its depth through
//    the written pose, lands inside its object's world box; every pixel labelled 0 that has a depth
//    lands on the table top (there is nothing else: no floor, no legs; empty pixels have depth 0);
//  - poses, labels and depth agree: points on an object's triangles projected with the written pose,
//    where the depth map says they are visible, fall on pixels carrying the object's id;
//  - colour lines up with labels: an object's interior pixels have its colour's hue (and are opaque);
//  - the pinhole model (intrinsics + pose) matches Babylon's own camera projection.
// The alpha (coverage) checks are in coverageChecks.ts.
import type { GeneratorCheck } from "./generatorTypes";
import type { Point3 } from "./hemisphereCameras";
import type { Rgb } from "./sceneLayouts";
import type { WorldBox } from "./meshExport";
import type { RenderedView } from "./viewRenderer";

/** What the checker knows of an object. */
export interface CheckedObject {
    /** Label id. */
    readonly id: number;
    /** Name, for messages. */
    readonly name: string;
    /** World points on its surface, away from edges and the table (x, y, z per point). */
    readonly samples: Float32Array;
    /** Its world box. */
    readonly box: WorldBox;
    /** Its diffuse colour. */
    readonly color: Rgb;
}

/** Square pinhole intrinsics as written to transforms.json. */
export interface CheckedIntrinsics {
    /** Focal lengths, pixels. */
    readonly fx: number;
    /** Focal lengths, pixels. */
    readonly fy: number;
    /** Principal point, pixels. */
    readonly cx: number;
    /** Principal point, pixels. */
    readonly cy: number;
    /** Width and height, pixels. */
    readonly size: number;
}

/** Slack for points unprojected from depth, world units (float32 depth and poses). */
const UnprojectTolerance = 2e-3;
/**
 * Share of pixels allowed beyond that slack, and the most they may miss by: faces seen edge-on
 * (the table's rim) turn the rasteriser's sub-pixel snapping into a few millimetres along the face.
 */
const EdgeOnShare = 1e-4;
const EdgeOnLimit = 0.02;
/** An object must cover this many pixels of a view to count as seen in it. */
const SeenPixels = 20;
/** Fewer interior pixels than this over all views: the colour check is not measurable (thin objects). */
const MinInteriorPixels = 30;

interface ObjectTally {
    visiblePoints: number;
    pointHits: number;
    framesSeen: number;
    interiorPixels: number;
    colourSum: [number, number, number];
}

/** Accumulates the checks over the frames; see the file comment. */
export class CaptureChecker {
    private readonly _objects: readonly CheckedObject[];
    private readonly _intrinsics: CheckedIntrinsics;
    private readonly _tableTop: WorldBox;
    private readonly _tallies: ObjectTally[];
    private _frames = 0;
    private _labelledPixels = 0;
    private _outsideBox = 0;
    private _worstOutside = 0;
    private _tablePixels = 0;
    private _tableMisses = 0;
    private _worstTableMiss = 0;
    private _labelsWithoutDepth = 0;
    private _worstProjectionError = 0;

    /**
     * @param objects the scene's objects
     * @param intrinsics the intrinsics written to transforms.json
     * @param tableTop the table top's world box (pixels labelled 0 that have a depth must land in it)
     */
    constructor(objects: readonly CheckedObject[], intrinsics: CheckedIntrinsics, tableTop: WorldBox) {
        this._objects = objects;
        this._intrinsics = intrinsics;
        this._tableTop = tableTop;
        this._tallies = objects.map(() => ({ visiblePoints: 0, pointHits: 0, framesSeen: 0, interiorPixels: 0, colourSum: [0, 0, 0] }));
    }

    /**
     * Checks one frame.
     * @param cameraToWorld the frame's transform_matrix as written (flat, row-major, OpenGL convention)
     * @param view its rendered images
     * @param projectWithRenderer projects a world point with Babylon's camera to (u, v) pixels
     */
    public addFrame(cameraToWorld: ArrayLike<number>, view: RenderedView, projectWithRenderer: (point: Point3) => [number, number]): void {
        this._frames++;
        this._checkUnprojection(cameraToWorld, view);
        this._objects.forEach((object, index) => this._checkObject(object, this._tallies[index], cameraToWorld, view, projectWithRenderer));
    }

    /** The results over all frames added. */
    public results(): GeneratorCheck[] {
        const checks: GeneratorCheck[] = [
            {
                name: "depth + pose: labelled pixels unproject into their object's box",
                ok: this._labelledPixels > 0 && this._outsideBox <= EdgeOnShare * this._labelledPixels && this._worstOutside < EdgeOnLimit,
                detail: `${this._outsideBox} of ${this._labelledPixels} outside by > ${UnprojectTolerance} (worst ${this._worstOutside.toExponential(2)})`,
            },
            {
                name: "depth + pose: pixels labelled 0 with a depth unproject onto the table top",
                ok: this._tablePixels > 0 && this._tableMisses <= EdgeOnShare * this._tablePixels && this._worstTableMiss < EdgeOnLimit,
                detail: `${this._tableMisses} of ${this._tablePixels} outside the table top's box by > ${UnprojectTolerance} (worst ${this._worstTableMiss.toExponential(2)})`,
            },
            { name: "labels + depth: every labelled pixel has a depth", ok: this._labelsWithoutDepth === 0, detail: `${this._labelsWithoutDepth} without` },
            {
                name: "intrinsics + pose: pinhole projection matches Babylon's camera",
                ok: this._worstProjectionError < 0.01,
                detail: `worst ${this._worstProjectionError.toExponential(2)} px`,
            },
        ];
        this._objects.forEach((object, index) => {
            const tally = this._tallies[index];
            const hitRate = tally.pointHits / Math.max(1, tally.visiblePoints);
            checks.push({
                name: `pose + labels: visible surface points of "${object.name}" land on label ${object.id}`,
                ok: tally.visiblePoints > 0 && hitRate >= 0.97,
                detail: `${tally.pointHits} of ${tally.visiblePoints} (${(hitRate * 100).toFixed(1)}%)`,
            });
            checks.push({
                name: `visibility: "${object.name}" covers >= ${SeenPixels} px in at least half the views`,
                ok: tally.framesSeen * 2 >= this._frames,
                detail: `${tally.framesSeen} of ${this._frames} views`,
            });
            const hue = Chromaticity(tally.colourSum);
            const expected = Chromaticity(object.color);
            const distance = Math.max(...hue.map((value, i) => Math.abs(value - expected[i])));
            const measurable = tally.interiorPixels >= MinInteriorPixels;
            checks.push({
                name: `colour + labels: interior pixels of "${object.name}" have its hue`,
                ok: !measurable || distance < 0.05,
                detail: measurable
                    ? `rgb share ${hue.map((v) => v.toFixed(3)).join("/")} vs ${expected.map((v) => v.toFixed(3)).join("/")} over ${tally.interiorPixels} px`
                    : `not measured: only ${tally.interiorPixels} interior px (a thin object)`,
            });
        });
        return checks;
    }

    private _checkUnprojection(m: ArrayLike<number>, view: RenderedView): void {
        const { fx, fy, cx, cy, size } = this._intrinsics;
        for (let v = 0; v < size; v++) {
            for (let u = 0; u < size; u++) {
                const pixel = v * size + u;
                const depth = view.depth[pixel];
                const label = view.labels[pixel];
                if (depth <= 0) {
                    this._labelsWithoutDepth += label > 0 ? 1 : 0;
                    continue;
                }
                const x = ((u + 0.5 - cx) / fx) * depth;
                const y = (-(v + 0.5 - cy) / fy) * depth;
                const z = -depth;
                const world: Point3 = [m[0] * x + m[1] * y + m[2] * z + m[3], m[4] * x + m[5] * y + m[6] * z + m[7], m[8] * x + m[9] * y + m[10] * z + m[11]];
                if (label === 0) {
                    const miss = BoxDistance(this._tableTop, world);
                    this._tablePixels++;
                    this._tableMisses += miss > UnprojectTolerance ? 1 : 0;
                    this._worstTableMiss = Math.max(this._worstTableMiss, miss);
                    continue;
                }
                this._labelledPixels++;
                const object = this._objects[label - 1];
                const outside = object ? BoxDistance(object.box, world) : Infinity;
                if (outside > UnprojectTolerance) {
                    this._outsideBox++;
                }
                this._worstOutside = Math.max(this._worstOutside, outside);
            }
        }
    }

    private _checkObject(object: CheckedObject, tally: ObjectTally, m: ArrayLike<number>, view: RenderedView, projectWithRenderer: (point: Point3) => [number, number]): void {
        const { fx, fy, cx, cy, size } = this._intrinsics;
        const positions = object.samples;
        for (let i = 0; i < positions.length; i += 3) {
            const dx = positions[i] - m[3];
            const dy = positions[i + 1] - m[7];
            const dz = positions[i + 2] - m[11];
            const depth = -(m[2] * dx + m[6] * dy + m[10] * dz);
            if (depth <= 0.05) {
                continue;
            }
            const u = cx + (fx * (m[0] * dx + m[4] * dy + m[8] * dz)) / depth;
            const v = cy - (fy * (m[1] * dx + m[5] * dy + m[9] * dz)) / depth;
            if (i === 0) {
                const [ru, rv] = projectWithRenderer([positions[0], positions[1], positions[2]]);
                this._worstProjectionError = Math.max(this._worstProjectionError, Math.hypot(ru - u, rv - v));
            }
            if (u < 0 || v < 0 || u >= size || v >= size) {
                continue;
            }
            const pixel = Math.floor(v) * size + Math.floor(u);
            if (Math.abs(view.depth[pixel] - depth) <= 0.005 + 0.003 * depth) {
                tally.visiblePoints++;
                tally.pointHits += view.labels[pixel] === object.id ? 1 : 0;
            }
        }
        let covered = 0;
        for (let v = 1; v < size - 1; v++) {
            for (let u = 1; u < size - 1; u++) {
                const pixel = v * size + u;
                if (view.labels[pixel] !== object.id) {
                    continue;
                }
                covered++;
                if (IsInterior(view.labels, pixel, size, object.id)) {
                    tally.interiorPixels++;
                    for (let c = 0; c < 3; c++) {
                        tally.colourSum[c] += view.rgba[pixel * 4 + c];
                    }
                }
            }
        }
        tally.framesSeen += covered >= SeenPixels ? 1 : 0;
    }
}

/** True when a pixel and its 8 neighbours all carry `id` (so its colour is the object's alone). */
function IsInterior(labels: Uint8Array, pixel: number, size: number, id: number): boolean {
    for (const dy of [-size, 0, size]) {
        for (const dx of [-1, 0, 1]) {
            if (labels[pixel + dy + dx] !== id) {
                return false;
            }
        }
    }
    return true;
}

/** Distance from a point to a box (0 inside). */
function BoxDistance(box: WorldBox, point: Point3): number {
    let squared = 0;
    for (let axis = 0; axis < 3; axis++) {
        const excess = Math.max(box.min[axis] - point[axis], 0, point[axis] - box.max[axis]);
        squared += excess * excess;
    }
    return Math.sqrt(squared);
}

/** Each channel's share of the sum. */
function Chromaticity(rgb: readonly number[]): [number, number, number] {
    const sum = Math.max(1e-9, rgb[0] + rgb[1] + rgb[2]);
    return [rgb[0] / sum, rgb[1] / sum, rgb[2] / sum];
}

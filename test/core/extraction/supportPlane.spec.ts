import { ExtractObjectMesh } from "@plugin/core/extraction/objectExtraction";
import { ChamferDistance } from "@plugin/core/evaluation/chamferDistance";
import { Extent } from "@plugin/core/geometry/meshDecimation";
import { FindSupportPlane } from "@plugin/core/extraction/supportPlane";
import type { TriangleMesh } from "@plugin/core/geometry/surfaceNets";
import type { FieldParams } from "@shaders/nerf/fieldMath";
import { DensityAt } from "@plugin/core/nerf/fieldSurface";
import type { RadianceFieldData } from "@plugin/core/nerf/radianceFieldData";
import type { ObjectFieldData } from "@plugin/core/fusion/objectFieldTypes";

// A box standing on a table slab (top face y = 0, 0.08 thick), optionally the whole scene turned
// about x. The object field labels the box *and the slab under its footprint* as the object: what
// fusion gives, since no view sees under an object.
type Vec3 = [number, number, number];
const Box = { half: [0.15, 0.15, 0.15] as Vec3, centre: [0.1, 0.15, -0.05] as Vec3 };
const Slab = { half: [0.7, 0.04, 0.6] as Vec3, centre: [0, -0.04, 0] as Vec3 };
/** How far past the box the object field's label reaches (a fused field at half the radiance grid blurs about that much). */
const LabelReach = 0.025;
const Bounds = { min: [-0.8, -0.3, -0.8] as Vec3, max: [0.8, 0.6, 0.8] as Vec3 };

/** Signed distance to an axis-aligned box (negative inside). */
function BoxDistance(p: ArrayLike<number>, centre: Vec3, half: Vec3): number {
    const q = [0, 1, 2].map((a) => Math.abs(p[a] - centre[a]) - half[a]);
    const outside = Math.hypot(...q.map((v) => Math.max(v, 0)));
    return outside + Math.min(Math.max(q[0], q[1], q[2]), 0);
}

/** Turns a point of the scene's frame by `tilt` radians about x (the scene is built untilted, then turned). */
function Turn(p: ArrayLike<number>, tilt: number): Vec3 {
    const [c, s] = [Math.cos(tilt), Math.sin(tilt)];
    return [p[0], c * p[1] - s * p[2], s * p[1] + c * p[2]];
}

/**
 * A radiance field on an n-point grid whose density follows a signed distance as a trained field's
 * does: soft, rising over a couple of grid spacings from about one spacing in front of the surface,
 * so that a view from 45 degrees has lost half its light at the surface itself.
 */
function SdfField(n: number, distance: (p: Vec3) => number): RadianceFieldData {
    const gridSize: Vec3 = [n, n, n];
    const spacing = [0, 1, 2].map((a) => (Bounds.max[a] - Bounds.min[a]) / (n - 1));
    const params: FieldParams = { boundsMin: Bounds.min, boundsMax: Bounds.max, stepSize: Math.max(...spacing) * 0.5, densityShift: -4, gridSize, occupancySize: [n / 2, n / 2, n / 2] };
    const density = new Float32Array(n * n * n);
    const sh = new Float32Array(n * n * n * 12);
    for (let k = 0; k < n; k++) {
        for (let j = 0; j < n; j++) {
            for (let i = 0; i < n; i++) {
                const p: Vec3 = [Bounds.min[0] + i * spacing[0], Bounds.min[1] + j * spacing[1], Bounds.min[2] + k * spacing[2]];
                density[i + n * (j + n * k)] = Math.max(-30, Math.min(200, (1 - distance(p) / Math.max(...spacing)) * 60));
            }
        }
    }
    const occupancy = new Uint32Array(Math.ceil((n / 2) ** 3 / 32)).fill(0xffffffff);
    return { params, density, sh, occupancy, background: "white", metadata: { iterations: 0 } };
}

/**
 * The scene (box on slab, turned by `tilt`; hollow when shellThickness > 0), and the object field
 * labelling the box and the slab under it.
 */
function TableScene(tilt: number, withTable = true, shellThickness = 0): { field: RadianceFieldData; objectField: ObjectFieldData } {
    const untilt = (p: Vec3): Vec3 => Turn(p, -tilt);
    const field = SdfField(56, (p) => {
        const q = untilt(p);
        const solid = BoxDistance(q, Box.centre, Box.half);
        // a hollow box: density only within shellThickness of its faces
        const box = shellThickness > 0 ? Math.abs(solid + shellThickness / 2) - shellThickness / 2 : solid;
        return withTable ? Math.min(box, BoxDistance(q, Slab.centre, Slab.half)) : box;
    });
    const n = 28;
    const logits = new Float32Array(n * n * n);
    const prism = { centre: [Box.centre[0], (Box.centre[1] + Box.half[1] - 0.08) / 2, Box.centre[2]] as Vec3, half: [Box.half[0] + LabelReach, (Box.centre[1] + Box.half[1] + 0.08) / 2, Box.half[2] + LabelReach] as Vec3 };
    for (let k = 0; k < n; k++) {
        for (let j = 0; j < n; j++) {
            for (let i = 0; i < n; i++) {
                const p: Vec3 = [0, 1, 2].map((a) => Bounds.min[a] + ([i, j, k][a] * (Bounds.max[a] - Bounds.min[a])) / (n - 1)) as Vec3;
                logits[i + n * (j + n * k)] = Math.max(-8, Math.min(8, -BoxDistance(untilt(p), prism.centre, prism.half) * 60));
            }
        }
    }
    const objectField: ObjectFieldData = { grid: { boundsMin: Bounds.min, boundsMax: Bounds.max, gridSize: [n, n, n], channels: 1, mode: "sigmoid" }, logits, objects: [{ id: 1, name: "box" }], metadata: { iterations: 0, rayPair: false } };
    return { field, objectField };
}

/** The true box's surface (12 triangles), turned by `tilt`. */
function BoxMesh(tilt: number): TriangleMesh {
    const corners: number[] = [];
    for (let c = 0; c < 8; c++) {
        const p: Vec3 = [0, 1, 2].map((a) => Box.centre[a] + ((c >> a) & 1 ? 1 : -1) * Box.half[a]) as Vec3;
        corners.push(...Turn(p, tilt));
    }
    const faces = [0, 2, 3, 1, 4, 5, 7, 6, 0, 1, 5, 4, 2, 6, 7, 3, 0, 4, 6, 2, 1, 3, 7, 5];
    const indices: number[] = [];
    for (let f = 0; f < 24; f += 4) {
        indices.push(faces[f], faces[f + 1], faces[f + 2], faces[f], faces[f + 2], faces[f + 3]);
    }
    return { positions: Float32Array.from(corners), indices: Uint32Array.from(indices) };
}

describe("objects: support plane under an extracted object", () => {
    const flat = TableScene(0);

    it("cuts the hidden slab of table under the object's footprint off the extracted mesh", () => {
        const uncut = ExtractObjectMesh(flat.field, flat.objectField, 1, { resolution: 64, up: null });
        const cut = ExtractObjectMesh(flat.field, flat.objectField, 1, { resolution: 64 });
        const spacing = 0.9 / 55;
        expect(Extent(uncut.positions)[0][1]).withContext("without the cut the mesh reaches the slab's underside").toBeLessThan(-0.07);
        expect(Extent(cut.positions)[0][1]).withContext("with it the mesh ends at the table top").toBeGreaterThan(-spacing);
        expect(cut.stats.support).not.toBeNull();
        expect(cut.stats.support?.normal[1]).toBeGreaterThan(0.999);
        expect(Math.abs(cut.stats.support?.offset ?? 1)).withContext("the plane lies on the table top").toBeLessThan(spacing);
        // as close to the true box as the same box extracted with no table at all
        const truth = BoxMesh(0);
        const floating = TableScene(0, false);
        const reference = ChamferDistance(ExtractObjectMesh(floating.field, floating.objectField, 1, { resolution: 64 }), truth, 20000).distance;
        const before = ChamferDistance(uncut, truth, 20000).distance;
        const after = ChamferDistance(cut, truth, 20000).distance;
        expect(after).withContext(`Chamfer: cut ${after.toFixed(4)}, uncut ${before.toFixed(4)}, box alone ${reference.toFixed(4)}`).toBeLessThan(reference * 1.25);
        expect(after).toBeLessThan(before * 0.75);
        // no flange of table round the foot: the object's label reaches past its footprint (as a
        // fused field's does), but the foot reaches no further out than the box's sides above it
        const reach = (low: number, high: number): number => {
            let most = -Infinity;
            for (let v = 0; v < cut.positions.length; v += 3) {
                const [x, y, z] = cut.positions.subarray(v, v + 3);
                if (y >= low && y < high) {
                    most = Math.max(most, Math.abs(x - Box.centre[0]) - Box.half[0], Math.abs(z - Box.centre[2]) - Box.half[2]);
                }
            }
            return most;
        };
        const foot = reach(-spacing, 1.5 * spacing);
        const sides = reach(Box.centre[1] - spacing, Box.centre[1] + spacing);
        expect(foot - sides).withContext(`the foot's reach past the box's footprint ${foot.toFixed(4)}, its sides' ${sides.toFixed(4)}`).toBeLessThan(spacing / 2);
    });

    it("puts the base on the plane and the top where a view from 45 degrees above sees it", () => {
        // the synthetic field's density rises from one spacing in front of each face, so the surface
        // level (the first rise) stands proud of the box's top; a view from 45 degrees above has lost
        // half its light at the true top (y = 0.3)
        const mesh = ExtractObjectMesh(flat.field, flat.objectField, 1, { resolution: 64 });
        const radianceSpacing = 0.9 / 55;
        const planeHeight = (mesh.stats.support?.offset ?? NaN) / (mesh.stats.support?.normal[1] ?? NaN);
        const meanHeight = (keep: (x: number, y: number, z: number) => boolean): number => {
            let [sum, count] = [0, 0];
            for (let v = 0; v < mesh.positions.length; v += 3) {
                const [x, y, z] = mesh.positions.subarray(v, v + 3);
                if (keep(x, y, z)) {
                    [sum, count] = [sum + y, count + 1];
                }
            }
            return count > 0 ? sum / count : NaN;
        };
        const central = (x: number, z: number): boolean => Math.abs(x - Box.centre[0]) < Box.half[0] * 0.6 && Math.abs(z - Box.centre[2]) < Box.half[2] * 0.6;
        const base = meanHeight((x, y, z) => central(x, z) && y < 0.1);
        const top = meanHeight((x, y, z) => central(x, z) && y > 0.2);
        const boxTop = Box.centre[1] + Box.half[1];
        expect(Math.abs(base - planeHeight)).withContext(`base ${base.toFixed(4)}, plane ${planeHeight.toFixed(4)}`).toBeLessThan(radianceSpacing / 20);
        expect(Math.abs(top - boxTop)).withContext(`top ${top.toFixed(4)}, true top ${boxTop}`).toBeLessThan(radianceSpacing / 4);
    });

    it("extracts a hollow box (a field that never saw inside it) as one outer surface, as close as the solid box", () => {
        const hollow = TableScene(0, true, 0.05);
        const mesh = ExtractObjectMesh(hollow.field, hollow.objectField, 1, { resolution: 64 });
        const solid = ExtractObjectMesh(flat.field, flat.objectField, 1, { resolution: 64 });
        const truth = BoxMesh(0);
        const distance = ChamferDistance(mesh, truth, 20000).distance;
        const reference = ChamferDistance(solid, truth, 20000).distance;
        expect(distance).withContext(`Chamfer: hollow ${distance.toFixed(4)}, solid ${reference.toFixed(4)}`).toBeLessThan(reference * 1.25);
        let deepest = 0;
        for (let v = 0; v < mesh.positions.length; v += 3) {
            deepest = Math.max(deepest, -BoxDistance(mesh.positions.subarray(v, v + 3), Box.centre, Box.half));
        }
        expect(deepest).withContext("no inner sheet: no vertex deep inside the box").toBeLessThan(0.03);
    });

    it("follows a tilted table, and finds nothing where the object stands on nothing", () => {
        const tilt = (12 * Math.PI) / 180;
        const tilted = TableScene(tilt);
        const mesh = ExtractObjectMesh(tilted.field, tilted.objectField, 1, { resolution: 64 });
        const normal = mesh.stats.support?.normal ?? [0, 0, 0];
        const expected = Turn([0, 1, 0], tilt);
        const angle = (Math.acos(Math.min(1, normal[0] * expected[0] + normal[1] * expected[1] + normal[2] * expected[2])) * 180) / Math.PI;
        expect(angle).withContext("angle between the found and the true table normal, degrees").toBeLessThan(2);
        const uncut = ExtractObjectMesh(tilted.field, tilted.objectField, 1, { resolution: 64, up: null });
        expect(ChamferDistance(mesh, BoxMesh(tilt), 20000).distance).toBeLessThan(ChamferDistance(uncut, BoxMesh(tilt), 20000).distance * 0.75);

        const floating = TableScene(0, false);
        const alone = ExtractObjectMesh(floating.field, floating.objectField, 1, { resolution: 64 });
        expect(alone.stats.support).withContext("no table: no support").toBeNull();
    });

    it("takes no wall for a support, and needs a ring around the object", () => {
        // the object's labelled region (the box and the slab under it) as points; seen with x as
        // "up", the columns beside it start inside the table or meet nothing: no support
        const points: number[] = [];
        for (let x = -0.05; x <= 0.25; x += 0.02) {
            for (let y = -0.08; y <= 0.3; y += 0.02) {
                for (let z = -0.2; z <= 0.1; z += 0.02) {
                    points.push(x, y, z);
                }
            }
        }
        const density = (p: ArrayLike<number>): number => DensityAt(flat.field, p);
        const iso = -Math.log(0.7) / (0.9 / 55);
        expect(FindSupportPlane({ sceneDensity: density, iso, objectPoints: Float32Array.from(points), up: [1, 0, 0], radianceSpacing: 0.9 / 55 })).toBeNull();
        expect(FindSupportPlane({ sceneDensity: density, iso, objectPoints: new Float32Array(0), up: [0, 1, 0], radianceSpacing: 0.9 / 55 })).toBeNull();
        const found = FindSupportPlane({ sceneDensity: density, iso, objectPoints: Float32Array.from(points), up: [0, 2, 0], radianceSpacing: 0.9 / 55 });
        expect(found?.normal[1]).withContext("up need not be unit length").toBeGreaterThan(0.999);
    });
});

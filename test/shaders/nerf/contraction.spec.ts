import { CellWidth, ContractedFar, ContractedShell, FieldPointAt, FieldUnit, MarchCoordinate, MarchDistance, MarchSteps, RaySpan, SampleWidth, type FieldParams } from "@shaders/nerf/fieldMath";
import { MarchToSurface } from "@plugin/core/nerf/fieldSurface";
import { ContractedField } from "@test/helpers/contractedField";
import { SeededRandom } from "@test/helpers/random";

const field: FieldParams = { boundsMin: [-1, -0.5, 0], boundsMax: [1, 1.5, 3], stepSize: 0.05, densityShift: 0, gridSize: [9, 9, 9], occupancySize: [4, 4, 4], contracted: true, near: 0.2 };

describe("scene contraction (fieldMath, the CPU side of fieldCommon.wgsl)", () => {
    it("maps the box onto the middle of the unit cube, the rest of space onto the shell, continuously and invertibly", () => {
        const inner = (0.5 * ContractedShell) / (1 + ContractedShell);
        FieldUnit(field, field.boundsMin).forEach((v) => expect(v).toBeCloseTo(inner, 12));
        FieldUnit(field, field.boundsMax).forEach((v) => expect(v).toBeCloseTo(1 - inner, 12));
        // far away along any direction: towards the cube's faces, never past them
        for (const v of FieldUnit(field, [1e6, -3e5, 2e5])) {
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(1);
        }
        expect(FieldUnit(field, [1e6, 0.5, 1.5])[0]).toBeCloseTo(1, 5);
        const random = SeededRandom(3);
        for (let i = 0; i < 200; i++) {
            const scale = 10 ** (random() * 3 - 1);
            const p = [0, 1, 2].map(() => (random() * 2 - 1) * 4 * scale);
            const back = FieldPointAt(field, FieldUnit(field, p));
            p.forEach((v, a) => expect(back[a]).toBeCloseTo(v, 6 - Math.max(0, Math.ceil(Math.log10(Math.abs(v) + 1)))));
            // continuity across the box's faces: a step of 1e-7 moves the unit position by about as much
            const q = [p[0] + 1e-7, p[1], p[2]];
            const d = FieldUnit(field, q).map((v, a) => Math.abs(v - FieldUnit(field, p)[a]));
            expect(Math.max(...d)).toBeLessThan(1e-6);
        }
        // bounded fields: the plain box
        expect(FieldUnit({ ...field, contracted: false }, [0, 0.5, 1.5])).toEqual([0.5, 0.5, 0.5]);
    });

    it("marches linearly in the box and evenly in disparity beyond it, to CONTRACTED_FAR times the linear part", () => {
        const tNear = 0.2;
        const tLinear = 2.5;
        const steps = MarchSteps(field, tNear, tLinear, 0.5);
        const t = Array.from({ length: steps }, (_, k) => MarchDistance(field, tNear, tLinear, k + 0.5));
        // every sample one step further in march coordinates; widths are dt/dm
        t.forEach((value, k) => expect(MarchCoordinate(field, tLinear, value)).toBeCloseTo(MarchCoordinate(field, tLinear, tNear) + k + 0.5, 2));
        for (let k = 1; k < steps - 1; k++) {
            expect(t[k]).toBeGreaterThan(t[k - 1]);
            if (t[k] > 10 * tLinear) {
                continue; // central differences of the hyperbola lose accuracy towards its pole
            }
            const width = SampleWidth(field, tLinear, t[k]);
            expect(Math.abs((t[k + 1] - t[k - 1]) / 2 - width) / width).toBeLessThan(0.05);
        }
        // inside the box: the bounded march exactly
        expect(t[1] - t[0]).toBeCloseTo(field.stepSize, 6);
        // beyond it: disparity 1 / t falls by the same amount at every step
        const beyond = t.filter((value) => value > tLinear * 1.01 && value < 50 * tLinear);
        const disparitySteps = beyond.slice(1).map((value, i) => 1 / beyond[i] - 1 / value);
        expect(Math.max(...disparitySteps) / Math.min(...disparitySteps)).toBeLessThan(1.01);
        // the last sample lies within a step of the march's end, the coordinate of CONTRACTED_FAR * tLinear
        const end = MarchCoordinate(field, tLinear, ContractedFar * tLinear);
        expect(MarchCoordinate(field, tLinear, t[steps - 1])).toBeGreaterThan(end - 1);
        expect(t[steps - 1]).toBeLessThan(ContractedFar * tLinear);
    });

    it("starts rays at near, ends their linear part at the box exit (or the closest approach on a miss)", () => {
        const [tNear, tLinear] = RaySpan(field, [0, 0.5, -2], [0, 0, 1]);
        expect(tNear).toBeCloseTo(0.2, 6);
        expect(tLinear).toBeCloseTo(5, 5);
        const miss = RaySpan(field, [5, 0.5, -2], [0, 0, 1]);
        expect(miss[1]).toBeCloseTo(3.5, 5);
        expect(RaySpan({ ...field, contracted: false }, [0, 0.5, -2], [0, 0, 1])).toEqual([2, 5]);
    });

    it("gives occupancy cells in the shell the widest sample width they hold", () => {
        expect(CellWidth(field, [1, 1, 1])).toBe(field.stepSize);
        const outer = CellWidth(field, [3, 1, 1]);
        expect(outer).toBeGreaterThan(field.stepSize);
        // the outermost cells reach infinity: capped at CONTRACTED_FAR^2 steps
        expect(CellWidth(field, [0, 0, 0])).toBeCloseTo(field.stepSize * ContractedFar ** 2, 3);
    });

    it("picks the first surface of a contracted field: the object in the box, the far wall past it", () => {
        const contracted = ContractedField();
        const p = contracted.params;
        const centre = [0, 1, 2].map((a) => 0.5 * (p.boundsMin[a] + p.boundsMax[a]));
        const eye = [centre[0] + 2, centre[1] + 0.3, centre[2] + 2];
        const toCentre = centre.map((v, a) => v - eye[a]);
        const hit = MarchToSurface(contracted, eye, toCentre);
        expect(hit).not.toBeNull();
        // the blob (radius 0.45 half extents around the centre): well inside the box
        hit!.point.forEach((v, a) => expect(Math.abs(v - centre[a])).toBeLessThan(0.6 * (p.boundsMax[a] - p.boundsMin[a])));
        // looking away from the box: the wall, set beyond 5 half extents on grid points whose
        // interpolation ramps up from about 3 (the shell's coarse grid), far outside the box
        const away = MarchToSurface(contracted, eye, toCentre.map((v) => -v));
        expect(away).not.toBeNull();
        const u = away!.point.map((v, a) => (v - centre[a]) / (0.5 * (p.boundsMax[a] - p.boundsMin[a])));
        expect(Math.max(...u.map(Math.abs))).toBeGreaterThan(3);
    });
});

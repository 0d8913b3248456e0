import { ExtractObjectMesh } from "@plugin/core/extraction/objectExtraction";
import { ObjectSurfaceLevel } from "@plugin/core/extraction/surfaceLevel";
import { DensityAt } from "@plugin/core/nerf/fieldSurface";
import type { RadianceFieldData } from "@plugin/core/nerf/radianceFieldData";
import { SurfaceNets, type ScalarGrid } from "@plugin/core/geometry/surfaceNets";
import { Softplus } from "@shaders/nerf/fieldMath";
import { SphereObjectField, Spheres, TwoSphereField } from "@test/helpers/fusionFixture";

/** A cube grid of `n` points over [-1, 1] per axis, valued by `density`. */
function GridOf(n: number, density: (p: readonly number[]) => number): ScalarGrid {
    const spacing = 2 / (n - 1);
    const values = new Float32Array(n * n * n);
    for (let index = 0; index < values.length; index++) {
        values[index] = density([-1 + (index % n) * spacing, -1 + (Math.floor(index / n) % n) * spacing, -1 + Math.floor(index / (n * n)) * spacing]);
    }
    return { size: [n, n, n], boundsMin: [-1, -1, -1], spacing: [spacing, spacing, spacing], values };
}

/** Largest |x| of a mesh's vertices. */
function HalfWidthX(positions: Float32Array): number {
    let largest = 0;
    for (let v = 0; v < positions.length; v += 3) {
        largest = Math.max(largest, Math.abs(positions[v]));
    }
    return largest;
}

/** How far from sphere 1's centre (away from sphere 2) rays along z through a field still get half opaque. */
function HalfOpaqueRadius(field: RadianceFieldData): number {
    const { centre } = Spheres[0];
    const step = 0.005;
    let radius = 0;
    for (let offset = 0; offset < 0.4; offset += 0.0025) {
        let depth = 0;
        for (let z = -0.8; z <= 0.8; z += step) {
            depth += DensityAt(field, [centre[0] - offset, centre[1], z]) * step;
        }
        radius = depth >= Math.LN2 ? offset : radius;
    }
    return radius;
}

describe("extraction: the surface level of sharp and soft objects", () => {
    it("keeps the fixed level for a sharp object, whatever it is", () => {
        const ball = GridOf(40, (p) => (Math.hypot(p[0], p[1], p[2]) < 0.5 ? 200 : 0));
        for (const fixed of [5, 30, 150]) {
            const chosen = ObjectSurfaceLevel(ball, fixed);
            expect(chosen.level).toBe(fixed);
            expect(chosen.lowered).toBeFalse();
            expect(chosen.opaqueRays).toBeGreaterThan(6 * 100);
        }
    });

    it("lowers the level for a soft object smeared along one axis until its rendered silhouette has a surface", () => {
        // a soft blob, long along z (a forward-facing capture's depth): its peak density (3) is far
        // below the fixed level (20), yet it renders opaque from every side
        const [peak, sideWidth, depthWidth] = [3, 0.2, 0.45];
        const density = (p: readonly number[]): number => peak * Math.exp(-(p[0] ** 2 + p[1] ** 2) / (2 * sideWidth ** 2) - p[2] ** 2 / (2 * depthWidth ** 2));
        const blob = GridOf(64, density);
        const chosen = ObjectSurfaceLevel(blob, 20);
        expect(chosen.lowered).toBeTrue();
        expect(chosen.level).toBeLessThan(peak);
        expect(SurfaceNets(blob, 20).indices.length).withContext("the fixed level finds nothing").toBe(0);
        // seen along z, a ray at distance x from the axis reaches optical depth
        // peak * sqrt(2 pi) * depthWidth * exp(-x² / (2 sideWidth²)): half opaque out to this x
        const halfOpaqueX = sideWidth * Math.sqrt(2 * Math.log((peak * Math.sqrt(2 * Math.PI) * depthWidth) / Math.LN2));
        const width = HalfWidthX(SurfaceNets(blob, chosen.level).positions);
        const spacing = blob.spacing[0];
        // nine in ten of the half-opaque rays along z meet the surface: it reaches close to the
        // silhouette's edge, not far beyond it (the level is no lower than it needs to be)
        expect(width).toBeGreaterThan(0.8 * halfOpaqueX);
        expect(width).toBeLessThan(halfOpaqueX + 2 * spacing);
    });

    it("leaves the level where it was when too few rays see the object", () => {
        const speck = GridOf(40, (p) => (Math.hypot(p[0], p[1], p[2]) < 0.06 ? 12 : 0));
        const chosen = ObjectSurfaceLevel(speck, 100);
        expect(chosen.level).toBe(100);
        expect(chosen.lowered).toBeFalse();
    });

    it("extracts a soft object whole where the fixed level would find nothing, and says which level it took", () => {
        const sharp = TwoSphereField(48);
        const sharpMesh = ExtractObjectMesh(sharp, SphereObjectField(), 1, { resolution: 64, up: null });
        expect(sharpMesh.stats.surfaceOpacity).toBeCloseTo(0.3, 6);
        // the same spheres at 1/65 of the density: 3 deep inside, where the fixed level is about 10
        const shift = sharp.params.densityShift;
        const soft = { ...sharp, density: sharp.density.map((raw) => Math.log(Math.expm1(Math.max(1e-6, (Softplus(raw + shift) * 3) / 196))) - shift) };
        const softMesh = ExtractObjectMesh(soft, SphereObjectField(), 1, { resolution: 64, up: null });
        expect(softMesh.stats.surfaceOpacity).toBeLessThan(0.3);
        expect(softMesh.indices.length).toBeGreaterThan(300);
        // the sphere as it renders: half opaque out to some radius short of its true one (its rim
        // is thin); the mesh spans that silhouette on every axis
        const silhouette = 2 * HalfOpaqueRadius(soft);
        expect(silhouette).toBeGreaterThan(Spheres[0].radius);
        for (let axis = 0; axis < 3; axis++) {
            let [low, high] = [Infinity, -Infinity];
            for (let v = axis; v < softMesh.positions.length; v += 3) {
                [low, high] = [Math.min(low, softMesh.positions[v]), Math.max(high, softMesh.positions[v])];
            }
            expect(high - low).withContext(`extent along axis ${axis}`).toBeGreaterThan(0.8 * silhouette);
            expect(high - low).withContext(`extent along axis ${axis}`).toBeLessThan(1.1 * silhouette);
        }
    });
});

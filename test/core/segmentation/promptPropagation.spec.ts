import { PropagatePrompts, type PropagationView } from "@plugin/core/segmentation/promptPropagation";
import { MarchToSurface } from "@plugin/core/nerf/fieldSurface";
import { ProjectPoint, PixelRay } from "@plugin/core/math/cameraProjection";
import type { CameraIntrinsics } from "@plugin/core/capture/captureTypes";
import type { RadianceFieldData } from "@plugin/core/nerf/radianceFieldData";
import { LookAtRows } from "@test/helpers/imageFixtures";
import { SphereField } from "@test/helpers/sphereField";

const intrinsics: CameraIntrinsics = { fx: 80, fy: 80, cx: 32, cy: 32, width: 64, height: 64 };

function View(eye: [number, number, number], target: [number, number, number] = [0, 0, 0]): PropagationView {
    return { cameraToWorld: LookAtRows(eye, target).flat(), intrinsics };
}

/** Two spheres: a big one at the origin and a small one at +x. */
function TwoSpheres(): RadianceFieldData {
    const big = SphereField({ centre: [0, 0, 0], radius: 0.3, grid: 48 });
    const small = SphereField({ centre: [0.5, 0, 0], radius: 0.15, grid: 48 });
    const density = Float32Array.from(big.density, (v, i) => Math.max(v, small.density[i]));
    const occupancy = Uint32Array.from(big.occupancy, (w, i) => w | small.occupancy[i]);
    return { ...big, density, occupancy };
}

describe("prompt propagation", () => {
    const field = TwoSpheres();
    // a point on the small sphere's far (+x) side, found by lifting a click from a camera on +x
    const lifter = View([3, 0.2, 0.1], [0.5, 0, 0]);
    const hit = MarchToSurface(field, PixelRay(lifter.cameraToWorld, intrinsics, 32, 32).origin, PixelRay(lifter.cameraToWorld, intrinsics, 32, 32).direction)!;

    it("keeps a point where it is visible and rejects it where a surface is in front of it", () => {
        expect(hit.point[0]).toBeGreaterThan(0.6);
        const views = [
            View([3, 0.5, 0.5]), // sees the +x side: visible
            View([-3, 0.1, 0.1]), // behind the big sphere, looking at +x: occluded
            View([0.55, 0, 3], [0.55, 0, 0]), // from +z, the point is on the silhouette's far side: occluded by the small sphere itself or grazing
            View([0, 3, 0], [0, 0, 0.01]), // from above
        ];
        const prompts = PropagatePrompts(field, views, [{ position: hit.point, label: 1 }]);
        expect(prompts[0].visibility[0]).toBe("visible");
        expect(prompts[0].valid).toBeTrue();
        const projected = ProjectPoint(views[0].cameraToWorld, intrinsics, hit.point);
        expect(prompts[0].points[0].x).toBeCloseTo(projected.u, 6);
        expect(prompts[1].visibility[0]).toBe("occluded");
        expect(prompts[1].valid).toBeFalse();
        expect(prompts[1].points.length).toBe(0);
    });

    it("marks points outside the image and needs more than 80% of the points for a valid view", () => {
        const behind = View([3, 0, 0], [6, 0, 0]); // looks away
        const prompts = PropagatePrompts(field, [behind], [{ position: hit.point, label: 1 }]);
        expect(prompts[0].visibility).toEqual(["outside"]);
        const other: [number, number, number] = [-0.3, 0, 0]; // on the big sphere's -x side: occluded from +x
        const five = [hit.point, hit.point, hit.point, hit.point, other].map((position) => ({ position, label: 1 as const }));
        const fromPlusX = PropagatePrompts(field, [View([3, 0.2, 0.1], [0.5, 0, 0])], five)[0];
        expect(fromPlusX.visibleFraction).toBeCloseTo(0.8, 6);
        expect(fromPlusX.valid).withContext("exactly 80% is not more than 80%").toBeFalse();
        const four = PropagatePrompts(field, [View([3, 0.2, 0.1], [0.5, 0, 0])], five.slice(0, 4))[0];
        expect(four.valid).toBeTrue();
    });

    it("leaves out a point at the edge of an occluder (a surface in front one pixel away)", () => {
        // from +x the small sphere sits in front of the big one: walk right from the image centre to
        // the first pixel whose ray passes the small sphere and meets the big one behind it
        const view = View([3, 0, 0]);
        let edge: readonly number[] | null = null;
        for (let u = 32.5; u < 64 && !edge; u++) {
            const ray = PixelRay(view.cameraToWorld, intrinsics, u, 32.5);
            const surface = MarchToSurface(field, ray.origin, ray.direction);
            if (surface && surface.point[0] < 0.3) {
                edge = surface.point;
            }
        }
        expect(edge).withContext("a point of the big sphere next to the small sphere's silhouette").not.toBeNull();
        const [atEdge] = PropagatePrompts(field, [view], [{ position: edge as [number, number, number], label: 1 }]);
        expect(atEdge.visibility[0]).toBe("occluded");
        const [unchecked] = PropagatePrompts(field, [view], [{ position: edge as [number, number, number], label: 1 }], undefined, { occlusionMargin: 0 });
        expect(unchecked.visibility[0]).withContext("its own ray meets it first").toBe("visible");
        // the same point from a view where nothing is in front of it stays visible
        const [open] = PropagatePrompts(field, [View([2.5, 0, -1.5])], [{ position: edge as [number, number, number], label: 1 }]);
        expect(open.visibility[0]).toBe("visible");
    });

    it("projects a 3-D box to the 2-D box of its corners", () => {
        const corners: [number, number, number][] = [0, 1, 2, 3, 4, 5, 6, 7].map((c) => [c & 1 ? 0.2 : -0.2, c & 2 ? 0.2 : -0.2, c & 4 ? 0.2 : -0.2]);
        const [prompt] = PropagatePrompts(field, [View([0, 0, 3])], [], corners);
        expect(prompt.valid).toBeTrue();
        expect(prompt.box!.x0).toBeLessThan(32);
        expect(prompt.box!.x1).toBeGreaterThan(32);
        expect(prompt.box!.x1 - prompt.box!.x0).toBeCloseTo(prompt.box!.y1 - prompt.box!.y0, 3);
    });
});

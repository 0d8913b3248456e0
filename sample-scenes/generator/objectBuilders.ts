// Mesh factories for the sample scenes' objects. Every factory returns a mesh standing on y = 0,
// centred on the y axis, with its transform baked into the vertices (identity world matrix).
import type { Scene } from "@babylonjs/core/scene";
import { Mesh } from "@babylonjs/core/Meshes/mesh";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { CreateSphere } from "@babylonjs/core/Meshes/Builders/sphereBuilder";
import { CreateBox } from "@babylonjs/core/Meshes/Builders/boxBuilder";
import { CreateCylinder } from "@babylonjs/core/Meshes/Builders/cylinderBuilder";
import { CreateTorus } from "@babylonjs/core/Meshes/Builders/torusBuilder";
import { CreateCapsule } from "@babylonjs/core/Meshes/Builders/capsuleBuilder";
import { CreateLathe } from "@babylonjs/core/Meshes/Builders/latheBuilder";

/** Builds one object's mesh in `scene`, named `name`. */
export type MeshFactory = (name: string, scene: Scene) => Mesh;

/**
 * Moves a mesh so that its bounding box stands on y = 0 centred on the y axis, and bakes every
 * transform into its vertices.
 * @param mesh the mesh (its current transform is applied first)
 * @returns the same mesh
 */
export function StandOnOrigin(mesh: Mesh): Mesh {
    mesh.bakeCurrentTransformIntoVertices();
    const { minimumWorld, maximumWorld } = mesh.refreshBoundingInfo().getBoundingInfo().boundingBox;
    mesh.position.set(-(minimumWorld.x + maximumWorld.x) / 2, -minimumWorld.y, -(minimumWorld.z + maximumWorld.z) / 2);
    mesh.bakeCurrentTransformIntoVertices();
    mesh.refreshBoundingInfo();
    return mesh;
}

/** Merges part meshes (each already placed) into one mesh standing on the origin. */
function MergeParts(name: string, parts: Mesh[]): Mesh {
    const merged = Mesh.MergeMeshes(parts, true, true);
    if (!merged) {
        throw new Error(`could not merge the parts of "${name}"`);
    }
    merged.name = name;
    return StandOnOrigin(merged);
}

/**
 * A UV sphere.
 * @param diameter its diameter
 * @returns the factory
 */
export function SphereFactory(diameter: number): MeshFactory {
    return (name, scene) => StandOnOrigin(CreateSphere(name, { diameter, segments: 24 }, scene));
}

/**
 * An axis-aligned box.
 * @param width size along x
 * @param height size along y
 * @param depth size along z
 * @returns the factory
 */
export function BoxFactory(width: number, height: number, depth: number): MeshFactory {
    return (name, scene) => StandOnOrigin(CreateBox(name, { width, height, depth }, scene));
}

/**
 * An upright cylinder or truncated cone (a cone when `topDiameter` is 0).
 * @param bottomDiameter diameter at the bottom
 * @param topDiameter diameter at the top
 * @param height its height
 * @returns the factory
 */
export function CylinderFactory(bottomDiameter: number, topDiameter: number, height: number): MeshFactory {
    return (name, scene) => StandOnOrigin(CreateCylinder(name, { diameterBottom: bottomDiameter, diameterTop: topDiameter, height, tessellation: 40 }, scene));
}

/**
 * A torus lying flat (upright = false) or standing on its rim (upright = true).
 * @param diameter diameter of the tube's centre line
 * @param thickness diameter of the tube
 * @param upright stand it up (ring in the x-y plane)
 * @returns the factory
 */
export function TorusFactory(diameter: number, thickness: number, upright: boolean): MeshFactory {
    return (name, scene) => {
        const torus = CreateTorus(name, { diameter, thickness, tessellation: 64 }, scene);
        if (upright) {
            torus.rotation.x = Math.PI / 2;
        }
        return StandOnOrigin(torus);
    };
}

/**
 * An upright capsule.
 * @param radius radius of the caps and the body
 * @param height overall height
 * @returns the factory
 */
export function CapsuleFactory(radius: number, height: number): MeshFactory {
    return (name, scene) => StandOnOrigin(CreateCapsule(name, { radius, height, tessellation: 32, capSubdivisions: 8 }, scene));
}

/**
 * A desk lamp: a flat round base, a thin stem and a shade (a truncated cone).
 * @param stemDiameter diameter of the stem (the thin part)
 * @param stemHeight height of the stem above the base
 * @returns the factory
 */
export function LampFactory(stemDiameter: number, stemHeight: number): MeshFactory {
    return (name, scene) => {
        const baseHeight = 0.03;
        const shadeHeight = 0.17;
        const base = CreateCylinder(`${name} base`, { diameter: 0.22, height: baseHeight, tessellation: 40 }, scene);
        base.position.y = baseHeight / 2;
        const stem = CreateCylinder(`${name} stem`, { diameter: stemDiameter, height: stemHeight, tessellation: 16 }, scene);
        stem.position.y = baseHeight + stemHeight / 2;
        const shade = CreateCylinder(`${name} shade`, { diameterTop: 0.13, diameterBottom: 0.3, height: shadeHeight, tessellation: 48 }, scene);
        shade.position.y = baseHeight + stemHeight - 0.04 + shadeHeight / 2;
        return MergeParts(name, [base, stem, shade]);
    };
}

/** Points of a quarter ellipse from (x0, y0) (tangent horizontal) to (x1, y1) (tangent vertical). */
function QuarterEllipse(x0: number, y0: number, x1: number, y1: number, steps: number): Vector3[] {
    const points: Vector3[] = [];
    for (let i = 0; i <= steps; i++) {
        const angle = (i / steps) * (Math.PI / 2);
        points.push(new Vector3(x0 + (x1 - x0) * Math.sin(angle), y0 + (y1 - y0) * (1 - Math.cos(angle)), 0));
    }
    return points;
}

/**
 * An open bowl with a wall of some thickness (a closed solid: outside, rim, inside), made with
 * CreateLathe: concave, open at the top so its inside is visible.
 * @param radius outer radius at the rim
 * @param height outer height
 * @param wall wall thickness
 * @returns the factory
 */
export function BowlFactory(radius: number, height: number, wall: number): MeshFactory {
    return (name, scene) => {
        const footRadius = radius * 0.5;
        const outside = QuarterEllipse(footRadius, 0, radius, height, 16);
        const inside = QuarterEllipse(footRadius - wall * 0.5, wall, radius - wall, height, 16).reverse();
        const profile = [new Vector3(0, 0, 0), ...outside, ...inside, new Vector3(0, wall, 0)];
        return StandOnOrigin(CreateLathe(name, { shape: profile, tessellation: 64, closed: true }, scene));
    };
}

/**
 * A dome (half an ellipsoid with a flat bottom), made with CreateLathe.
 * @param radius radius of its base
 * @param height its height
 * @returns the factory
 */
export function DomeFactory(radius: number, height: number): MeshFactory {
    return (name, scene) => {
        const profile = [new Vector3(0, 0, 0)];
        const steps = 20;
        for (let i = 0; i <= steps; i++) {
            const angle = (i / steps) * (Math.PI / 2);
            profile.push(new Vector3(radius * Math.cos(angle), height * Math.sin(angle), 0));
        }
        return StandOnOrigin(CreateLathe(name, { shape: profile, tessellation: 64, closed: true }, scene));
    };
}

// What the sample scenes hold: the table, and each object's name, colour, shape and nominal spot on
// the table top. Object ids are the positions in these lists (1..K), so they never change.
import type { SampleSceneName } from "./generatorTypes";
import type { MeshFactory } from "./objectBuilders";
import { BoxFactory, BowlFactory, CapsuleFactory, CylinderFactory, DomeFactory, LampFactory, SphereFactory, TorusFactory } from "./objectBuilders";

/** An RGB colour, components in [0, 1]. */
export type Rgb = [number, number, number];

/** One object of a scene layout. */
export interface ObjectSpec {
    /** Human-readable name (transforms.json `objects[].name`). */
    readonly name: string;
    /** Diffuse colour; ignored (the table's is used) when `sharesTableMaterial`. */
    readonly color: Rgb;
    /** Builds the mesh, standing on y = 0. */
    readonly build: MeshFactory;
    /** Nominal position on the table top (x, z) before the seeded jitter. */
    readonly spot: readonly [number, number];
    /** Use exactly the table top's material (a hard case for segmentation). */
    readonly sharesTableMaterial?: boolean;
}

/** A scene's layout. */
export interface SceneLayout {
    /** The scene's name. */
    readonly name: SampleSceneName;
    /** Objects in id order (id = index + 1). */
    readonly objects: readonly ObjectSpec[];
    /** Largest seeded offset of an object from its spot, along x and along z. */
    readonly jitter: number;
}

/**
 * The table top both scenes stand on: a flat slab whose top surface is the plane y = 0. There is
 * no floor, no legs and no sky: the captures are object-centric (transparent background), so the
 * whole visible scene lies inside scene_aabb.
 */
export const Table = {
    /** Size of the top along x. */
    width: 2.3,
    /** Size of the top along z. */
    depth: 1.9,
    /** Thickness of the top. */
    thickness: 0.08,
    /** Wood colour of the top. */
    color: [0.55, 0.36, 0.2] as Rgb,
};

const TabletopLayout: SceneLayout = {
    name: "tabletop",
    jitter: 0.08,
    objects: [
        { name: "red sphere", color: [0.88, 0.12, 0.1], build: SphereFactory(0.4), spot: [-0.55, 0.32] },
        { name: "blue box", color: [0.12, 0.28, 0.9], build: BoxFactory(0.34, 0.34, 0.34), spot: [0.05, 0.42] },
        { name: "green cylinder", color: [0.12, 0.7, 0.2], build: CylinderFactory(0.26, 0.26, 0.5), spot: [0.6, 0.22] },
        { name: "yellow torus", color: [0.92, 0.8, 0.1], build: TorusFactory(0.4, 0.12, false), spot: [-0.5, -0.36] },
        { name: "purple cone", color: [0.55, 0.15, 0.8], build: CylinderFactory(0.36, 0, 0.48), spot: [0.08, -0.18] },
        { name: "orange capsule", color: [0.95, 0.5, 0.08], build: CapsuleFactory(0.12, 0.52), spot: [0.62, -0.42] },
    ],
};

const HardLayout: SceneLayout = {
    name: "hard",
    jitter: 0.06,
    objects: [
        { name: "desk lamp (thin stem)", color: [0.1, 0.5, 0.5], build: LampFactory(0.03, 0.5), spot: [-0.55, -0.35] },
        { name: "wire ring", color: [0.85, 0.15, 0.65], build: TorusFactory(0.42, 0.024, true), spot: [0.55, -0.38] },
        { name: "wooden dome (table material)", color: Table.color, build: DomeFactory(0.22, 0.16), spot: [0.5, 0.38], sharesTableMaterial: true },
        { name: "open bowl", color: [0.88, 0.88, 0.82], build: BowlFactory(0.25, 0.17, 0.022), spot: [-0.42, 0.38] },
        { name: "blue box", color: [0.12, 0.28, 0.9], build: BoxFactory(0.3, 0.3, 0.3), spot: [0.05, 0.02] },
    ],
};

/**
 * The layout of a sample scene.
 * @param name the scene's name
 * @returns its layout
 */
export function GetSceneLayout(name: SampleSceneName): SceneLayout {
    switch (name) {
        case "tabletop":
            return TabletopLayout;
        case "hard":
            return HardLayout;
        default:
            throw new Error(`unknown sample scene "${String(name)}" (known: tabletop, hard)`);
    }
}

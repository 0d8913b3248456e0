// Builds a sample scene in a right-handed Babylon scene (so its world is the capture's world): a
// table top (a flat slab whose top surface is y = 0; no floor, no legs; wood-grain brightness
// texture, the objects a mild one: see proceduralTextures.ts), a hemispheric and a
// directional light, and the layout's objects placed on the table top with seeded jitter. The clear
// colour is transparent black: the captures are object-centric, everything visible lies in
// scene_aabb. Every mesh has its world transform baked into its vertices.
import type { AbstractEngine } from "@babylonjs/core/Engines/abstractEngine";
import { Scene } from "@babylonjs/core/scene";
import type { Mesh } from "@babylonjs/core/Meshes/mesh";
import { VertexBuffer } from "@babylonjs/core/Buffers/buffer";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { Color3, Color4 } from "@babylonjs/core/Maths/math.color";
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial";
import { HemisphericLight } from "@babylonjs/core/Lights/hemisphericLight";
import { DirectionalLight } from "@babylonjs/core/Lights/directionalLight";
import { CreateBox } from "@babylonjs/core/Meshes/Builders/boxBuilder";
import { SeededRandom } from "../../plugin/core/math/seededRandom";
import type { Rgb, SceneLayout } from "./sceneLayouts";
import { Table } from "./sceneLayouts";
import type { BrightnessPattern } from "./proceduralTextures";
import { BrightnessTexture, ObjectPattern, TablePattern } from "./proceduralTextures";

/** An object of the built scene. */
export interface PlacedObject {
    /** Label id (1..K). */
    readonly id: number;
    /** Human-readable name. */
    readonly name: string;
    /** Diffuse colour. */
    readonly color: Rgb;
    /** Its mesh; vertices in world coordinates (identity world matrix). */
    readonly mesh: Mesh;
}

/** A built sample scene. */
export interface BuiltScene {
    /** The Babylon scene (right-handed). */
    readonly scene: Scene;
    /** The objects, in id order. */
    readonly objects: readonly PlacedObject[];
    /** The table top (a box whose top face is y = 0), labelled 0; the only mesh besides the objects. */
    readonly tableTop: Mesh;
}

/** Gap kept between the footprints of two objects, and between an object and the table's edge. */
const PlacementGap = 0.04;

/**
 * A matte material (no specular highlight, so colours barely depend on the view) whose diffuse
 * texture is `color` varied in brightness by `pattern` (see proceduralTextures.ts).
 */
function MatteMaterial(name: string, color: Rgb, pattern: BrightnessPattern, scene: Scene): StandardMaterial {
    const material = new StandardMaterial(name, scene);
    material.diffuseColor = Color3.White();
    material.diffuseTexture = BrightnessTexture(`${name} texture`, color, pattern, scene);
    material.specularColor = Color3.Black();
    return material;
}

/** Radius of the smallest circle around the y axis that holds the mesh's footprint. */
function FootprintRadius(mesh: Mesh): number {
    const positions = mesh.getVerticesData(VertexBuffer.PositionKind) ?? [];
    let radius = 0;
    for (let i = 0; i < positions.length; i += 3) {
        radius = Math.max(radius, Math.hypot(positions[i], positions[i + 2]));
    }
    return radius;
}

/** The table top: a slab from y = -thickness to y = 0, centred on the y axis. */
function BuildTableTop(scene: Scene, tableMaterial: StandardMaterial): Mesh {
    const top = CreateBox("table top", { width: Table.width, height: Table.thickness, depth: Table.depth }, scene);
    top.position.y = -Table.thickness / 2;
    top.material = tableMaterial;
    top.bakeCurrentTransformIntoVertices();
    top.refreshBoundingInfo();
    return top;
}

/**
 * Builds a sample scene.
 * @param engine the engine to render with
 * @param layout what the scene holds
 * @param seed seed of the placement jitter and the objects' turns about the vertical
 * @returns the scene, its objects (ids 1..K in layout order) and its table top
 */
export function BuildSampleScene(engine: AbstractEngine, layout: SceneLayout, seed: number): BuiltScene {
    const scene = new Scene(engine);
    scene.useRightHandedSystem = true;
    scene.clearColor = new Color4(0, 0, 0, 0);
    scene.ambientColor = Color3.Black();

    const sky = new HemisphericLight("sky light", new Vector3(0, 1, 0), scene);
    sky.intensity = 0.55;
    sky.diffuse = new Color3(1, 1, 1);
    sky.groundColor = new Color3(0.3, 0.3, 0.3);
    sky.specular = Color3.Black();
    const sun = new DirectionalLight("sun light", new Vector3(-0.45, -1, -0.3), scene);
    sun.intensity = 0.5;
    sun.specular = Color3.Black();

    const tableMaterial = MatteMaterial("table material", Table.color, TablePattern, scene);
    const tableTop = BuildTableTop(scene, tableMaterial);

    const random = SeededRandom(seed);
    const placed: { x: number; z: number; radius: number }[] = [];
    const objects: PlacedObject[] = layout.objects.map((spec, index) => {
        const id = index + 1;
        const mesh = spec.build(spec.name, scene);
        const radius = FootprintRadius(mesh);
        let spot: { x: number; z: number; turn: number } | undefined;
        for (let attempt = 0; attempt < 200 && !spot; attempt++) {
            const x = spec.spot[0] + (random() * 2 - 1) * layout.jitter;
            const z = spec.spot[1] + (random() * 2 - 1) * layout.jitter;
            const turn = random() * 2 * Math.PI;
            const onTable = Math.abs(x) + radius <= Table.width / 2 - PlacementGap && Math.abs(z) + radius <= Table.depth / 2 - PlacementGap;
            const free = placed.every((other) => Math.hypot(other.x - x, other.z - z) >= other.radius + radius + PlacementGap);
            if (onTable && free) {
                spot = { x, z, turn };
            }
        }
        if (!spot) {
            throw new Error(`${layout.name}: found no free spot on the table for "${spec.name}" near (${spec.spot.join(", ")})`);
        }
        placed.push({ x: spot.x, z: spot.z, radius });
        mesh.rotation.y = spot.turn;
        mesh.position.set(spot.x, 0, spot.z);
        mesh.bakeCurrentTransformIntoVertices();
        mesh.refreshBoundingInfo();
        mesh.material = spec.sharesTableMaterial ? tableMaterial : MatteMaterial(`${spec.name} material`, spec.color, ObjectPattern, scene);
        return { id, name: spec.name, color: spec.sharesTableMaterial ? Table.color : spec.color, mesh };
    });
    return { scene, objects, tableTop };
}

import { QuaternionTakingZTo, ReadSplat, SplatRowBytes, WriteSplat } from "@plugin/core/splats/splatCloud";
import type { SplatCloud } from "@plugin/core/splats/splatCloud";
import { SplatRasterizer } from "@plugin/core/splats/splatRasterizer";
import type { SplatView } from "@plugin/core/splats/splatView";
import { ReadSplatFileAsync } from "@plugin/core/splats/splatFile";
import type { SplatFile } from "@plugin/core/splats/splatFile";
import { ReadPlyVertexProperty } from "@plugin/core/splats/plyGaussians";
import { RenderSplatLabelsAsync } from "@plugin/core/splats/splatLabelRender";
import { SeededRandom } from "./random";
import { Spheres } from "./fusionFixture";

/**
 * Random splats in a cube around the origin (sizes, rotations, colours and opacities random).
 * @param count how many
 * @param seed PRNG seed
 * @param extent half the cube's side
 * @returns the cloud
 */
export function RandomSplatCloud(count: number, seed: number, extent = 0.6): SplatCloud {
    const random = SeededRandom(seed);
    const rows = new ArrayBuffer(count * SplatRowBytes);
    for (let i = 0; i < count; i++) {
        WriteSplat(rows, i, {
            position: [(random() * 2 - 1) * extent, (random() * 2 - 1) * extent, (random() * 2 - 1) * extent],
            scale: [0.02 + 0.08 * random(), 0.02 + 0.08 * random(), 0.02 + 0.08 * random()],
            rotation: [random() * 2 - 1, random() * 2 - 1, random() * 2 - 1, random() * 2 - 1],
            color: [random(), random(), random()],
            opacity: 0.2 + 0.8 * random(),
        });
    }
    return { name: `random-${seed}.splat`, count, rows, shDegree: 0 };
}

/** The two-sphere scene as splats: flat splats on each sphere's surface (labels 1, 2) and a floor below them (label 0). */
export interface LabelledSplatScene {
    readonly cloud: SplatCloud;
    /** True label per splat. */
    readonly labels: Uint8Array;
}

/**
 * The spheres of fusionFixture as surface splats, plus floor splats under them.
 * @param perSphere splats on each sphere
 * @param floor splats on the floor
 * @param seed PRNG seed
 * @returns the splats and their true labels
 */
export function TwoSphereSplats(perSphere = 1200, floor = 600, seed = 7): LabelledSplatScene {
    const random = SeededRandom(seed);
    const count = perSphere * Spheres.length + floor;
    const rows = new ArrayBuffer(count * SplatRowBytes);
    const labels = new Uint8Array(count);
    let i = 0;
    Spheres.forEach((sphere, index) => {
        const size = sphere.radius * Math.sqrt(4 / perSphere) * 1.2;
        for (let k = 0; k < perSphere; k++, i++) {
            // uniform on the sphere; the splat lies flat in its tangent plane (thin along the normal)
            const z = random() * 2 - 1;
            const phi = random() * 2 * Math.PI;
            const n = [Math.sqrt(1 - z * z) * Math.cos(phi), Math.sqrt(1 - z * z) * Math.sin(phi), z];
            WriteSplat(rows, i, {
                position: [sphere.centre[0] + sphere.radius * n[0], sphere.centre[1] + sphere.radius * n[1], sphere.centre[2] + sphere.radius * n[2]],
                scale: [size, size, size * 0.1],
                rotation: QuaternionTakingZTo(n),
                color: [sphere.colour[0], sphere.colour[1], sphere.colour[2]],
                opacity: 0.95,
            });
            labels[i] = index + 1;
        }
    });
    const floorSize = 1.6 / Math.sqrt(floor);
    for (let k = 0; k < floor; k++, i++) {
        WriteSplat(rows, i, {
            position: [(random() * 2 - 1) * 0.8, -0.36, (random() * 2 - 1) * 0.8],
            scale: [floorSize, floorSize * 0.1, floorSize],
            rotation: [1, 0, 0, 0],
            color: [0.6, 0.6, 0.55],
            opacity: 0.95,
        });
    }
    return { cloud: { name: "two-spheres.splat", count, rows, shDegree: 0 }, labels };
}

/**
 * The true label image of a view as the splats render it (what a perfect segmenter sees in the
 * rendered view): the scene drawn with each splat coloured by its label, each pixel given the
 * label with the most weight; pixels with opacity under 0.5 are 0.
 * @param scene the labelled splats (labels 0-2)
 * @param view the camera
 * @returns a label per pixel
 */
export async function RenderedTruthLabels(scene: LabelledSplatScene, view: SplatView): Promise<Uint8Array> {
    const rows = scene.cloud.rows.slice(0);
    const bytes = new Uint8Array(rows);
    for (let i = 0; i < scene.cloud.count; i++) {
        bytes.set([scene.labels[i] === 1 ? 255 : 0, scene.labels[i] === 2 ? 255 : 0, scene.labels[i] === 0 ? 255 : 0], i * SplatRowBytes + 24);
    }
    const render = await new SplatRasterizer(null).renderAsync({ ...scene.cloud, rows }, view);
    const labels = new Uint8Array(render.width * render.height);
    for (let p = 0; p < labels.length; p++) {
        const [r, g, b] = render.color.subarray(p * 3, p * 3 + 3);
        labels[p] = render.opacity[p] < 0.5 || (b >= r && b >= g) ? 0 : r >= g ? 1 : 2;
    }
    return labels;
}

/**
 * A sample scene's labelled splats (splats.ply beside its capture, label property per splat).
 * @param name the sample scene
 * @returns the file read for segmentation and the labels
 */
export async function SampleSceneSplatsAsync(name: string): Promise<{ file: SplatFile; scene: LabelledSplatScene }> {
    const response = await fetch(`/base/sample-scenes/captures/${name}/splats.ply`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const file = await ReadSplatFileAsync(bytes, `${name}/splats.ply`);
    const labels = ReadPlyVertexProperty(bytes, file.ply!.header, "label");
    if (!labels) {
        throw new Error(`${name}/splats.ply has no label property`);
    }
    return { file, scene: { cloud: file.cloud, labels: Uint8Array.from(labels) } };
}

/**
 * The label each pixel of a view shows (RenderSplatLabelsAsync on the CPU twin).
 * @param scene labelled splats
 * @param view the camera
 * @returns a label per pixel, 255 where the splats cover less than half the pixel
 */
export async function RenderLabelIds(scene: LabelledSplatScene, view: SplatView): Promise<Uint8Array> {
    return await RenderSplatLabelsAsync(new SplatRasterizer(null), scene.cloud, scene.labels, view);
}

/**
 * The largest difference between two clouds' splats, field by field, over every splat.
 * @param a the reference splats
 * @param b the splats to compare (same count and order)
 * @param colourAbove compare colours only where `a`'s opacity is above this (a SOG is decoded
 * through a canvas that premultiplies alpha, so faint splats' colours come back coarse)
 * @returns worst position error, |log| scale ratio, colour and opacity errors, and the smallest |rotation dot|
 */
export function SplatDifferences(a: SplatCloud, b: SplatCloud, colourAbove = -1): { position: number; scaleRatio: number; color: number; opacity: number; rotationDot: number } {
    const worst = { position: 0, scaleRatio: 0, color: 0, opacity: 0, rotationDot: 1 };
    for (let i = 0; i < a.count; i++) {
        const p = ReadSplat(a, i);
        const q = ReadSplat(b, i);
        for (let k = 0; k < 3; k++) {
            worst.position = Math.max(worst.position, Math.abs(p.position[k] - q.position[k]));
            worst.scaleRatio = Math.max(worst.scaleRatio, Math.abs(Math.log(p.scale[k] / q.scale[k])));
            if (p.opacity > colourAbove) {
                worst.color = Math.max(worst.color, Math.abs(p.color[k] - q.color[k]));
            }
        }
        worst.opacity = Math.max(worst.opacity, Math.abs(p.opacity - q.opacity));
        worst.rotationDot = Math.min(worst.rotationDot, Math.abs(p.rotation.reduce((sum, v, k) => sum + v * q.rotation[k], 0)));
    }
    return worst;
}

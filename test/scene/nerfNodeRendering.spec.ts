import { Scene } from "@babylonjs/core/scene";
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial";
import { Color3, Color4 } from "@babylonjs/core/Maths/math.color";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { CreateBox } from "@babylonjs/core/Meshes/Builders/boxBuilder";
import { TransformNode } from "@babylonjs/core/Meshes/transformNode";
import { FreeCamera } from "@babylonjs/core/Cameras/freeCamera";
import { NerfNode } from "@plugin/scene/nerfNode";
import { FieldViewFromCamera } from "@plugin/scene/fieldViews";
import { RenderViewCpu } from "@plugin/core/nerf/cpuFieldRenderer";
import { CaptureToBabylonPoint } from "@plugin/core/math/poseConversion";
import { MeanSquaredError, Psnr } from "@plugin/core/evaluation/imageMetrics";
import type { RgbaImage } from "@plugin/core/image/rgbaImage";
import { CreateEngineAsync, RenderFrameAsync, type EngineKind } from "@test/helpers/sceneRendering";
import { SphereField } from "@test/helpers/sphereField";

const width = 80;
const height = 60;
const centre: [number, number, number] = [0.1, -0.05, 0.05];
const radius = 0.45;
const sphereColour: [number, number, number] = [0.85, 0.3, 0.2];

function Pixel(image: RgbaImage, x: number, y: number): number[] {
    const i = (Math.round(y) * image.width + Math.round(x)) * 4;
    return Array.from(image.data.slice(i, i + 3));
}

function Unlit(scene: Scene, color: Color3): StandardMaterial {
    const material = new StandardMaterial(`unlit ${color.toHexString()}`, scene);
    material.disableLighting = true;
    material.emissiveColor = color;
    return material;
}

for (const kind of ["WebGPU", "WebGL2"] as EngineKind[]) {
    for (const rightHanded of [false, true]) {
        describe(`NerfNode drawn by ${kind} (${rightHanded ? "right" : "left"}-handed scene)`, () => {
            async function SetupAsync() {
                const engine = await CreateEngineAsync(kind, width, height);
                const scene = new Scene(engine);
                scene.useRightHandedSystem = rightHanded;
                scene.clearColor = new Color4(1, 1, 1, 1);
                const parent = new TransformNode("parent", scene);
                parent.position.set(0.5, 0.2, -0.4);
                parent.rotation.set(0.2, 0.8, -0.1);
                const node = new NerfNode("sphere", scene, SphereField({ centre, radius, colour: sphereColour }));
                node.parent = parent;
                node.quality.adaptive = false;
                const worldCentre = Vector3.TransformCoordinates(Vector3.FromArray(CaptureToBabylonPoint(centre, rightHanded ? "right" : "left")), node.computeWorldMatrix(true));
                const camera = new FreeCamera("camera", worldCentre.add(new Vector3(0.3, 0.4, rightHanded ? 1.9 : -1.9)), scene);
                camera.setTarget(worldCentre);
                camera.minZ = 0.05;
                scene.activeCamera = camera;
                return { engine, scene, node, camera, worldCentre };
            }

            it("renders under a rotated parent exactly where the CPU twin says (PSNR >= 35 dB), and off-screen likewise", async () => {
                const { engine, scene, node, camera } = await SetupAsync();
                const image = await RenderFrameAsync(scene);
                const reference = RenderViewCpu(node.field!, FieldViewFromCamera(node, camera, width, height));
                const psnr = Psnr(MeanSquaredError(image, { width, height, data: reference.color }));
                expect(psnr).withContext("viewport vs CPU twin").toBeGreaterThanOrEqual(35);
                // two callers at once (a click while the live mask refreshes) share the renderer's first device
                const [offscreen, concurrent] = await Promise.all([node.renderOffscreenAsync(camera, { width, height }), node.renderOffscreenAsync(camera, { width, height })]);
                expect(Psnr(MeanSquaredError(image, { width, height, data: offscreen.color }))).withContext("viewport vs off-screen render").toBeGreaterThanOrEqual(35);
                expect(Psnr(MeanSquaredError(image, { width, height, data: concurrent.color }))).withContext("viewport vs a concurrent off-screen render").toBeGreaterThanOrEqual(35);
                const covered = reference.opacity.filter((o) => o > 0.5).length;
                expect(covered).withContext("pixels the sphere covers").toBeGreaterThan(width * height * 0.1);
                scene.dispose();
                engine.dispose();
            });

            it("hides a mesh behind its surface and is hidden by a mesh in front of it (each half inside the sphere)", async () => {
                const { engine, scene, camera, worldCentre } = await SetupAsync();
                const toCamera = camera.position.subtract(worldCentre).normalize();
                const front = CreateBox("front cube", { size: 0.3 }, scene);
                front.position = worldCentre.add(toCamera.scale(radius));
                front.material = Unlit(scene, new Color3(0, 0, 1));
                front.rotation.y = 0.3;
                const back = CreateBox("back cube", { size: 0.5 }, scene);
                back.position = worldCentre.add(toCamera.scale(-radius)).add(new Vector3(0, 0.4, 0));
                back.material = Unlit(scene, new Color3(0, 1, 0));
                const image = await RenderFrameAsync(scene);
                const frontPixel = Vector3.Project(front.position, front.getWorldMatrix().clone().invert().multiply(front.getWorldMatrix()), scene.getTransformMatrix(), camera.viewport.toGlobal(width, height));
                const blue = Pixel(image, frontPixel.x, frontPixel.y);
                expect(blue[2]).withContext(`front cube pixel ${blue}`).toBeGreaterThan(200);
                expect(blue[0]).toBeLessThan(60);
                // the back cube's top pokes out above the sphere's silhouette: green there, sphere colour in front of it
                const backPixel = Vector3.Project(back.position, back.getWorldMatrix().clone().invert().multiply(back.getWorldMatrix()), scene.getTransformMatrix(), camera.viewport.toGlobal(width, height));
                const hidden = Pixel(image, backPixel.x, backPixel.y);
                expect(hidden[1]).withContext(`back cube centre pixel ${hidden} (sphere expected)`).toBeLessThan(150);
                expect(hidden[0]).toBeGreaterThan(150);
                let greenPixels = 0;
                for (let p = 0; p < width * height; p++) {
                    greenPixels += image.data[p * 4 + 1] > 200 && image.data[p * 4] < 80 ? 1 : 0;
                }
                expect(greenPixels).withContext("the back cube shows where the sphere does not cover it").toBeGreaterThan(10);
                scene.dispose();
                engine.dispose();
            });

            it("picks the surface under a screen point with scene.pick", async () => {
                const { engine, scene, node, camera, worldCentre } = await SetupAsync();
                await RenderFrameAsync(scene);
                const screen = Vector3.Project(worldCentre, node.getWorldMatrix().clone().invert().multiply(node.getWorldMatrix()), scene.getTransformMatrix(), camera.viewport.toGlobal(width, height));
                const info = scene.pick(screen.x, screen.y);
                expect(info.hit).toBeTrue();
                expect(info.pickedMesh).toBe(node);
                expect(Vector3.Distance(info.pickedPoint!, worldCentre)).toBeCloseTo(radius, 1);
                expect(info.distance).toBeCloseTo(Vector3.Distance(camera.position, worldCentre) - radius, 1);
                scene.dispose();
                engine.dispose();
            });
        });
    }
}

import type { AbstractEngine } from "@babylonjs/core/Engines/abstractEngine";
import { Engine } from "@babylonjs/core/Engines/engine";
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial";
import { Color3, Color4 } from "@babylonjs/core/Maths/math.color";
import { Matrix, Quaternion, Vector3 } from "@babylonjs/core/Maths/math.vector";
import { CreateBox } from "@babylonjs/core/Meshes/Builders/boxBuilder";
import { CreatePlane } from "@babylonjs/core/Meshes/Builders/planeBuilder";
import type { Mesh } from "@babylonjs/core/Meshes/mesh";
import { TransformNode } from "@babylonjs/core/Meshes/transformNode";
import type { TargetCamera } from "@babylonjs/core/Cameras/targetCamera";
import { Scene } from "@babylonjs/core/scene";
import { CreateCaptureCamera } from "@plugin/scene/captureCamera";
import type { CameraIntrinsics } from "@plugin/core/capture/captureTypes";
import { OccupancyCellCount, ShC0, Softplus, VoxelCount, type FieldParams } from "@shaders/nerf/fieldMath";
import { RenderViewCpu } from "@plugin/core/nerf/cpuFieldRenderer";
import type { FieldView, RenderedView } from "@plugin/core/nerf/gpuFieldRenderer";
import type { RadianceFieldData } from "@plugin/core/nerf/radianceFieldData";
import type { RgbaImage } from "@plugin/core/image/rgbaImage";
import { MeanSquaredError, Psnr } from "@plugin/core/evaluation/imageMetrics";
import { NerfFieldTextures } from "@plugin/scene/nerfFieldTextures";
import { NerfMaterial } from "@plugin/scene/nerfMaterial";
import { LookAtRows } from "@test/helpers/imageFixtures";
import { ContractedField } from "@test/helpers/contractedField";
import { CreateEngineAsync as CreateEngineAtSizeAsync, RenderFrameAsync as RenderSceneFrameAsync, type EngineKind } from "@test/helpers/sceneRendering";

const intrinsics: CameraIntrinsics = { fx: 58, fy: 58.5, cx: 32.4, cy: 23.7, width: 64, height: 48 };

/** Views of the test field: two from outside (opposite sides, so a z mirror error shows) and one from inside the box. */
const views: Record<string, FieldView> = {
    front: { cameraToWorld: LookAtRows([2.3, 1.2, 2.7], [0.05, 0, 0.1]).flat(), intrinsics },
    back: { cameraToWorld: LookAtRows([-2.0, 0.8, -2.6], [0.1, 0.05, 0.0]).flat(), intrinsics },
    inside: { cameraToWorld: LookAtRows([0.95, 0.7, 0.9], [-0.2, 0, 0]).flat(), intrinsics },
};

/**
 * A deterministic procedural field: 24×20×22 points over a non-cubic box, three smooth density
 * blobs (opaque cores, soft edges), smooth colour with view-dependent SH, conservative occupancy.
 */
function MakeProceduralField(gridSize: [number, number, number] = [24, 20, 22], occupancySize: [number, number, number] = [12, 10, 11]): RadianceFieldData {
    const params: FieldParams = { boundsMin: [-1.0, -0.8, -0.9], boundsMax: [1.1, 0.9, 1.0], stepSize: 0.025, densityShift: -1, gridSize, occupancySize };
    const blobs = [
        { centre: [-0.35, 0.1, 0.2], radius: 0.34, amplitude: 24 },
        { centre: [0.4, -0.2, -0.3], radius: 0.3, amplitude: 20 },
        { centre: [0.2, 0.35, 0.45], radius: 0.22, amplitude: 16 },
        // A faint, wide haze: translucent everywhere around the blobs.
        { centre: [0.0, 0.0, 0.05], radius: 0.55, amplitude: 8.5 },
    ];
    const points = VoxelCount(params);
    const density = new Float32Array(points);
    const sh = new Float32Array(points * 12);
    const [gx, gy, gz] = gridSize;
    for (let k = 0; k < gz; k++) {
        for (let j = 0; j < gy; j++) {
            for (let i = 0; i < gx; i++) {
                const v = i + gx * (j + gy * k);
                const p = [i, j, k].map((g, a) => params.boundsMin[a] + (g / (gridSize[a] - 1)) * (params.boundsMax[a] - params.boundsMin[a]));
                let raw = -8;
                for (const blob of blobs) {
                    const d2 = (p[0] - blob.centre[0]) ** 2 + (p[1] - blob.centre[1]) ** 2 + (p[2] - blob.centre[2]) ** 2;
                    raw += blob.amplitude * Math.exp(-d2 / (2 * blob.radius ** 2));
                }
                density[v] = raw;
                for (let c = 0; c < 3; c++) {
                    const logit = 2.2 * Math.sin(2.1 * p[0] + 2 * c) + 1.4 * Math.cos(1.7 * p[1] - c) + 0.9 * p[2] - 0.8;
                    sh.set([logit / ShC0, 1.6 * Math.sin(p[1] + c), 1.8 * Math.cos(2 * p[2] - c), 1.4 * Math.sin(p[0] - c)], v * 12 + c * 4);
                }
            }
        }
    }
    // A cell is occupied when any grid point its trilinear lookups can touch has alpha > 0.01.
    const alphaOf = (raw: number) => 1 - Math.exp(-Softplus(raw + params.densityShift) * params.stepSize);
    const occupancy = new Uint32Array(Math.ceil(OccupancyCellCount(params) / 32));
    const [ox, oy, oz] = occupancySize;
    for (let c = 0; c < oz; c++) {
        for (let b = 0; b < oy; b++) {
            for (let a = 0; a < ox; a++) {
                const range = [a, b, c].map((cell, axis) => [Math.floor((cell / occupancySize[axis]) * (gridSize[axis] - 1)), Math.min(gridSize[axis] - 1, Math.ceil(((cell + 1) / occupancySize[axis]) * (gridSize[axis] - 1)))]);
                let occupied = false;
                for (let k = range[2][0]; k <= range[2][1] && !occupied; k++) {
                    for (let j = range[1][0]; j <= range[1][1] && !occupied; j++) {
                        for (let i = range[0][0]; i <= range[0][1] && !occupied; i++) {
                            occupied = alphaOf(density[i + gx * (j + gy * k)]) > 0.01;
                        }
                    }
                }
                if (occupied) {
                    const cell = a + ox * (b + oy * c);
                    occupancy[cell >> 5] |= 1 << (cell & 31);
                }
            }
        }
    }
    return { params, density, sh, occupancy, background: "white", metadata: { iterations: 0 } };
}

const field = MakeProceduralField();
const references = new Map<string, RenderedView>();

/** RenderViewCpu of a view of the test field (memoized). */
function Reference(name: string): RenderedView {
    let reference = references.get(name);
    if (!reference) {
        reference = RenderViewCpu(field, views[name]);
        references.set(name, reference);
    }
    return reference;
}

async function CreateEngineAsync(kind: EngineKind): Promise<AbstractEngine> {
    return CreateEngineAtSizeAsync(kind, intrinsics.width, intrinsics.height);
}

/** A scene, the field's box mesh (local space = capture space, z mirrored when left-handed) and the material. */
function CreateFieldScene(engine: AbstractEngine, rightHanded: boolean, textures?: (scene: Scene) => NerfFieldTextures, boxScale = 1) {
    const scene = new Scene(engine);
    scene.useRightHandedSystem = rightHanded;
    scene.clearColor = new Color4(1, 1, 1, 1);
    const fieldTextures = textures ? textures(scene) : NerfFieldTextures.Create(scene, field);
    const material = new NerfMaterial("nerf", scene, fieldTextures);
    const errors: string[] = [];
    material.onError = (_effect, message) => errors.push(message);
    const { boundsMin, boundsMax } = fieldTextures.params;
    const mirror = rightHanded ? 1 : -1;
    const box = CreateBox("field", { width: boxScale * (boundsMax[0] - boundsMin[0]), height: boxScale * (boundsMax[1] - boundsMin[1]), depth: boxScale * (boundsMax[2] - boundsMin[2]) }, scene);
    box.bakeTransformIntoVertices(Matrix.Translation((boundsMin[0] + boundsMax[0]) / 2, (boundsMin[1] + boundsMax[1]) / 2, (mirror * (boundsMin[2] + boundsMax[2])) / 2));
    box.material = material;
    return { scene, material, box, textures: fieldTextures, errors };
}

function UseCaptureCamera(scene: Scene, view: FieldView): TargetCamera {
    scene.activeCamera?.dispose();
    const near = 0.05;
    const far = 100;
    const camera = CreateCaptureCamera(scene, "capture", view.cameraToWorld, view.intrinsics, near, far);
    scene.activeCamera = camera;
    return camera;
}

async function RenderFrameAsync(scene: Scene, errors: string[]): Promise<RgbaImage> {
    const image = await RenderSceneFrameAsync(scene, errors);
    expect([image.width, image.height]).toEqual([intrinsics.width, intrinsics.height]);
    return image;
}

function PsnrAgainst(image: RgbaImage, reference: RenderedView): number {
    return Psnr(MeanSquaredError(image, { width: reference.width, height: reference.height, data: reference.color }));
}

/** Mean of the red channel in 1/255 units (the sample counts of showSampleCount). */
function MeanRed(image: RgbaImage): number {
    let sum = 0;
    for (let p = 0; p < image.width * image.height; p++) {
        sum += image.data[p * 4];
    }
    return sum / (image.width * image.height);
}

function Unlit(scene: Scene, name: string, color: Color3): StandardMaterial {
    const material = new StandardMaterial(name, scene);
    material.disableLighting = true;
    material.emissiveColor = color;
    material.backFaceCulling = false;
    return material;
}

for (const kind of ["WebGPU", "WebGL2"] as EngineKind[]) {
    describe(`NerfMaterial on ${kind}`, () => {
        let engine: AbstractEngine;

        beforeAll(async () => {
            engine = await CreateEngineAsync(kind);
        });

        afterAll(() => {
            engine?.dispose();
        });

        for (const rightHanded of [false, true]) {
            const handedness = rightHanded ? "right-handed" : "left-handed";

            it(`renders the field like RenderViewCpu in a ${handedness} scene, from outside and inside the box (PSNR >= 35 dB)`, async () => {
                const { scene, errors } = CreateFieldScene(engine, rightHanded);
                for (const name of ["front", "back", "inside"]) {
                    UseCaptureCamera(scene, views[name]);
                    const image = await RenderFrameAsync(scene, errors);
                    const psnr = PsnrAgainst(image, Reference(name));
                    const blank = PsnrAgainst({ width: image.width, height: image.height, data: new Uint8ClampedArray(image.data.length).fill(255) }, Reference(name));
                    console.info(`NerfMaterial ${kind} ${handedness} ${name}: PSNR ${psnr.toFixed(2)} dB (a white image: ${blank.toFixed(2)} dB)`);
                    expect(psnr).withContext(`${name} view PSNR`).toBeGreaterThanOrEqual(35);
                }
                scene.dispose();
            });

            it(`renders the same image with the mesh moved, rotated and scaled under a parent and the camera moved along (${handedness})`, async () => {
                const { scene, box, errors } = CreateFieldScene(engine, rightHanded);
                const parent = new TransformNode("parent", scene);
                parent.position.set(1.5, -0.7, 2.2);
                parent.rotation.set(0.3, 0.9, -0.2);
                parent.scaling.setAll(1.6);
                box.parent = parent;
                box.position.set(0.2, 0.1, -0.4);
                box.rotationQuaternion = Quaternion.RotationYawPitchRoll(0.4, -0.2, 0.1);
                const meshWorld = box.computeWorldMatrix(true);
                const camera = UseCaptureCamera(scene, views.front);
                // The same pose relative to the mesh: camera world = (untransformed camera world) * mesh world.
                const cameraWorld = camera.computeWorldMatrix().multiply(meshWorld);
                const scale = new Vector3();
                const rotation = new Quaternion();
                const position = new Vector3();
                cameraWorld.decompose(scale, rotation, position);
                expect(scale.x).toBeCloseTo(1.6, 4);
                camera.position.copyFrom(position);
                camera.rotationQuaternion = rotation;
                const image = await RenderFrameAsync(scene, errors);
                const psnr = PsnrAgainst(image, Reference("front"));
                console.info(`NerfMaterial ${kind} ${handedness} transformed: PSNR ${psnr.toFixed(2)} dB`);
                expect(psnr).toBeGreaterThanOrEqual(35);
                scene.dispose();
            });
        }

        it("with stepScale 2 (a moving camera) still looks like the reference and evaluates fewer samples", async () => {
            const { scene, material, errors } = CreateFieldScene(engine, false);
            UseCaptureCamera(scene, views.front);
            material.stepScale = 2;
            const coarse = await RenderFrameAsync(scene, errors);
            const psnr = PsnrAgainst(coarse, Reference("front"));
            const coarseReference = RenderViewCpu({ ...field, params: { ...field.params, stepSize: 2 * field.params.stepSize } }, views.front);
            console.info(`NerfMaterial ${kind} stepScale 2: PSNR ${psnr.toFixed(2)} dB (vs a CPU render at twice the step: ${PsnrAgainst(coarse, coarseReference).toFixed(2)} dB)`);
            expect(psnr).toBeGreaterThanOrEqual(25);
            material.showSampleCount = true;
            scene.clearColor = new Color4(0, 0, 0, 1);
            const coarseSamples = MeanRed(await RenderFrameAsync(scene, errors));
            material.stepScale = 1;
            const fineSamples = MeanRed(await RenderFrameAsync(scene, errors));
            const expected = Reference("front").samplesPerRay;
            console.info(`NerfMaterial ${kind} samples per ray: stepScale 1 ${fineSamples.toFixed(2)} (CPU ${expected.toFixed(2)}), stepScale 2 ${coarseSamples.toFixed(2)}`);
            expect(Math.abs(fineSamples - expected)).withContext("samples per ray at stepScale 1 vs the CPU renderer").toBeLessThan(0.03 * expected + 0.1);
            expect(coarseSamples).toBeLessThan(0.6 * fineSamples);
            scene.dispose();
        });

        it("renders a contracted whole-scene field like RenderViewCpu, the background beyond the box included (PSNR >= 35 dB)", async () => {
            const contracted = ContractedField();
            const { scene, errors } = CreateFieldScene(engine, false, (s) => NerfFieldTextures.Create(s, contracted), 8);
            for (const name of ["front", "inside"]) {
                UseCaptureCamera(scene, views[name]);
                const image = await RenderFrameAsync(scene, errors);
                const reference = RenderViewCpu(contracted, views[name]);
                const psnr = PsnrAgainst(image, reference);
                console.info(`NerfMaterial ${kind} contracted ${name}: PSNR ${psnr.toFixed(2)} dB`);
                expect(psnr).withContext(`${name} view PSNR`).toBeGreaterThanOrEqual(35);
                // the wall beyond the box fills what the blob leaves: every pixel opaque
                expect(Math.min(...reference.opacity)).withContext(`${name}: the background is drawn`).toBeGreaterThan(0.99);
            }
            scene.dispose();
        });

        for (const reverseDepth of [false, true]) {
            it(`is hidden by meshes in front and hides meshes drawn later behind its surfaces (depth written${reverseDepth ? ", reverse depth buffer" : ""})`, async () => {
                engine.useReverseDepthBuffer = reverseDepth;
                const { scene, errors } = CreateFieldScene(engine, false);
                const camera = UseCaptureCamera(scene, views.front);
                // Red, opaque, in front of the field over the left half of the image (x < cx at depth 1).
                const front = CreatePlane("front", { width: 0.6, height: 3 }, scene);
                front.parent = camera;
                front.position.set(-0.3, 0, 1);
                front.material = Unlit(scene, "red", new Color3(1, 0, 0));
                // Green, far behind the field, drawn after it (rendering group 1, depth buffer kept).
                const back: Mesh = CreatePlane("back", { size: 40 }, scene);
                back.parent = camera;
                back.position.set(0, 0, 8);
                back.material = Unlit(scene, "green", new Color3(0, 1, 0));
                back.renderingGroupId = 1;
                scene.setRenderingAutoClearDepthStencil(1, false);
                const image = await RenderFrameAsync(scene, errors);
                const reference = Reference("front");
                let checkedField = 0;
                let checkedEmpty = 0;
                for (let y = 0; y < intrinsics.height; y++) {
                    for (let x = 0; x < intrinsics.width; x++) {
                        const p = y * intrinsics.width + x;
                        const rgb = Array.from(image.data.subarray(p * 4, p * 4 + 3));
                        if (x <= 30) {
                            expect(rgb).withContext(`pixel (${x}, ${y}) behind the red plane`).toEqual([255, 0, 0]);
                        } else if (x >= 34 && reference.opacity[p] >= 0.02) {
                            const expected = Array.from(reference.color.subarray(p * 4, p * 4 + 3));
                            const worst = Math.max(...rgb.map((v, c) => Math.abs(v - expected[c])));
                            expect(worst).withContext(`pixel (${x}, ${y}) of the field (opacity ${reference.opacity[p].toFixed(3)}) over the green plane: ${rgb} vs ${expected}`).toBeLessThanOrEqual(12);
                            checkedField++;
                        } else if (x >= 34 && reference.opacity[p] < 1e-3) {
                            expect(rgb).withContext(`pixel (${x}, ${y}) where the field is empty`).toEqual([0, 255, 0]);
                            checkedEmpty++;
                        }
                    }
                }
                expect(checkedField).toBeGreaterThan(100);
                expect(checkedEmpty).toBeGreaterThan(100);
                scene.dispose();
                engine.useReverseDepthBuffer = false;
            });
        }

        it("follows NerfFieldTextures.update, to the same size and to a new grid size", async () => {
            const small = MakeProceduralField([14, 12, 13], [7, 6, 6]);
            const { scene, material, textures, errors } = CreateFieldScene(engine, false, (s) => NerfFieldTextures.Create(s, small));
            UseCaptureCamera(scene, views.front);
            const before = await RenderFrameAsync(scene, errors);
            expect(PsnrAgainst(before, RenderViewCpu(small, views.front))).toBeGreaterThanOrEqual(35);
            const version = textures.version;
            const brighter = { ...small, sh: small.sh.map((v, i) => (i % 4 === 0 ? v + 1 : v)) };
            textures.update(brighter);
            expect(textures.version).toBe(version);
            expect(PsnrAgainst(await RenderFrameAsync(scene, errors), RenderViewCpu(brighter, views.front))).toBeGreaterThanOrEqual(35);
            textures.update(field);
            expect(textures.version).toBe(version + 1);
            expect(textures.params.gridSize).toEqual([24, 20, 22]);
            expect(PsnrAgainst(await RenderFrameAsync(scene, errors), Reference("front"))).toBeGreaterThanOrEqual(35);
            expect(material.textures).toBe(textures);
            scene.dispose();
            textures.dispose();
            expect(() => textures.update(field)).toThrowError(/disposed/);
        });
    });
}

describe("NerfMaterial settings", () => {
    it("refuses out-of-range settings with a message naming them", async () => {
        const engine = await CreateEngineAsync("WebGL2");
        const scene = new Scene(engine);
        const material = new NerfMaterial("nerf", scene, NerfFieldTextures.Create(scene, field));
        expect(material.mirrorZ).toBeTrue();
        expect([material.stepScale, material.maxSamples, material.depthThreshold]).toEqual([1, 512, 0.5]);
        expect(() => (material.stepScale = 0)).toThrowError(/stepScale must be a finite number > 0, got 0/);
        expect(() => (material.maxSamples = 2.5)).toThrowError(/maxSamples must be an integer >= 1, got 2.5/);
        expect(() => (material.depthThreshold = 1.5)).toThrowError(/depthThreshold must be in \(0, 1\], got 1.5/);
        expect(() => NerfFieldTextures.Create(scene, { ...field, density: new Float32Array(5) })).toThrowError(/density has 5 values, the 24x20x22 grid has 10560 points/);
        material.stepScale = 3;
        const copy = material.clone("copy");
        expect(copy).toBeInstanceOf(NerfMaterial);
        expect([copy.stepScale, copy.textures]).toEqual([3, material.textures]);
        scene.dispose();
        engine.dispose();
        const webGl1 = new Engine(document.createElement("canvas"), false, { disableWebGL2Support: true });
        const webGl1Scene = new Scene(webGl1);
        expect(NerfMaterial.IsSupported(webGl1)).toBeFalse();
        expect(() => new NerfMaterial("old", webGl1Scene, material.textures)).toThrowError(/NerfMaterial "old": the engine is WebGL 1; drawing a radiance field needs WebGL2 \(3D textures\) or WebGPU/);
        webGl1Scene.dispose();
        webGl1.dispose();
    });
});

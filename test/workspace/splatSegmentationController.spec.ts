import { NullEngine } from "@babylonjs/core/Engines/nullEngine";
import { Scene } from "@babylonjs/core/scene";
import { ResolvePipelineConfig } from "@plugin/core/pipeline/pipelineConfig";
import { EmbeddingCache } from "@plugin/core/sam/embeddingCache";
import { ReadSplat } from "@plugin/core/splats/splatCloud";
import { ReadSplatFileAsync, type SplatFile } from "@plugin/core/splats/splatFile";
import { ReadPlyVertexProperty } from "@plugin/core/splats/plyGaussians";
import { SegmentationController } from "@plugin/workspace/segmentationController";
import { SplatSegmentationController } from "@plugin/workspace/splatSegmentationController";
import { WorkspaceTasks } from "@plugin/workspace/workspaceTasks";
import type { Capture } from "@plugin/core/capture/captureTypes";
import { AutoSplatCameras } from "@plugin/core/splats/autoCameras";
import { RandomSplatCloud, RenderLabelIds } from "@test/helpers/splatFixtures";
import { ArcRotateCamera } from "@babylonjs/core/Cameras/arcRotateCamera";
import { Matrix, Vector3 } from "@babylonjs/core/Maths/math.vector";
import { Viewport } from "@babylonjs/core/Maths/math.viewport";
import { ObjectAssets } from "@plugin/workspace/objectAssets";
import { GaussianSplattingMesh } from "@babylonjs/core/Meshes/GaussianSplatting/gaussianSplattingMesh";
import type { SplatObjectPart } from "@plugin/scene/splatObjectSplitter";

describe("SplatSegmentationController (the workspace's Gaussian-splat side)", () => {
    let engine: NullEngine;
    let scene: Scene;
    let segmentation: SegmentationController;
    let tasks: WorkspaceTasks;
    let assets: ObjectAssets;
    let changes = 0;
    const config = ResolvePipelineConfig({ splats: { viewCount: 12, viewSide: 128 } });

    beforeEach(() => {
        engine = new NullEngine();
        scene = new Scene(engine);
        segmentation = new SegmentationController(scene, { backend: "wasm", cache: new EmbeddingCache({ persistentBytes: 0 }) });
        tasks = new WorkspaceTasks(() => changes++);
        assets = new ObjectAssets(scene);
    });
    afterEach(() => {
        assets.dispose();
        segmentation.dispose();
        scene.dispose();
        engine.dispose();
    });

    /** A controller with the tabletop's splats loaded (views rendered around them), the file read for segmentation and its true labels. */
    async function LoadTabletopAsync(): Promise<{ splats: SplatSegmentationController; file: SplatFile; truth: Uint8Array }> {
        const splats = new SplatSegmentationController({ scene, config, tasks, segmentation, capture: () => null, changed: () => changes++, assets });
        const bytes = new Uint8Array(await (await fetch("/base/sample-scenes/captures/tabletop/splats.ply")).arrayBuffer());
        const file = await ReadSplatFileAsync(bytes, "splats.ply");
        const truth = Uint8Array.from(ReadPlyVertexProperty(bytes, file.ply!.header, "label")!);
        expect(await splats.loadFileAsync({ bytes, name: "splats.ply" })).withContext(String(tasks.error)).toBeTrue();
        return { splats, file, truth };
    }

    it("loads the tabletop's splats, segments a clicked object and a boxed one with the built-in model, separates them in place and undoes", async () => {
        const { splats, file, truth } = await LoadTabletopAsync();
        const mesh = splats.loaded!.mesh;
        const original = mesh.splatsData!.slice(0);
        expect(splats.views!.length).toBe(12);
        expect(splats.views![0].image.width).toBe(128);
        expect(splats.viewsFromCapture).toBeFalse();

        // the object with most splats; click the pixel nearest its centroid's projection that shows it, in the view where it covers most
        const counts = new Map<number, number>();
        truth.forEach((label) => label > 0 && counts.set(label, (counts.get(label) ?? 0) + 1));
        const target = 1;
        const centroid = [0, 0, 0];
        truth.forEach((label, i) => label === target && ReadSplat(file.cloud, i).position.forEach((v, a) => (centroid[a] += v / counts.get(target)!)));
        let best = { view: -1, x: 0, y: 0, covered: 0, tableX: 0, tableY: 0 };
        // a second object, prompted with a box only, around it where it shows most
        const boxed = 3;
        let boxView = { view: -1, covered: 0, box: { x0: 128, y0: 128, x1: 0, y1: 0 } };
        for (let v = 0; v < splats.views!.length; v++) {
            const view = splats.views![v];
            const ids = await RenderLabelIds({ cloud: file.cloud, labels: truth }, view);
            const bounds = { x0: 128, y0: 128, x1: 0, y1: 0 };
            const boxedCover = ids.filter((id) => id === boxed).length;
            ids.forEach((id, p) => {
                if (id === boxed) {
                    const x = p % 128;
                    const y = Math.floor(p / 128);
                    Object.assign(bounds, { x0: Math.min(bounds.x0, x - 2), y0: Math.min(bounds.y0, y - 2), x1: Math.max(bounds.x1, x + 3), y1: Math.max(bounds.y1, y + 3) });
                }
            });
            if (boxedCover > boxView.covered) {
                boxView = { view: v, covered: boxedCover, box: bounds };
            }
            const m = view.cameraToWorld;
            const d = [centroid[0] - m[3], centroid[1] - m[7], centroid[2] - m[11]];
            const depth = -(m[2] * d[0] + m[6] * d[1] + m[10] * d[2]);
            const { fx, fy, cx, cy } = view.intrinsics;
            const u = cx + (fx * (m[0] * d[0] + m[4] * d[1] + m[8] * d[2])) / depth;
            const w = cy - (fy * (m[1] * d[0] + m[5] * d[1] + m[9] * d[2])) / depth;
            const covered = ids.filter((id) => id === target).length;
            let near = { x: 0, y: 0, distance: Infinity };
            ids.forEach((id, p) => {
                const distance = Math.hypot((p % 128) + 0.5 - u, Math.floor(p / 128) + 0.5 - w);
                if (id === target && distance < near.distance) {
                    near = { x: (p % 128) + 0.5, y: Math.floor(p / 128) + 0.5, distance };
                }
            });
            if (covered > best.covered && near.distance < 4) {
                // a negative click on the table in front of the object, about 14 px below its click
                let table = { x: 0, y: 0, off: Infinity };
                ids.forEach((id, p) => {
                    const off = Math.abs(Math.hypot((p % 128) + 0.5 - near.x, Math.floor(p / 128) + 0.5 - near.y) - 14);
                    if (id === 0 && Math.floor(p / 128) > near.y && off < table.off) {
                        table = { x: (p % 128) + 0.5, y: Math.floor(p / 128) + 0.5, off };
                    }
                });
                best = { view: v, x: near.x, y: near.y, covered, tableX: table.x, tableY: table.y };
            }
        }
        expect(best.view).withContext("a view showing the object at its centroid").toBeGreaterThanOrEqual(0);

        splats.addClick(best.view, 1, 1, 0);
        splats.prompts.undo();
        splats.addClick(best.view, best.x, best.y, 1);
        splats.addClick(best.view, best.tableX, best.tableY, 0);
        expect(splats.prompts.activeObject.clicks).toEqual([
            { view: best.view, x: best.x, y: best.y, label: 1 },
            { view: best.view, x: best.tableX, y: best.tableY, label: 0 },
        ]);
        splats.prompts.addObject();
        splats.setBox(boxView.view, boxView.box);
        expect(splats.prompts.activeObject.box).toEqual({ view: boxView.view, box: boxView.box });
        splats.prompts.selectObject(1);
        expect(await splats.segmentAsync()).withContext(String(tasks.error)).toBeTrue();
        const boxedPart = splats.split!.part(2)!;
        const boxedCarried = [...boxedPart.sourceIndices].filter((i) => truth[i] === boxed).length;
        expect(boxedCarried / boxedPart.sourceIndices.length).withContext(`${boxedCarried} of ${boxedPart.sourceIndices.length} splats of the boxed object carry label ${boxed}`).toBeGreaterThan(0.8);
        expect(boxedCarried).toBeGreaterThan(0.5 * counts.get(boxed)!);

        const part = splats.split!.part(1)!;
        expect(part.mesh.name).toBe("splats object 1");
        const carried = [...part.sourceIndices].filter((i) => truth[i] === target).length;
        expect(part.sourceIndices.length).toBeGreaterThan(0.5 * counts.get(target)!);
        expect(carried / part.sourceIndices.length).withContext(`${carried} of ${part.sourceIndices.length} splats carry label ${target}`).toBeGreaterThan(0.8);
        expect(splats.prompts.activeObject.splats).toBe(part.sourceIndices.length);
        expect(splats.prompts.activeObject.masks!.filter((m) => m.valid).length).toBeGreaterThanOrEqual(2);
        expect(mesh.splatsData!.byteLength / 32 + part.sourceIndices.length + boxedPart.sourceIndices.length).toBe(file.cloud.count);

        const ply = splats.objectFiles(1).exportPly();
        expect(new TextDecoder().decode(ply.subarray(0, 200))).toContain(`element vertex ${part.sourceIndices.length}`);
        expect((await splats.objectFiles(1).exportSpzAsync()).length).toBeGreaterThan(16);

        await ExpectSplatAssetsAsync(part, mesh);

        splats.undoSeparate();
        expect(part.mesh.isDisposed()).toBeTrue();
        expect(new Uint8Array(mesh.splatsData!)).toEqual(new Uint8Array(original));
        expect(assets.assets.filter((asset) => asset.splat?.source)).withContext("undone objects leave the strip").toEqual([]);
        expect(splats.separate()).toBeTrue();
        expect(splats.split!.part(1)!.sourceIndices).toEqual(part.sourceIndices);
        expect(assets.assets.filter((asset) => asset.splat?.source).map((asset) => asset.name)).toEqual(["splats object 1", "splats object 2"]);
    });

    /** The separated objects in the asset strip (the first object's asset): view modes, placing a copy, its .ply, a thumbnail, the .ply imported back. */
    async function ExpectSplatAssetsAsync(part: SplatObjectPart, source: GaussianSplattingMesh): Promise<void> {
        expect(assets.assets.map((asset) => asset.name)).toEqual(["splats object 1", "splats object 2"]);
        const asset = assets.assets[0];
        expect(asset.splat!.mesh).toBe(part.mesh);
        expect(asset.splat!.source).toBe(source);
        assets.setViewMode(asset, "object");
        expect([part.mesh.isEnabled(false), source.isEnabled(false)]).toEqual([true, false]);
        assets.setViewMode(asset, "without");
        expect([part.mesh.isEnabled(false), source.isEnabled(false)]).toEqual([false, true]);
        assets.setViewMode(asset, "both");
        expect([part.mesh.isEnabled(false), source.isEnabled(false)]).toEqual([true, true]);
        // placed again as splats: the object's rows, standing on the point
        const copy = assets.placeAt(asset, new Vector3(5, 1, -2));
        expect(copy).toBeInstanceOf(GaussianSplattingMesh);
        expect(new Uint8Array((copy as GaussianSplattingMesh).splatsData!)).toEqual(new Uint8Array(part.mesh.splatsData!));
        const bounds = copy.getHierarchyBoundingVectors(true);
        expect(bounds.min.y).toBeCloseTo(1, 3);
        expect((bounds.min.x + bounds.max.x) / 2).toBeCloseTo(5, 3);
        const ply = asset.splat!.exportPly();
        expect(new TextDecoder().decode(ply.subarray(0, 300))).toContain(`element vertex ${part.sourceIndices.length}`);
        expect((await ReadSplatFileAsync(ply, "object.ply")).cloud.count).toBe(part.sourceIndices.length);
        for (let wait = 0; wait < 200 && !asset.thumbnail; wait++) {
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(asset.thumbnail).withContext("the object's splats rendered alone").toMatch(/^data:image\/png/);
        // the exported object back in (another scene would do the same): a splat asset of its splats
        const imported = await assets.importFilesAsync([new File([ply as Uint8Array<ArrayBuffer>], "mug.ply")]);
        expect(imported.errors).toEqual([]);
        expect(imported.assets[0].splat!.mesh.splatsData!.byteLength / 32).toBe(part.sourceIndices.length);
        expect(imported.assets[0].splat!.source).toBeNull();
        expect(imported.assets[0].name).toBe("mug");
    }

    it("names a bad file and keeps what was loaded; asks for clicks before segmenting", async () => {
        const splats = new SplatSegmentationController({ scene, config, tasks, segmentation, capture: () => null, changed: () => changes++, assets });
        expect(await splats.segmentAsync()).toBeFalse();
        expect(tasks.error).toMatch(/Load a splat file/);
        const before = scene.meshes.length;
        expect(await splats.loadFileAsync({ bytes: new TextEncoder().encode("no splats here"), name: "notes.ply" })).toBeFalse();
        expect(tasks.error).toMatch(/notes\.ply/);
        expect(scene.meshes.length).toBe(before);
        expect(splats.loaded).toBeNull();
        expect(() => splats.objectFiles(1).exportPly()).toThrowError(/object 1 has not been segmented/);
    });

    it("takes the loaded capture's cameras and photos as its views, and refuses a click on a view it does not have", async () => {
        const cloud = RandomSplatCloud(200, 3);
        const cameras = AutoSplatCameras(cloud, { ...config.splats, viewCount: 3, viewSide: 32 });
        const frames = cameras.map((camera, index) => ({ index, imagePath: `${index}.png`, intrinsics: camera.intrinsics, cameraToWorld: Float64Array.from(camera.cameraToWorld), image: { width: 32, height: 32, data: new Uint8ClampedArray(32 * 32 * 4).fill(index * 40 + 20) } }));
        const capture = { name: "photos", frames, background: "none" } as unknown as Capture;
        const splats = new SplatSegmentationController({ scene, config, tasks, segmentation, capture: () => capture, changed: () => changes++, assets });
        expect(await splats.loadFileAsync({ bytes: new Uint8Array(cloud.rows), name: "room.splat" })).withContext(String(tasks.error)).toBeTrue();
        expect(splats.viewsFromCapture).toBeTrue();
        expect(splats.views!.length).toBe(3);
        expect(splats.views![2].image.data[0]).toBe(100);
        expect([...splats.views![1].cameraToWorld]).toEqual([...frames[1].cameraToWorld]);
        expect(splats.views![1].depth.some((d) => d > 0)).toBeTrue();
        splats.addClick(7, 1, 1, 1);
        expect(tasks.error).toMatch(/view 7 does not exist \(the splat scene has views 0\.\.2\)/);
        expect(splats.prompts.activeObject.clicks.length).toBe(0);
        expect(await splats.renderViewsAsync(false)).toBeTrue();
        expect(splats.viewsFromCapture).toBeFalse();
        expect(splats.views!.length).toBe(config.splats.viewCount);
    });

    it("prompts from the viewport: a click in the 3-D view lands on a view rendered from its camera, where the object is decoded", async () => {
        const { splats, file, truth } = await LoadTabletopAsync();
        // the sample scene is y-up: placed upright, a camera above looks down on the table
        splats.setFileAxes("y-up");
        const target = 1;
        const centroid = Vector3.Zero();
        let count = 0;
        truth.forEach((label, i) => label === target && (centroid.addInPlace(Vector3.FromArray(ReadSplat(file.cloud, i).position)), count++));
        const world = Vector3.TransformCoordinates(centroid.scale(1 / count), splats.loaded!.mesh.computeWorldMatrix(true));
        // a viewer looking down at the object, the object at the middle of the viewport
        const camera = new ArcRotateCamera("viewer", 1.2, 0.8, 1.2, world, scene);
        scene.activeCamera = camera;
        const engine = scene.getEngine();
        const pixel = Vector3.Project(world, Matrix.IdentityReadOnly, camera.getViewMatrix(true).multiply(camera.getProjectionMatrix(true)), new Viewport(0, 0, engine.getRenderWidth(), engine.getRenderHeight()));
        splats.viewport.enabled = true;
        expect(splats.viewport.enabled).toBeTrue();
        const views = splats.views!.length;
        const index = await splats.viewport.clickAsync(pixel.x, pixel.y, 1);
        expect(index).withContext(String(tasks.error)).toBe(views);
        expect(splats.views!.length).toBe(views + 1);
        expect(splats.shownView).toBe(views);
        expect(splats.views![views].image.width).toBe(config.splats.viewSide);
        // a marker on the splats' surface where the click was: under the pointer, in front of the object's centre
        const viewProjection = camera.getViewMatrix(true).multiply(camera.getProjectionMatrix(true));
        const screen = new Viewport(0, 0, engine.getRenderWidth(), engine.getRenderHeight());
        expect(splats.markers.count).toBe(1);
        const marker = Vector3.FromArray(splats.markers.worldPositions[0]);
        const onScreen = Vector3.Project(marker, Matrix.IdentityReadOnly, viewProjection, screen);
        const pixelSize = engine.getRenderWidth() / config.splats.viewSide;
        expect(Math.hypot(onScreen.x - pixel.x, onScreen.y - pixel.y)).withContext("marker under the pointer, render pixels").toBeLessThan(1.5 * pixelSize);
        expect(Vector3.Distance(marker, camera.position)).toBeLessThan(Vector3.Distance(world, camera.position));
        expect(Vector3.Distance(marker, world)).toBeLessThan(0.15);
        // the table in front of it, with the same pose: the same view (Shift+click: background)
        expect(await splats.viewport.clickAsync(pixel.x, pixel.y + 0.2 * engine.getRenderHeight(), 0)).toBe(views);
        expect(splats.views!.length).toBe(views + 1);
        expect(splats.prompts.activeObject.clicks.map((click) => click.label)).toEqual([1, 0]);
        // a box dragged around it (render pixels), on the same view in its pixels
        const half = 0.25 * engine.getRenderHeight();
        expect(await splats.viewport.boxAsync({ x0: pixel.x - half, y0: pixel.y - half, x1: pixel.x + half, y1: pixel.y + half })).toBe(views);
        const scale = config.splats.viewSide / engine.getRenderWidth();
        expect(splats.prompts.activeObject.box).toEqual({ view: views, box: { x0: (pixel.x - half) * scale, y0: (pixel.y - half) * scale, x1: (pixel.x + half) * scale, y1: (pixel.y + half) * scale } });
        expect(splats.markers.count).toBe(2);
        // markers hang under the splat mesh: they follow it
        splats.loaded!.mesh.position.x += 1;
        splats.loaded!.mesh.computeWorldMatrix(true);
        expect(splats.markers.worldPositions[0][0]).toBeCloseTo(marker.x + 1, 4);
        splats.loaded!.mesh.position.x -= 1;
        splats.viewport.enabled = false;
        expect(await splats.segmentAsync()).withContext(String(tasks.error)).toBeTrue();
        expect(splats.markers.count).withContext("no markers over separated objects").toBe(0);
        splats.viewport.enabled = true;
        expect(splats.markers.count).withContext("back while clicking in the viewport").toBe(2);
        splats.viewport.enabled = false;
        // the viewport's view shows the object where the click was, and its mask is the object there
        // (the other views' masks are the built-in model's, which from above also takes the table: see the README)
        const ids = await RenderLabelIds({ cloud: file.cloud, labels: truth }, splats.views![views]);
        const mask = splats.prompts.activeObject.masks![views].mask!;
        const onObject = mask.filter((value, p) => value > 127 && ids[p] === target).length;
        const masked = mask.filter((value) => value > 127).length;
        const shown = ids.filter((id) => id === target).length;
        expect(onObject / masked).withContext(`${onObject} of ${masked} mask pixels on the object`).toBeGreaterThan(0.8);
        expect(onObject / shown).withContext(`${onObject} of the object's ${shown} pixels in the mask`).toBeGreaterThan(0.4);
        expect(splats.split!.part(1)).toBeDefined();
        camera.dispose();
    });
});

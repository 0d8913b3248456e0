import { Engine } from "@babylonjs/core/Engines/engine";
import { Scene } from "@babylonjs/core/scene";
import { FreeCamera } from "@babylonjs/core/Cameras/freeCamera";
import { Matrix, Vector3 } from "@babylonjs/core/Maths/math.vector";
import { CreateBox } from "@babylonjs/core/Meshes/Builders/boxBuilder";
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial";
import "@babylonjs/core/Culling/ray";
import { SurfacePointAt } from "@plugin/workspace/viewportDrop";

describe("SurfacePointAt: the drop point under the cursor", () => {
    for (const level of [1, 0.5, 2]) {
        it(`finds the surface under a canvas point at hardware scaling ${level} (high-DPI screens use 1 / devicePixelRatio)`, () => {
            const canvas = document.createElement("canvas");
            canvas.style.width = "320px";
            canvas.style.height = "200px";
            document.body.appendChild(canvas);
            const engine = new Engine(canvas);
            engine.setHardwareScalingLevel(level);
            const scene = new Scene(engine);
            const camera = new FreeCamera("camera", new Vector3(0, 5, -0.001), scene);
            camera.setTarget(Vector3.Zero());
            const table = CreateBox("table", { width: 4, depth: 4, height: 1 }, scene);
            table.position.y = -0.5;
            const marker = CreateBox("marker", { size: 0.4 }, scene);
            marker.position.set(1, 0.2, 0);
            // (a mesh without a material picks by its bounding box only, without a point)
            table.material = marker.material = new StandardMaterial("material", scene);
            scene.render();
            // the canvas centre (CSS pixels) is above the origin, on the table's top
            const centre = SurfacePointAt(scene, 160, 100);
            expect(centre.x).toBeCloseTo(0, 1);
            expect(centre.y).toBeCloseTo(0, 3);
            expect(centre.z).toBeCloseTo(0, 1);
            // the marker, right of centre, is hit on its top; ignoring it gives the table under it
            // the marker's top centre, projected to render pixels, then to CSS pixels
            const render = Vector3.Project(new Vector3(1, 0.4, 0), Matrix.Identity(), scene.getTransformMatrix(), camera.viewport.toGlobal(engine.getRenderWidth(), engine.getRenderHeight()));
            const [x, y] = [render.x * level, render.y * level];
            expect(x).toBeGreaterThan(170);
            const hit = SurfacePointAt(scene, x, y);
            expect(hit.y).withContext(`the marker's top: at (${x}, ${y}) css, render ${engine.getRenderWidth()}x${engine.getRenderHeight()}, hit ${hit.asArray()}`).toBeCloseTo(0.4, 3);
            expect(SurfacePointAt(scene, x, y, [marker]).y).withContext("the table under the ignored marker").toBeCloseTo(0, 3);
            scene.dispose();
            engine.dispose();
            canvas.remove();
        });
    }
});

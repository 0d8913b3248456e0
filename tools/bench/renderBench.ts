import type { AbstractEngine } from "@babylonjs/core/Engines/abstractEngine";
import { Engine } from "@babylonjs/core/Engines/engine";
import { WebGPUEngine } from "@babylonjs/core/Engines/webgpuEngine";
import { Scene } from "@babylonjs/core/scene";
import { ArcRotateCamera } from "@babylonjs/core/Cameras/arcRotateCamera";
import { HemisphericLight } from "@babylonjs/core/Lights/hemisphericLight";
import { Color4 } from "@babylonjs/core/Maths/math.color";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { CreateSphere } from "@babylonjs/core/Meshes/Builders/sphereBuilder";
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial";
import { NerfNode } from "../../plugin/scene/nerfNode";
import type { BenchConfig, BenchRow, BenchSuiteResult } from "./benchTypes";
import { BenchFieldAsync } from "./benchField";

const Width = 800;
const Height = 600;

async function CreateEngineAsync(kind: "WebGPU" | "WebGL2"): Promise<AbstractEngine> {
    const canvas = document.createElement("canvas");
    canvas.width = Width;
    canvas.height = Height;
    document.body.appendChild(canvas);
    if (kind === "WebGPU") {
        const engine = new WebGPUEngine(canvas, { antialias: false, adaptToDeviceRatio: false });
        await engine.initAsync();
        engine.setSize(Width, Height);
        return engine;
    }
    const engine = new Engine(canvas, false, { adaptToDeviceRatio: false });
    engine.setSize(Width, Height);
    return engine;
}

/** Mean milliseconds per frame, each frame rendered and waited for (a 1-pixel read-back syncs the GPU). */
async function FrameTimeAsync(scene: Scene, frames: number): Promise<number> {
    const engine = scene.getEngine();
    while (!scene.isReady()) {
        await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const renderOnce = async (): Promise<void> => {
        engine.beginFrame();
        scene.render();
        const pixel = engine.readPixels(0, 0, 1, 1);
        engine.endFrame();
        await pixel;
    };
    for (let i = 0; i < 3; i++) {
        await renderOnce();
    }
    const started = performance.now();
    for (let i = 0; i < frames; i++) {
        await renderOnce();
    }
    return (performance.now() - started) / frames;
}

/**
 * NeRF-node rendering benchmark: frame time at 800x600 of a trained mic field in the viewport next
 * to a Babylon mesh scene covering the same screen area (a lit sphere), in the same run; samples
 * per pixel; and the frame time while the camera moves (coarser steps).
 * @param config quick or full
 * @param log progress log
 * @returns the table and raw figures
 */
export async function RunRenderBenchAsync(config: BenchConfig, log: (line: string) => void): Promise<BenchSuiteResult> {
    const started = performance.now();
    const field = await BenchFieldAsync(log);
    const frames = config.quick ? 3 : 10;
    const rows: BenchRow[] = [];
    const data: Record<string, unknown> = {};
    for (const kind of ["WebGPU", "WebGL2"] as const) {
        const engine = await CreateEngineAsync(kind);
        const scene = new Scene(engine);
        scene.clearColor = new Color4(1, 1, 1, 1);
        const camera = new ArcRotateCamera("camera", -Math.PI / 3, Math.PI / 3, 3.2, Vector3.Zero(), scene);
        camera.minZ = 0.05;
        new HemisphericLight("light", new Vector3(0.3, 1, 0.2), scene);
        const node = new NerfNode("mic", scene, field);
        node.quality.adaptive = false;
        const view = await node.renderOffscreenAsync(camera, { width: Width / 4, height: Height / 4 });
        const coverage = view.opacity.filter((o) => o > 0.5).length / view.opacity.length;
        const covered = view.opacity.filter((o) => o > 0.5).length;
        const nerfMs = await FrameTimeAsync(scene, frames);
        node.quality.stillStepScale = node.quality.movingStepScale;
        const movingMs = await FrameTimeAsync(scene, frames);
        node.setEnabled(false);
        // a mesh of the same screen coverage: a sphere whose silhouette covers `coverage` of the screen
        const sphere = CreateSphere("sphere", { diameter: 1, segments: 64 }, scene);
        sphere.material = new StandardMaterial("sphere material", scene);
        const fovY = camera.fov;
        const screenHeightAtTarget = 2 * camera.radius * Math.tan(fovY / 2);
        const diameter = Math.sqrt((coverage * Width * Height * 4) / Math.PI) * (screenHeightAtTarget / Height);
        sphere.scaling.setAll(diameter);
        const meshMs = await FrameTimeAsync(scene, frames);
        log(`${kind}: NeRF ${nerfMs.toFixed(1)} ms/frame (moving ${movingMs.toFixed(1)} ms), mesh ${meshMs.toFixed(1)} ms/frame, coverage ${(coverage * 100).toFixed(1)}%`);
        rows.push(
            { metric: `${kind}: NeRF frame at ${Width}x${Height}`, value: `${nerfMs.toFixed(1)} ms (${(1000 / nerfMs).toFixed(1)} fps)` },
            { metric: `${kind}: NeRF frame while the camera moves (step x${node.quality.movingStepScale})`, value: `${movingMs.toFixed(1)} ms` },
            { metric: `${kind}: mesh scene of the same coverage (${(coverage * 100).toFixed(0)}% of the screen)`, value: `${meshMs.toFixed(1)} ms` },
            { metric: `${kind}: NeRF / mesh frame time`, value: `${(nerfMs / meshMs).toFixed(1)}x` }
        );
        data[kind] = { nerfMs, movingMs, meshMs, ratio: nerfMs / meshMs, coverage };
        data.samplesPerPixel = view.samplesPerRay;
        data.coveredPixels = covered;
        scene.dispose();
        engine.getRenderingCanvas()?.remove();
        engine.dispose();
    }
    rows.push({ metric: "mean samples per pixel (whole view, compute renderer)", value: (data.samplesPerPixel as number).toFixed(1) });
    return { suite: "render", title: `NeRF node rendering: mic field (grid ${field.params.gridSize.join("x")}) at ${Width}x${Height}`, rows, data, seconds: (performance.now() - started) / 1000 };
}

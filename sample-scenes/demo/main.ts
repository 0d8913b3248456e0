// The demo editor (`npm start`): a Babylon scene with the Inspector open and the SANeRF-HQ plugin
// registered. `?engine=webgl` forces WebGL2, like the Babylon.js Editor's viewport; the query's
// other settings override the pipeline's configuration (ConfigFromQuery).
import { Engine } from "@babylonjs/core/Engines/engine";
import { WebGPUEngine } from "@babylonjs/core/Engines/webgpuEngine";
import type { AbstractEngine } from "@babylonjs/core/Engines/abstractEngine";
import { Scene } from "@babylonjs/core/scene";
import { ArcRotateCamera } from "@babylonjs/core/Cameras/arcRotateCamera";
import { HemisphericLight } from "@babylonjs/core/Lights/hemisphericLight";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { Color3, Color4 } from "@babylonjs/core/Maths/math.color";
import { CreateGround } from "@babylonjs/core/Meshes/Builders/groundBuilder";
import { CreateBox } from "@babylonjs/core/Meshes/Builders/boxBuilder";
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial";
import * as Sanerf from "../../plugin/index";
import { SanerfPlugin, ShowSanerfInspectorAsync, type PipelineOverrides } from "../../plugin/index";

declare global {
    interface Window {
        /** Handles for tests and the console: the scene, the plugin, the package's public API. */
        sanerfDemo?: { scene: Scene; plugin: SanerfPlugin; ready: boolean; api: typeof Sanerf };
    }
}

async function CreateEngineAsync(canvas: HTMLCanvasElement): Promise<AbstractEngine> {
    const wantWebGl = new URLSearchParams(location.search).get("engine") === "webgl";
    if (!wantWebGl && (await WebGPUEngine.IsSupportedAsync)) {
        const engine = new WebGPUEngine(canvas, { antialias: true, adaptToDeviceRatio: true });
        await engine.initAsync();
        return engine;
    }
    return new Engine(canvas, true, { preserveDrawingBuffer: true, stencil: true });
}

function CreateDemoScene(engine: AbstractEngine): Scene {
    const scene = new Scene(engine);
    scene.clearColor = new Color4(0.12, 0.12, 0.14, 1);
    const camera = new ArcRotateCamera("camera", -Math.PI / 3, Math.PI / 3, 6, Vector3.Zero(), scene);
    camera.attachControl(true);
    camera.minZ = 0.05;
    new HemisphericLight("light", new Vector3(0.3, 1, 0.2), scene);
    const ground = CreateGround("ground", { width: 6, height: 6 }, scene);
    ground.position.y = -0.15;
    const groundMaterial = new StandardMaterial("groundMaterial", scene);
    groundMaterial.diffuseColor = new Color3(0.35, 0.36, 0.4);
    ground.material = groundMaterial;
    const box = CreateBox("box", { size: 0.8 }, scene);
    box.position.set(-2.2, 0.25, 0);
    const boxMaterial = new StandardMaterial("boxMaterial", scene);
    boxMaterial.diffuseColor = new Color3(0.9, 0.45, 0.2);
    box.material = boxMaterial;
    return scene;
}

/**
 * Pipeline settings from the page's query: ?iterations=N and ?grid=R (training), ?size=S (capture),
 * ?fuseIterations=N and ?fuseDevice=cpu (shorter fusion runs, or on the CPU twins: the end-to-end
 * test on a software GPU, which the viewport's ray marching keeps busy). Anything else keeps the
 * pipeline's defaults.
 */
function ConfigFromQuery(query: URLSearchParams): PipelineOverrides {
    const number = (key: string): number | undefined => Number(query.get(key)) || undefined;
    const defined = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
    return {
        capture: defined({ maxSide: number("size") }),
        train: { budget: defined({ iterations: number("iterations"), gridResolution: number("grid") }) },
        fuse: defined({ iterations: number("fuseIterations"), preferGpu: query.get("fuseDevice") === "cpu" ? false : undefined }),
    };
}

async function MainAsync(): Promise<void> {
    const canvas = document.getElementById("renderCanvas") as HTMLCanvasElement;
    const engine = await CreateEngineAsync(canvas);
    const scene = CreateDemoScene(engine);
    const query = new URLSearchParams(location.search);
    const plugin = new SanerfPlugin(scene, {
        sampleCaptures: [
            { name: "tabletop", url: "captures/tabletop/" },
            { name: "hard", url: "captures/hard/" },
        ],
        config: ConfigFromQuery(query),
    });
    // ?scale=N renders at 1/N of the canvas' resolution (tests on a software GPU); ?render=off: no
    // render loop (a test drives the workspace through its API)
    const scale = Number(query.get("scale"));
    if (scale > 0) {
        engine.setHardwareScalingLevel(scale);
    }
    if (query.get("render") !== "off") {
        engine.runRenderLoop(() => scene.render());
    }
    window.addEventListener("resize", () => engine.resize());
    await ShowSanerfInspectorAsync(scene, plugin);
    await plugin.detectCapabilitiesAsync();
    window.sanerfDemo = { scene, plugin, ready: true, api: Sanerf };
}

MainAsync().catch((error) => {
    console.error(error);
    document.body.insertAdjacentHTML("afterbegin", `<pre style="color:#f88;position:absolute;z-index:10">${String(error)}</pre>`);
});

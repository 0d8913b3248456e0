// The sample-scene generator page (dist/app/generator.html), driven by
// `npm run generate:scenes` (sample-scenes/generator/generate.mjs): a WebGL2 Babylon engine on the
// page's canvas and `window.sanerfGenerator.generateAsync(config)`, which renders one scene and
// PUTs its capture folder to the server. Calls are run one after another.
import { Engine } from "@babylonjs/core/Engines/engine";
import type { GeneratorConfig, GeneratorReport, SanerfGeneratorApi } from "./generatorTypes";
import { GenerateSampleSceneAsync } from "./sceneGenerator";

declare global {
    interface Window {
        /** The generator's API, set once the page is ready. */
        sanerfGenerator?: SanerfGeneratorApi;
    }
}

function CreateEngine(canvas: HTMLCanvasElement): Engine {
    const engine = new Engine(canvas, false, { antialias: false, preserveDrawingBuffer: false, stencil: false, powerPreference: "high-performance" }, false);
    if (engine.webGLVersion < 2) {
        throw new Error(`the generator needs WebGL2 (got WebGL${engine.webGLVersion})`);
    }
    return engine;
}

function Main(): void {
    const canvas = document.getElementById("renderCanvas") as HTMLCanvasElement | null;
    if (!canvas) {
        throw new Error("generator page: no #renderCanvas");
    }
    const engine = CreateEngine(canvas);
    let queue: Promise<unknown> = Promise.resolve();
    const generateAsync = (config: GeneratorConfig): Promise<GeneratorReport> => {
        const run = queue.then(() => {
            // Square drawing buffer: the projection's aspect ratio is 1 whatever the pass renders into.
            engine.setSize(config.size, config.size, true);
            return GenerateSampleSceneAsync(engine, config);
        });
        queue = run.catch(() => undefined);
        return run;
    };
    window.sanerfGenerator = { generateAsync };
}

try {
    Main();
} catch (error) {
    console.error(error);
    document.body.insertAdjacentHTML("afterbegin", `<pre style="color:#f88;position:absolute;z-index:10">${String(error)}</pre>`);
}

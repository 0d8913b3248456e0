import type { AbstractEngine } from "@babylonjs/core/Engines/abstractEngine";
import { Engine } from "@babylonjs/core/Engines/engine";
import { WebGPUEngine } from "@babylonjs/core/Engines/webgpuEngine";
import type { Scene } from "@babylonjs/core/scene";
import type { RgbaImage } from "@plugin/core/image/rgbaImage";
import { RequireGpuAsync } from "./webGpu";

/** The two engines the plugin draws on. */
export type EngineKind = "WebGPU" | "WebGL2";

/**
 * An engine on a fresh canvas of exactly `width` x `height` (no device-ratio scaling).
 * @param kind WebGPU (fails the spec when WebGPU is missing) or WebGL2
 * @param width canvas width
 * @param height canvas height
 * @returns the engine
 */
export async function CreateEngineAsync(kind: EngineKind, width: number, height: number): Promise<AbstractEngine> {
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    let engine: AbstractEngine;
    if (kind === "WebGPU") {
        await RequireGpuAsync();
        // rgba8unorm so readPixels gives RGBA (the preferred canvas format may be bgra8unorm).
        const webGpu = new WebGPUEngine(canvas, { antialias: false, adaptToDeviceRatio: false, swapChainFormat: "rgba8unorm" });
        await webGpu.initAsync();
        engine = webGpu;
    } else {
        engine = new Engine(canvas, false, { preserveDrawingBuffer: true, adaptToDeviceRatio: false, stencil: true });
        if ((engine as Engine).webGLVersion < 2) {
            throw new Error(`WebGL2 is missing (got WebGL ${(engine as Engine).webGLVersion})`);
        }
    }
    engine.setSize(width, height);
    return engine;
}

/**
 * Waits for the scene to be ready, renders one frame and reads it back, top row first.
 * @param scene the scene (its active camera renders)
 * @param errors shader compile errors collected by the caller (fails fast when any appear)
 * @returns the frame
 */
export async function RenderFrameAsync(scene: Scene, errors: string[] = []): Promise<RgbaImage> {
    const engine = scene.getEngine();
    const started = performance.now();
    while (!scene.isReady()) {
        if (errors.length > 0) {
            throw new Error(`shaders failed to compile: ${errors.join("\n")}`);
        }
        if (performance.now() - started > 10000) {
            const states = scene.meshes.map((mesh) => `${mesh.name}: mesh ${mesh.isReady(true)}, material ${mesh.material?.isReady(mesh)}`);
            throw new Error(`the scene did not become ready within 10 s: ${states.join("; ")}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const width = engine.getRenderWidth();
    const height = engine.getRenderHeight();
    engine.beginFrame();
    scene.render();
    const pending = engine.readPixels(0, 0, width, height, true, true);
    engine.endFrame();
    const read = await pending;
    const bytes = new Uint8Array(read.buffer, read.byteOffset, width * height * 4);
    const data = new Uint8ClampedArray(width * height * 4);
    // WebGL reads bottom row first; WebGPU copies the texture top row first.
    for (let y = 0; y < height; y++) {
        const sourceRow = engine.isWebGPU ? y : height - 1 - y;
        data.set(bytes.subarray(sourceRow * width * 4, (sourceRow + 1) * width * 4), y * width * 4);
    }
    return { width, height, data };
}

// Renders one view of a built sample scene three ways, all with the same camera and projection:
//  - colour: the lit scene over a transparent clear (alpha 0), supersampled (rendered at
//    `supersampling` x the size). Every sample is either cleared (0, 0, 0, 0) or an opaque surface
//    (alpha 255); each pixel averages its samples' premultiplied colour and coverage and divides,
//    giving straight (un-premultiplied) RGBA with alpha = coverage and RGB = 0 where alpha is 0;
//  - labels + depth: one unlit pass into a float target, no antialiasing, where each mesh writes
//    (object id, distance along the camera's viewing axis); cleared to (0, 0) (nothing hit).
// Images come out top row first.
import type { Scene } from "@babylonjs/core/scene";
import type { Mesh } from "@babylonjs/core/Meshes/mesh";
import type { Material } from "@babylonjs/core/Materials/material";
import { Constants } from "@babylonjs/core/Engines/constants";
import { Camera } from "@babylonjs/core/Cameras/camera";
import { TargetCamera } from "@babylonjs/core/Cameras/targetCamera";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { Color4 } from "@babylonjs/core/Maths/math.color";
import { ShaderMaterial } from "@babylonjs/core/Materials/shaderMaterial";
import { RenderTargetTexture } from "@babylonjs/core/Materials/Textures/renderTargetTexture";
import type { BuiltScene } from "./sceneBuilder";
import type { Point3 } from "./hemisphereCameras";

/** One rendered view, top row first. */
export interface RenderedView {
    /** Lit, antialiased colour, straight alpha (alpha = coverage, RGB 0 where alpha is 0): size * size * 4 bytes. */
    readonly rgba: Uint8Array;
    /** Object id per pixel (0 = table top or nothing): size * size bytes. */
    readonly labels: Uint8Array;
    /** Distance along the viewing axis per pixel, world units; 0 where nothing is hit. */
    readonly depth: Float32Array;
}

const LabelDepthVertex = `
precision highp float;
attribute vec3 position;
uniform mat4 world;
uniform mat4 view;
uniform mat4 viewProjection;
varying vec3 vViewPosition;
void main(void) {
    vec4 worldPosition = world * vec4(position, 1.0);
    vViewPosition = (view * worldPosition).xyz;
    gl_Position = viewProjection * worldPosition;
}`;

// Right-handed view space: the camera looks down -z, so the depth along its axis is -z.
const LabelDepthFragment = `
precision highp float;
uniform float objectId;
varying vec3 vViewPosition;
void main(void) {
    gl_FragColor = vec4(objectId, -vViewPosition.z, 0.0, 1.0);
}`;

/** The clear colour of both passes: nothing hit is transparent black (colour) or (id 0, depth 0). */
const TransparentBlack = new Color4(0, 0, 0, 0);

/** Polls `ready` every few milliseconds until it is true; fails after `timeoutMs`. */
async function WaitUntilAsync(ready: () => boolean, what: string, timeoutMs = 60000): Promise<void> {
    const started = performance.now();
    while (!ready()) {
        if (performance.now() - started > timeoutMs) {
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
    }
}

/** Renders views of a built sample scene; see the file comment. */
export class CaptureViewRenderer {
    /** The camera every pass uses (right-handed: it looks down its local -z). */
    public readonly camera: TargetCamera;
    private readonly _scene: Scene;
    private readonly _size: number;
    private readonly _supersampling: number;
    private readonly _colorTarget: RenderTargetTexture;
    private readonly _labelTarget: RenderTargetTexture;
    private readonly _meshes: Mesh[];
    private readonly _litMaterials: Material[];
    private readonly _labelMaterials: ShaderMaterial[];

    /**
     * @param built the scene to render
     * @param size width and height of the images, pixels
     * @param fovY vertical field of view, radians
     * @param supersampling colour samples per pixel along each axis
     */
    constructor(built: BuiltScene, size: number, fovY: number, supersampling: number) {
        const scene = built.scene;
        const engine = scene.getEngine();
        const caps = engine.getCaps();
        if (!caps.textureFloatRender) {
            throw new Error("the generator needs float render targets (WebGL2 with EXT_color_buffer_float)");
        }
        this._supersampling = Math.max(1, Math.min(supersampling, Math.floor(caps.maxTextureSize / size)));
        this._scene = scene;
        this._size = size;
        this.camera = new TargetCamera("capture camera", new Vector3(0, 1, 3), scene, false);
        this.camera.fov = fovY;
        this.camera.fovMode = Camera.FOVMODE_VERTICAL_FIXED;
        this.camera.minZ = 0.05;
        this.camera.maxZ = 50;
        scene.activeCamera = this.camera;
        const targetOptions = { generateMipMaps: false, samplingMode: Constants.TEXTURE_NEAREST_SAMPLINGMODE, generateDepthBuffer: true, format: Constants.TEXTUREFORMAT_RGBA };
        this._colorTarget = new RenderTargetTexture("capture colour", size * this._supersampling, scene, { ...targetOptions, type: Constants.TEXTURETYPE_UNSIGNED_BYTE });
        this._labelTarget = new RenderTargetTexture("capture labels and depth", size, scene, { ...targetOptions, type: Constants.TEXTURETYPE_FLOAT });
        this._colorTarget.clearColor = TransparentBlack;
        this._labelTarget.clearColor = TransparentBlack;
        const labelled: [Mesh, number][] = [[built.tableTop, 0], ...built.objects.map((object): [Mesh, number] => [object.mesh, object.id])];
        this._meshes = labelled.map(([mesh]) => mesh);
        this._litMaterials = this._meshes.map((mesh) => {
            if (!mesh.material) {
                throw new Error(`mesh "${mesh.name}" has no material`);
            }
            return mesh.material;
        });
        this._labelMaterials = labelled.map(([mesh, id]) => {
            const material = new ShaderMaterial(
                `${mesh.name} label material`,
                scene,
                { vertexSource: LabelDepthVertex, fragmentSource: LabelDepthFragment },
                { attributes: ["position"], uniforms: ["world", "view", "viewProjection", "objectId"] }
            );
            material.setFloat("objectId", id);
            material.backFaceCulling = false;
            return material;
        });
    }

    /** Colour samples per pixel along each axis actually used (limited by the GPU's texture size). */
    public get supersampling(): number {
        return this._supersampling;
    }

    /**
     * Points the camera and renders the colour, label and depth images.
     * @param position camera position, world
     * @param target the point it looks at, world
     * @returns the three images, top row first
     */
    public async renderAsync(position: Point3, target: Point3): Promise<RenderedView> {
        this.camera.position.set(...position);
        this.camera.setTarget(new Vector3(...target));
        this.camera.getViewMatrix(true);
        this._meshes.forEach((mesh, i) => (mesh.material = this._litMaterials[i]));
        const color = await this._renderPassAsync(this._colorTarget);
        this._meshes.forEach((mesh, i) => (mesh.material = this._labelMaterials[i]));
        const labelDepth = await this._renderPassAsync(this._labelTarget);
        this._meshes.forEach((mesh, i) => (mesh.material = this._litMaterials[i]));
        if (!(color instanceof Uint8Array) || !(labelDepth instanceof Float32Array)) {
            throw new Error("unexpected pixel types read back from the render targets");
        }
        const { labels, depth } = this._splitLabelDepth(labelDepth);
        return { rgba: this._resolveColor(color), labels, depth };
    }

    /** Frees the render targets and the label materials. */
    public dispose(): void {
        this._colorTarget.dispose();
        this._labelTarget.dispose();
        this._labelMaterials.forEach((material) => material.dispose());
        this.camera.dispose();
    }

    /** Renders the scene into `target`, cleared to transparent black, and reads it back (bottom row first). */
    private async _renderPassAsync(target: RenderTargetTexture): Promise<ArrayBufferView> {
        const scene = this._scene;
        await WaitUntilAsync(() => scene.isReady(false), `the "${target.name}" pass's materials to compile`);
        this.camera.outputRenderTarget = target;
        try {
            scene.render();
        } finally {
            this.camera.outputRenderTarget = null;
        }
        const pixels = target.readPixels(0, 0, null, true, false);
        if (!pixels) {
            throw new Error(`could not read back the "${target.name}" render target`);
        }
        return pixels;
    }

    /**
     * Resolves the supersampled RGBA colour (bottom row first) into straight-alpha RGBA, top row
     * first: per pixel, the sums of premultiplied colour (c * a) and of coverage (a) over its
     * samples; alpha = mean coverage, RGB = sum(c * a) / sum(a), both rounded to nearest; RGB = 0
     * where alpha is 0. Throws when a sample's alpha is neither 0 (clear) nor 255 (opaque surface).
     */
    private _resolveColor(samples: Uint8Array): Uint8Array {
        const size = this._size;
        const factor = this._supersampling;
        const sourceSize = size * factor;
        const count = factor * factor;
        const rgba = new Uint8Array(size * size * 4);
        const premultiplied = [0, 0, 0];
        for (let row = 0; row < size; row++) {
            for (let column = 0; column < size; column++) {
                let coverage = 0;
                premultiplied.fill(0);
                for (let dy = 0; dy < factor; dy++) {
                    const sourceRow = sourceSize - 1 - (row * factor + dy);
                    for (let dx = 0; dx < factor; dx++) {
                        const source = (sourceRow * sourceSize + column * factor + dx) * 4;
                        const alpha = samples[source + 3];
                        if (alpha !== 0 && alpha !== 255) {
                            throw new Error(`the colour pass wrote alpha ${alpha} at a sample: expected 0 (clear) or 255 (opaque surface)`);
                        }
                        coverage += alpha;
                        for (let channel = 0; channel < 3; channel++) {
                            premultiplied[channel] += samples[source + channel] * alpha;
                        }
                    }
                }
                const target = (row * size + column) * 4;
                const alpha = Math.floor((2 * coverage + count) / (2 * count));
                rgba[target + 3] = alpha;
                if (alpha > 0) {
                    for (let channel = 0; channel < 3; channel++) {
                        rgba[target + channel] = Math.floor((2 * premultiplied[channel] + coverage) / (2 * coverage));
                    }
                }
            }
        }
        return rgba;
    }

    /** Splits the float (id, depth, 0, 1) pixels (bottom row first) into labels and depth, top row first. */
    private _splitLabelDepth(pixels: Float32Array): { labels: Uint8Array; depth: Float32Array } {
        const size = this._size;
        const labels = new Uint8Array(size * size);
        const depth = new Float32Array(size * size);
        for (let row = 0; row < size; row++) {
            const sourceRow = size - 1 - row;
            for (let column = 0; column < size; column++) {
                const source = (sourceRow * size + column) * 4;
                labels[row * size + column] = Math.round(pixels[source]);
                depth[row * size + column] = pixels[source + 1];
            }
        }
        return { labels, depth };
    }
}

import { Constants } from "@babylonjs/core/Engines/constants";
import type { Effect } from "@babylonjs/core/Materials/effect";
import { ShaderLanguage } from "@babylonjs/core/Materials/shaderLanguage";
import { ShaderMaterial } from "@babylonjs/core/Materials/shaderMaterial";
import { Matrix, Vector3 } from "@babylonjs/core/Maths/math.vector";
import type { AbstractEngine } from "@babylonjs/core/Engines/abstractEngine";
import type { AbstractMesh } from "@babylonjs/core/Meshes/abstractMesh";
import type { SubMesh } from "@babylonjs/core/Meshes/subMesh";
import type { Scene } from "@babylonjs/core/scene";
import type { Nullable } from "@babylonjs/core/types";
import vertexGlsl from "../../shaders/render/nerfRaymarch.vertex.glsl";
import fragmentGlsl from "../../shaders/render/nerfRaymarch.fragment.glsl";
import vertexWgsl from "../../shaders/render/nerfRaymarch.vertex.wgsl";
import fragmentWgsl from "../../shaders/render/nerfRaymarch.fragment.wgsl";
import type { NerfFieldTextures } from "./nerfFieldTextures";

/** Uniforms of shaders/render/nerfRaymarch.*: set per draw by NerfMaterial. */
const RaymarchUniforms = [
    "world",
    "viewProjection",
    "cameraCapture",
    "boundsMin",
    "boundsMax",
    "gridSize",
    "occupancySize",
    "marchStep",
    "densityShift",
    "maxSamples",
    "depthThreshold",
    "zSign",
    "rayNear",
];

/** Textures of shaders/render/nerfRaymarch.* (WGSL samplers are these names + "Sampler"). */
const RaymarchTextures = ["densityTexture", "shRedTexture", "shGreenTexture", "shBlueTexture", "occupancyTexture"];

/** Define switching the fragment output to the sample count (diagnostics). */
const SampleCountDefine = "SAMPLE_COUNT_OUTPUT";

/** Define compiling the contracted (whole-scene) march; bounded fields compile without it. */
const ContractedDefine = "CONTRACTED";

/**
 * Draws a radiance field inside a Babylon scene by ray-marching it in the fragment shader of its
 * bounding box: a `ShaderMaterial` subclass (so it drops into any mesh, the Inspector and the
 * rendering pipeline like other materials) with GLSL shaders on WebGL2 and WGSL shaders on WebGPU
 * (never GLSL on WebGPU, which would fetch a shader compiler from a CDN).
 *
 * The mesh must be a box whose local space is the field's capture space (z mirrored when
 * `mirrorZ`), covering the field's bounds; any world transform (parents, scaling, rotation) works:
 * the camera is brought into capture coordinates on every draw. Front faces are culled (the back
 * faces are drawn, so the camera may be inside the box). The material blends premultiplied colour
 * "over" the scene (the field's training background is not drawn), renders with the transparent
 * meshes, depth-tests against what is already drawn and writes the depth where the accumulated
 * opacity first reaches `depthThreshold` (else at the opacity-weighted mean sample), so meshes
 * drawn later behind the field are hidden. The algorithm is that of the field kernels rendering
 * without jitter (see shaders/render/nerfRaymarch.fragment.wgsl), with samples `stepScale` times
 * the field's step apart.
 *
 * The textures belong to the caller: disposing the material does not dispose them unless
 * `dispose(false, true)` is asked for.
 */
export class NerfMaterial extends ShaderMaterial {
    private _fieldTextures: NerfFieldTextures;
    private _boundTextures: NerfFieldTextures | null = null;
    private _boundVersion = -1;
    private _stepScale = 1;
    private _maxSamples = 512;
    private _depthThreshold = 0.5;
    private _showSampleCount = false;
    private readonly _localToView = new Matrix();
    private readonly _viewToLocal = new Matrix();
    private readonly _cameraCapture = new Vector3();

    /**
     * True when the mesh's local space is the capture space with z mirrored: the case in a
     * left-handed scene (Babylon's default), where capture poses are converted by mirroring z.
     * Defaults to `!scene.useRightHandedSystem`.
     */
    public mirrorZ: boolean;

    /**
     * @param name material name
     * @param scene the scene (its engine decides GLSL or WGSL)
     * @param textures the field to draw
     */
    constructor(name: string, scene: Scene, textures: NerfFieldTextures) {
        const engine = scene.getEngine();
        // A NullEngine (no canvas, nothing drawn) is let through, for headless scenes and tests.
        if (!NerfMaterial.IsSupported(engine) && engine.getRenderingCanvas()) {
            throw new Error(`NerfMaterial "${name}": the engine is WebGL ${engine.version}; drawing a radiance field needs WebGL2 (3D textures) or WebGPU`);
        }
        const webGpu = engine.isWebGPU;
        super(
            name,
            scene,
            webGpu ? { vertexSource: vertexWgsl, fragmentSource: fragmentWgsl } : { vertexSource: vertexGlsl, fragmentSource: fragmentGlsl },
            {
                attributes: ["position"],
                uniforms: [...RaymarchUniforms],
                samplers: [...RaymarchTextures],
                needAlphaBlending: true,
                useClipPlane: false,
                shaderLanguage: webGpu ? ShaderLanguage.WGSL : ShaderLanguage.GLSL,
            }
        );
        this.mirrorZ = !scene.useRightHandedSystem;
        this.backFaceCulling = true;
        this.cullBackFaces = false;
        this.alphaMode = Constants.ALPHA_PREMULTIPLIED_PORTERDUFF;
        // Babylon turns depth writes off for alpha-blended draws (engine.setAlphaMode); the field
        // writes its own depth (the surface where the opacity reaches depthThreshold).
        this.forceDepthWrite = true;
        // Saved with its NerfNode (field file), never as a plain ShaderMaterial.
        this.doNotSerialize = true;
        this._fieldTextures = textures;
        this._syncTextures();
    }

    /**
     * Whether an engine can draw radiance fields: WebGPU, or WebGL2 (3D textures; half-float
     * textures are filterable in both without extensions).
     * @param engine the engine
     * @returns true on WebGPU and WebGL2
     */
    public static IsSupported(engine: AbstractEngine): boolean {
        return engine.isWebGPU || engine.version >= 2;
    }

    /** The field drawn. */
    public get textures(): NerfFieldTextures {
        return this._fieldTextures;
    }

    /**
     * Draws another field (or the same one after `update`; resized textures are rebound on their own).
     * @param textures the field's textures
     */
    public setTextures(textures: NerfFieldTextures): void {
        this._fieldTextures = textures;
        this._syncTextures();
    }

    /** Distance between samples in units of the field's stepSize: 1 = the field's own, > 1 = coarser (e.g. while the camera moves). */
    public get stepScale(): number {
        return this._stepScale;
    }

    public set stepScale(value: number) {
        if (!(value > 0) || !Number.isFinite(value)) {
            throw new RangeError(`NerfMaterial.stepScale must be a finite number > 0, got ${value}`);
        }
        this._stepScale = value;
    }

    /** Most samples evaluated per ray (default 512, as the field renderer). */
    public get maxSamples(): number {
        return this._maxSamples;
    }

    public set maxSamples(value: number) {
        if (!Number.isInteger(value) || value < 1) {
            throw new RangeError(`NerfMaterial.maxSamples must be an integer >= 1, got ${value}`);
        }
        this._maxSamples = value;
    }

    /** Accumulated opacity at which the depth is written (default 0.5). */
    public get depthThreshold(): number {
        return this._depthThreshold;
    }

    public set depthThreshold(value: number) {
        if (!(value > 0 && value <= 1)) {
            throw new RangeError(`NerfMaterial.depthThreshold must be in (0, 1], got ${value}`);
        }
        this._depthThreshold = value;
    }

    /**
     * Diagnostics: when true the material outputs, instead of the field, the number of samples
     * evaluated per ray in the red channel (count / 255, opaque, nothing discarded).
     */
    public get showSampleCount(): boolean {
        return this._showSampleCount;
    }

    public set showSampleCount(value: boolean) {
        if (value !== this._showSampleCount) {
            this._showSampleCount = value;
            this.setDefine(SampleCountDefine, value);
        }
    }

    /**
     * The camera position in the field's capture coordinates for a mesh world matrix and a view
     * matrix: the camera (view-space origin) taken back through view and world, z mirrored when
     * `mirrorZ`.
     * @param world the mesh's world matrix
     * @param view the camera's view matrix
     * @param result receives the position
     * @returns result
     */
    public cameraInCaptureToRef(world: Matrix, view: Matrix, result: Vector3): Vector3 {
        world.multiplyToRef(view, this._localToView);
        this._localToView.invertToRef(this._viewToLocal);
        Vector3.TransformCoordinatesFromFloatsToRef(0, 0, 0, this._viewToLocal, result);
        if (this.mirrorZ) {
            result.z = -result.z;
        }
        return result;
    }

    /**
     * Checks the material is ready to draw a mesh, after binding the field's current textures
     * (an update to another grid size replaces them).
     * @param mesh the mesh
     * @param useInstances whether instances are drawn
     * @param subMesh the submesh
     * @returns true when ready
     */
    public override isReady(mesh?: AbstractMesh, useInstances?: boolean, subMesh?: SubMesh): boolean {
        this._syncTextures();
        return super.isReady(mesh, useInstances, subMesh);
    }

    /**
     * Binds the material for a draw: the ShaderMaterial bindings, then the per-draw ray-marching
     * uniforms (camera in capture coordinates, field constants, step, limits).
     * @param world the mesh's world matrix
     * @param mesh the mesh
     * @param effectOverride an effect to use instead of the material's
     * @param subMesh the submesh drawn
     */
    public override bind(world: Matrix, mesh?: AbstractMesh, effectOverride?: Nullable<Effect>, subMesh?: SubMesh): void {
        this._syncTextures();
        super.bind(world, mesh, effectOverride, subMesh);
        const effect = effectOverride ?? this.getEffect();
        if (!effect) {
            return;
        }
        const params = this._fieldTextures.params;
        this.cameraInCaptureToRef(world, this.getScene().getViewMatrix(), this._cameraCapture);
        effect.setVector3("cameraCapture", this._cameraCapture);
        effect.setFloat3("boundsMin", params.boundsMin[0], params.boundsMin[1], params.boundsMin[2]);
        effect.setFloat3("boundsMax", params.boundsMax[0], params.boundsMax[1], params.boundsMax[2]);
        effect.setFloat3("gridSize", params.gridSize[0], params.gridSize[1], params.gridSize[2]);
        effect.setFloat3("occupancySize", params.occupancySize[0], params.occupancySize[1], params.occupancySize[2]);
        effect.setFloat("marchStep", params.stepSize * this._stepScale);
        effect.setFloat("densityShift", params.densityShift);
        effect.setFloat("maxSamples", this._maxSamples);
        effect.setFloat("depthThreshold", this._depthThreshold);
        effect.setFloat("zSign", this.mirrorZ ? -1 : 1);
        effect.setFloat("rayNear", params.near ?? 0);
    }

    /**
     * A material drawing the same field with the same settings.
     * @param name the copy's name
     * @returns the copy (sharing the textures)
     */
    public override clone(name: string): NerfMaterial {
        const copy = new NerfMaterial(name, this.getScene(), this._fieldTextures);
        copy.stepScale = this._stepScale;
        copy.maxSamples = this._maxSamples;
        copy.depthThreshold = this._depthThreshold;
        copy.mirrorZ = this.mirrorZ;
        copy.showSampleCount = this._showSampleCount;
        return copy;
    }

    /** @returns "NerfMaterial" */
    public override getClassName(): string {
        return "NerfMaterial";
    }

    /** Binds the field's current textures when they (or their objects, after a resize) changed. */
    private _syncTextures(): void {
        const textures = this._fieldTextures;
        if (textures === this._boundTextures && textures.version === this._boundVersion) {
            return;
        }
        this.setTexture("densityTexture", textures.density);
        this.setTexture("shRedTexture", textures.sh[0]);
        this.setTexture("shGreenTexture", textures.sh[1]);
        this.setTexture("shBlueTexture", textures.sh[2]);
        this.setTexture("occupancyTexture", textures.occupancy);
        this.setDefine(ContractedDefine, textures.params.contracted === true);
        this._boundTextures = textures;
        this._boundVersion = textures.version;
    }
}

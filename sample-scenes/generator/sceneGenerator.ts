// Generates one sample capture: builds the scene, exports and re-measures each object's GLB,
// renders every hemisphere view (RGBA colour with alpha = coverage, labels, depth), checks what it
// wrote and PUTs the files (images/, labels/, depth/, meshes/, transforms.json) under
// `<uploadPrefix><scene>/`.
import type { AbstractEngine } from "@babylonjs/core/Engines/abstractEngine";
import { Matrix, Vector3 } from "@babylonjs/core/Maths/math.vector";
import { Viewport } from "@babylonjs/core/Maths/math.viewport";
import { BabylonToCaptureCameraMatrix } from "../../plugin/core/math/poseConversion";
import { WriteNpyFloat32 } from "../../plugin/core/capture/npy";
import type { GeneratorCheck, GeneratorConfig, GeneratorReport } from "./generatorTypes";
import { SampleSceneNames } from "./generatorTypes";
import { GetSceneLayout } from "./sceneLayouts";
import type { BuiltScene } from "./sceneBuilder";
import { BuildSampleScene } from "./sceneBuilder";
import type { Point3 } from "./hemisphereCameras";
import { FibonacciHemisphereViews } from "./hemisphereCameras";
import { CaptureViewRenderer } from "./viewRenderer";
import { ExportObjectGlbAsync, MeasureGlbAsync, MeshSurfaceSamples, MeshWorldBox } from "./meshExport";
import { CaptureChecker } from "./captureChecks";
import { CoverageChecker } from "./coverageChecks";
import { EncodePngAsync } from "../../plugin/core/image/pngEncoder";
import { WriteCloudAsPly } from "../../plugin/core/splats/splatPlyWriter";
import type { LabelledDepthView } from "./splatScene";
import { SplatsFromDepthViews } from "./splatScene";
import type { TransformsFrame, TransformsJson } from "./transformsJson";
import { EnclosingAabb, FramePaths, MatrixRows, ObjectMeshPath, RoundTo, StringifyTransforms } from "./transformsJson";

/** The camera rig shared by both scenes. */
export const CameraRig = {
    /** Vertical field of view, radians (40 degrees). */
    fovY: (40 * Math.PI) / 180,
    /** Distance of every camera from the target. */
    radius: 3.0,
    /** The point every camera looks at: above the table centre, amid the objects. */
    target: [0, 0.18, 0] as Point3,
    /** Elevation range, radians (20 to 65 degrees). */
    minElevation: (20 * Math.PI) / 180,
    maxElevation: (65 * Math.PI) / 180,
    /** Azimuth of view 0, radians. */
    azimuthOffset: Math.PI / 6,
    /** Colour samples per pixel along each axis (antialiasing by supersampling). */
    supersampling: 4,
};

/** The scene as labelled splats, beside transforms.json. */
export const SplatScenePath = "splats.ply";

/** Margin of scene_aabb around the objects and the table top. */
const AabbMargin = 0.05;

/** PUTs files under one URL prefix and keeps the list. */
class CaptureUploader {
    public readonly files: string[] = [];
    public bytes = 0;
    constructor(private readonly _prefix: string) {}

    public async putAsync(path: string, body: Uint8Array | string): Promise<void> {
        const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
        const response = await fetch(this._prefix + path, { method: "PUT", body: bytes as BodyInit });
        if (!response.ok) {
            throw new Error(`PUT ${this._prefix + path} failed: ${response.status} ${await response.text()}`);
        }
        this.files.push(path);
        this.bytes += bytes.length;
    }
}

/** Throws a clear error for a config the generator cannot honour. */
function ValidateConfig(config: GeneratorConfig): void {
    const problems: string[] = [];
    if (!SampleSceneNames.includes(config.scene)) {
        problems.push(`scene must be one of ${SampleSceneNames.join(", ")} (got ${JSON.stringify(config.scene)})`);
    }
    if (!Number.isInteger(config.views) || config.views < 1 || config.views > 10000) {
        problems.push(`views must be an integer in 1..10000 (got ${config.views})`);
    }
    if (!Number.isInteger(config.size) || config.size < 16 || config.size > 4096) {
        problems.push(`size must be an integer in 16..4096 (got ${config.size})`);
    }
    if (!Number.isInteger(config.seed)) {
        problems.push(`seed must be an integer (got ${config.seed})`);
    }
    if (typeof config.uploadPrefix !== "string" || !config.uploadPrefix.endsWith("/")) {
        problems.push(`uploadPrefix must be a URL path ending in "/" (got ${JSON.stringify(config.uploadPrefix)})`);
    }
    if (problems.length > 0) {
        throw new Error(`bad generator config: ${problems.join("; ")}`);
    }
}

/** Exports every object's GLB, loads it back and compares its box with the object's. */
async function WriteMeshesAsync(engine: AbstractEngine, built: BuiltScene, uploader: CaptureUploader): Promise<GeneratorCheck[]> {
    const checks: GeneratorCheck[] = [];
    for (const object of built.objects) {
        const path = ObjectMeshPath(object.id);
        const glb = await ExportObjectGlbAsync(engine, object, path.replace(/^meshes\/|\.glb$/g, ""));
        const measured = await MeasureGlbAsync(engine, glb);
        const expected = MeshWorldBox(object.mesh);
        const error = Math.max(...[0, 1, 2].flatMap((axis) => [Math.abs(measured.min[axis] - expected.min[axis]), Math.abs(measured.max[axis] - expected.max[axis])]));
        const vertices = object.mesh.getTotalVertices();
        checks.push({
            name: `glb round trip: "${object.name}" loads back with the object's world box`,
            ok: error < 1e-5 && measured.vertexCount === vertices,
            detail: `box error ${error.toExponential(2)}, ${measured.vertexCount} of ${vertices} vertices, ${glb.length} bytes`,
        });
        await uploader.putAsync(path, glb);
    }
    return checks;
}

/**
 * Generates one sample capture and uploads it; see the file comment.
 * @param engine a WebGL2 engine whose canvas is `config.size` pixels square
 * @param config what to generate
 * @returns the files written and the self-checks
 */
export async function GenerateSampleSceneAsync(engine: AbstractEngine, config: GeneratorConfig): Promise<GeneratorReport> {
    ValidateConfig(config);
    const started = performance.now();
    const { size, views } = config;
    const built = BuildSampleScene(engine, GetSceneLayout(config.scene), config.seed);
    const uploader = new CaptureUploader(`${config.uploadPrefix}${config.scene}/`);
    let renderer: CaptureViewRenderer | undefined;
    try {
        const checks = await WriteMeshesAsync(engine, built, uploader);
        renderer = new CaptureViewRenderer(built, size, CameraRig.fovY, CameraRig.supersampling);
        const focal = RoundTo(size / 2 / Math.tan(CameraRig.fovY / 2), 6);
        const intrinsics = { fx: focal, fy: focal, cx: size / 2, cy: size / 2, size };
        const checker = new CaptureChecker(
            built.objects.map((object) => ({ id: object.id, name: object.name, samples: MeshSurfaceSamples(object.mesh, 0.02), box: MeshWorldBox(object.mesh), color: object.color })),
            intrinsics,
            MeshWorldBox(built.tableTop)
        );
        const coverage = new CoverageChecker(size);
        const rig = FibonacciHemisphereViews(views, CameraRig);
        const frames: TransformsFrame[] = [];
        const splatViews: LabelledDepthView[] = [];
        const viewport = new Viewport(0, 0, size, size);
        for (let index = 0; index < rig.length; index++) {
            const view = await renderer.renderAsync(rig[index].position, CameraRig.target);
            const camera = renderer.camera;
            const rows = MatrixRows(BabylonToCaptureCameraMatrix(camera.getWorldMatrix().m, "right"));
            const viewProjection = camera.getViewMatrix().multiply(camera.getProjectionMatrix());
            const project = (point: Point3): [number, number] => {
                const projected = Vector3.Project(new Vector3(...point), Matrix.IdentityReadOnly, viewProjection, viewport);
                return [projected.x, projected.y];
            };
            checker.addFrame(rows.flat(), view, project);
            coverage.addFrame(view);
            const paths = FramePaths(index);
            const labelRgb = new Uint8Array(size * size * 3).map((_, i) => view.labels[Math.floor(i / 3)]);
            await uploader.putAsync(paths.image, await EncodePngAsync(view.rgba, size, size, 4));
            await uploader.putAsync(paths.labels, await EncodePngAsync(labelRgb, size, size, 3));
            await uploader.putAsync(paths.depth, WriteNpyFloat32(view.depth, [size, size]));
            frames.push({ file_path: paths.image, label_path: paths.labels, depth_file_path: paths.depth, transform_matrix: rows });
            splatViews.push({ cameraToWorld: rows.flat(), intrinsics: { fx: focal, fy: focal, cx: size / 2, cy: size / 2, width: size, height: size }, rgba: view.rgba, depth: view.depth, labels: view.labels });
        }
        // the scene as Gaussian splats, each with its true object label (splatScene.ts)
        const splats = SplatsFromDepthViews(splatViews, `${config.scene}-splats.ply`);
        await uploader.putAsync(SplatScenePath, WriteCloudAsPly(splats.cloud, undefined, undefined, { label: splats.labels }));
        const transforms: TransformsJson = {
            camera_model: "OPENCV",
            fl_x: focal,
            fl_y: focal,
            cx: size / 2,
            cy: size / 2,
            w: size,
            h: size,
            k1: 0,
            k2: 0,
            p1: 0,
            p2: 0,
            scene_aabb: EnclosingAabb([MeshWorldBox(built.tableTop), ...built.objects.map((object) => MeshWorldBox(object.mesh))], AabbMargin),
            sanerf_scene: { name: config.scene, seed: config.seed, views, size, command: config.command },
            objects: built.objects.map((object) => ({ id: object.id, name: object.name, mesh_path: ObjectMeshPath(object.id), color: object.color })),
            frames,
        };
        await uploader.putAsync("transforms.json", StringifyTransforms(transforms));
        return { scene: config.scene, files: uploader.files, bytes: uploader.bytes, checks: [...checks, ...checker.results(), ...coverage.results()], seconds: (performance.now() - started) / 1000 };
    } finally {
        renderer?.dispose();
        built.scene.dispose();
    }
}

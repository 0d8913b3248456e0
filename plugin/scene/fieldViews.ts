import type { Camera } from "@babylonjs/core/Cameras/camera";
import { Matrix, Vector3 } from "@babylonjs/core/Maths/math.vector";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode";
import type { CameraIntrinsics } from "../core/capture/captureTypes";
import type { FieldView } from "../core/nerf/gpuFieldRenderer";
import type { SplatView } from "../core/splats/splatView";
import { BabylonToCaptureCameraMatrix } from "../core/math/poseConversion";
import { SceneHandedness } from "./captureCamera";

/**
 * Pinhole intrinsics of a Babylon camera rendered at `width` x `height`, read from its projection
 * matrix (so frozen custom projections, e.g. capture cameras with an off-centre principal point,
 * are exact).
 * @param camera the camera
 * @param width image width, pixels
 * @param height image height, pixels
 * @returns the intrinsics
 */
export function IntrinsicsFromCamera(camera: Camera, width: number, height: number): CameraIntrinsics {
    const m = camera.getProjectionMatrix().m;
    const sign = camera.getScene().useRightHandedSystem ? -1 : 1;
    const fx = (m[0] * width) / 2;
    const fy = (m[5] * height) / 2;
    const cx = ((sign * m[8] + 1) * width) / 2;
    const cy = ((1 - sign * m[9]) * height) / 2;
    return { fx, fy, cx, cy, width, height };
}

/**
 * A Babylon camera as a view of a field held by `node`: the camera's pose in the field's capture
 * coordinates (through the node's world transform and the scene's handedness) and its intrinsics.
 * @param node the node holding the field (NerfNode)
 * @param camera the camera
 * @param width image width, pixels
 * @param height image height, pixels
 * @returns the view for GpuFieldRenderer / RenderViewCpu
 */
export function FieldViewFromCamera(node: TransformNode, camera: Camera, width: number, height: number): FieldView {
    const scene = node.getScene();
    camera.getViewMatrix(true);
    const cameraWorld = camera.getWorldMatrix();
    const nodeInverse = Matrix.Invert(node.computeWorldMatrix(true));
    const cameraInNode = cameraWorld.multiply(nodeInverse);
    return {
        cameraToWorld: BabylonToCaptureCameraMatrix(cameraInNode.m, SceneHandedness(scene)),
        intrinsics: IntrinsicsFromCamera(camera, width, height),
    };
}

/**
 * A Babylon camera as a view of splats held by `mesh` (a GaussianSplattingMesh, in its file's
 * coordinates): the camera's pose in those coordinates through the mesh's world transform (its
 * rotation, mirror and scale; the axes are normalised, so a uniform scale keeps depths in file
 * units) and its intrinsics. What the splat rasterizer draws with it lines up with what Babylon
 * draws of the mesh from the camera.
 * @param mesh the splat mesh
 * @param camera the camera
 * @param width image width, pixels
 * @param height image height, pixels
 * @returns the view, in the file's coordinates
 */
export function SplatViewFromCamera(mesh: TransformNode, camera: Camera, width: number, height: number): SplatView {
    const world = mesh.computeWorldMatrix(true);
    const toCamera = world.multiply(camera.getViewMatrix(true)).m;
    // Babylon's camera space looks down +z (left-handed scenes) or -z (right-handed); the capture convention's camera looks down -z
    const zSign = camera.getScene().useRightHandedSystem ? 1 : -1;
    const axes = [0, 1, 2].map((j) => {
        const axis = [toCamera[j], toCamera[4 + j], toCamera[8 + j]].map((v) => v * (j === 2 ? zSign : 1));
        const length = Math.hypot(axis[0], axis[1], axis[2]);
        return axis.map((v) => v / length);
    });
    const position = Vector3.TransformCoordinates(camera.globalPosition, Matrix.Invert(world));
    const cameraToWorld = new Float64Array(16);
    for (let i = 0; i < 3; i++) {
        cameraToWorld.set([axes[0][i], axes[1][i], axes[2][i], position.asArray()[i]], i * 4);
    }
    cameraToWorld[15] = 1;
    return { cameraToWorld, intrinsics: IntrinsicsFromCamera(camera, width, height) };
}

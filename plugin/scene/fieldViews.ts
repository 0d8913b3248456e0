import type { Camera } from "@babylonjs/core/Cameras/camera";
import { Matrix } from "@babylonjs/core/Maths/math.vector";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode";
import type { CameraIntrinsics } from "../core/capture/captureTypes";
import type { FieldView } from "../core/nerf/gpuFieldRenderer";
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

import { Matrix, Quaternion, Vector3 } from "@babylonjs/core/Maths/math.vector";
import { TargetCamera } from "@babylonjs/core/Cameras/targetCamera";
import type { Scene } from "@babylonjs/core/scene";
import type { CameraIntrinsics } from "../core/capture/captureTypes";
import { CaptureToBabylonCameraMatrix, type Handedness } from "../core/math/poseConversion";

/** The handedness of a scene's world. */
export function SceneHandedness(scene: Scene): Handedness {
    return scene.useRightHandedSystem ? "right" : "left";
}

/**
 * A Babylon projection matrix reproducing pinhole intrinsics exactly (focal lengths and principal
 * point), for the scene's handedness and the engine's depth conventions.
 * @param scene the scene (handedness, engine depth range)
 * @param intrinsics pinhole intrinsics
 * @param near near plane
 * @param far far plane
 * @returns the projection matrix
 */
export function CaptureProjectionMatrix(scene: Scene, intrinsics: CameraIntrinsics, near: number, far: number): Matrix {
    const engine = scene.getEngine();
    const { fx, fy, cx, cy, width, height } = intrinsics;
    const fovY = 2 * Math.atan(height / (2 * fy));
    const projection = new Matrix();
    const halfZ = engine.isNDCHalfZRange;
    const reverse = engine.useReverseDepthBuffer;
    // As Babylon's own cameras: with a reverse depth buffer, near and far swap places.
    const [zNear, zFar] = reverse ? [far, near] : [near, far];
    if (scene.useRightHandedSystem) {
        Matrix.PerspectiveFovRHToRef(fovY, width / height, zNear, zFar, projection, true, halfZ, 0, reverse);
    } else {
        Matrix.PerspectiveFovLHToRef(fovY, width / height, zNear, zFar, projection, true, halfZ, 0, reverse);
    }
    // Clip w is +z (left-handed) or -z (right-handed); the principal-point terms ride on view z.
    const sign = scene.useRightHandedSystem ? -1 : 1;
    const m = projection.asArray() as Float32Array | number[];
    const values = Array.from(m);
    values[0] = (2 * fx) / width;
    values[5] = (2 * fy) / height;
    values[8] = sign * ((2 * cx) / width - 1);
    values[9] = sign * (1 - (2 * cy) / height);
    return Matrix.FromArray(values);
}

/**
 * Creates a Babylon camera that sees exactly what a capture frame's camera saw: pose converted to
 * the scene's handedness, projection from the intrinsics (principal point included, frozen).
 * @param scene the scene
 * @param name camera name
 * @param cameraToWorld capture layout, OpenGL convention
 * @param intrinsics the frame's intrinsics
 * @param near near plane (default 0.05)
 * @param far far plane (default 100)
 * @returns the camera (not made active)
 */
export function CreateCaptureCamera(scene: Scene, name: string, cameraToWorld: ArrayLike<number>, intrinsics: CameraIntrinsics, near = 0.05, far = 100): TargetCamera {
    const world = Matrix.FromArray(Array.from(CaptureToBabylonCameraMatrix(cameraToWorld, SceneHandedness(scene))));
    const scale = new Vector3();
    const rotation = new Quaternion();
    const position = new Vector3();
    world.decompose(scale, rotation, position);
    const camera = new TargetCamera(name, position, scene, false);
    camera.rotationQuaternion = rotation;
    camera.minZ = near;
    camera.maxZ = far;
    camera.fov = 2 * Math.atan(intrinsics.height / (2 * intrinsics.fy));
    camera.freezeProjectionMatrix(CaptureProjectionMatrix(scene, intrinsics, near, far));
    return camera;
}

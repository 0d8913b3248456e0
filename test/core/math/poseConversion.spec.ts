import { NullEngine } from "@babylonjs/core/Engines/nullEngine";
import { Scene } from "@babylonjs/core/scene";
import { Matrix, Vector3 } from "@babylonjs/core/Maths/math.vector";
import { Viewport } from "@babylonjs/core/Maths/math.viewport";
import { CreateCaptureCamera } from "@plugin/scene/captureCamera";
import type { CameraIntrinsics } from "@plugin/core/capture/captureTypes";
import { ProjectPoint } from "@plugin/core/math/cameraProjection";
import { BabylonToCaptureCameraMatrix, CaptureToBabylonCameraMatrix, CaptureToBabylonPoint, type Handedness } from "@plugin/core/math/poseConversion";
import { SeededRandom } from "@test/helpers/random";
import { FixturePoseFlat } from "@test/helpers/captureFixtures";

describe("capture (OpenGL) poses in Babylon's world", () => {
    const intrinsics: CameraIntrinsics = { fx: 120, fy: 110, cx: 70, cy: 44, width: 128, height: 96 };

    for (const handedness of ["left", "right"] as Handedness[]) {
        it(`a Babylon camera made from a capture frame projects points like the capture camera (${handedness}-handed scene)`, () => {
            const engine = new NullEngine();
            const scene = new Scene(engine);
            scene.useRightHandedSystem = handedness === "right";
            const random = SeededRandom(handedness === "left" ? 1 : 2);
            for (const poseIndex of [0, 1, 2, 3]) {
                const pose = FixturePoseFlat(poseIndex);
                const camera = CreateCaptureCamera(scene, `cam${poseIndex}`, pose, intrinsics);
                camera.computeWorldMatrix();
                const transform = camera.getViewMatrix().multiply(camera.getProjectionMatrix(true));
                for (let n = 0; n < 20; n++) {
                    const p = [random() - 0.5, random() - 0.5, random() - 0.5];
                    const expected = ProjectPoint(pose, intrinsics, p);
                    const screen = Vector3.Project(Vector3.FromArray(CaptureToBabylonPoint(p, handedness)), Matrix.Identity(), transform, new Viewport(0, 0, intrinsics.width, intrinsics.height));
                    expect(Math.abs(screen.x - expected.u)).withContext(`pose ${poseIndex} u`).toBeLessThan(1e-3);
                    expect(Math.abs(screen.y - expected.v)).withContext(`pose ${poseIndex} v`).toBeLessThan(1e-3);
                }
                // the camera's forward (getDirection of local +z in LH, -z in RH) is the capture's -z axis
                const forward = camera.getDirection(new Vector3(0, 0, handedness === "left" ? 1 : -1));
                const expectedForward = CaptureToBabylonPoint([-pose[2], -pose[6], -pose[10]], handedness);
                expect(Vector3.Distance(forward, Vector3.FromArray(expectedForward))).toBeLessThan(1e-6);
            }
            scene.dispose();
            engine.dispose();
        });

        it(`converts camera matrices both ways without loss (${handedness}-handed)`, () => {
            const pose = FixturePoseFlat(3);
            const back = BabylonToCaptureCameraMatrix(CaptureToBabylonCameraMatrix(pose, handedness), handedness);
            back.forEach((v, i) => expect(v).toBeCloseTo(pose[i], 12));
        });
    }

    it("mirrors z in a left-handed world and keeps axes in a right-handed one", () => {
        expect(CaptureToBabylonPoint([1, 2, 3], "left")).toEqual([1, 2, -3]);
        expect(CaptureToBabylonPoint([1, 2, 3], "right")).toEqual([1, 2, 3]);
    });
});

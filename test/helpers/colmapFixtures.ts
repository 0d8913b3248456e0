import type { CameraIntrinsics } from "@plugin/core/capture/captureTypes";
import { FixturePoseFlat } from "./captureFixtures";

/** A camera as a test writes it into a COLMAP model. */
export interface ColmapFixtureCamera {
    readonly id: number;
    readonly model: string;
    /** Model id in cameras.bin (COLMAP's enumeration). */
    readonly modelId: number;
    readonly width: number;
    readonly height: number;
    readonly parameters: number[];
}

/** An image as a test writes it: fixture pose `pose`, observed point ids. */
export interface ColmapFixtureImage {
    readonly id: number;
    readonly pose: number;
    readonly cameraId: number;
    readonly name: string;
    readonly pointIds: number[];
}

/** A whole sparse model for a test. */
export interface ColmapFixtureModel {
    readonly cameras: ColmapFixtureCamera[];
    readonly images: ColmapFixtureImage[];
    readonly points: { id: number; xyz: [number, number, number] }[];
}

/** PINHOLE camera parameters of intrinsics k. */
export function PinholeCamera(id: number, k: CameraIntrinsics): ColmapFixtureCamera {
    return { id, model: "PINHOLE", modelId: 1, width: k.width, height: k.height, parameters: [k.fx, k.fy, k.cx, k.cy] };
}

/**
 * COLMAP's world-to-camera quaternion (w, x, y, z) and translation of fixture pose i (written
 * independently of the loader: OpenGL camera-to-world -> OpenCV axes -> inverse -> quaternion).
 */
export function ColmapPoseOf(i: number): { q: [number, number, number, number]; t: [number, number, number] } {
    return ColmapPoseFromCameraToWorld(FixturePoseFlat(i));
}

/**
 * COLMAP's world-to-camera quaternion (w, x, y, z) and translation of an OpenGL camera-to-world.
 * @param m camera-to-world, row-major 4x4
 * @returns COLMAP's pose
 */
export function ColmapPoseFromCameraToWorld(m: ArrayLike<number>): { q: [number, number, number, number]; t: [number, number, number] } {
    // camera-to-world rotation with OpenCV axes (y and z columns flipped)
    const c2w = [0, 1, 2].map((r) => [m[r * 4], -m[r * 4 + 1], -m[r * 4 + 2]]);
    const r = [0, 1, 2].map((row) => [0, 1, 2].map((column) => c2w[column][row]));
    const centre = [m[3], m[7], m[11]];
    const t = [0, 1, 2].map((row) => -(r[row][0] * centre[0] + r[row][1] * centre[1] + r[row][2] * centre[2])) as [number, number, number];
    const trace = r[0][0] + r[1][1] + r[2][2];
    let q: [number, number, number, number];
    if (trace > 0) {
        const s = 2 * Math.sqrt(1 + trace);
        q = [s / 4, (r[2][1] - r[1][2]) / s, (r[0][2] - r[2][0]) / s, (r[1][0] - r[0][1]) / s];
    } else if (r[0][0] > r[1][1] && r[0][0] > r[2][2]) {
        const s = 2 * Math.sqrt(1 + r[0][0] - r[1][1] - r[2][2]);
        q = [(r[2][1] - r[1][2]) / s, s / 4, (r[0][1] + r[1][0]) / s, (r[0][2] + r[2][0]) / s];
    } else if (r[1][1] > r[2][2]) {
        const s = 2 * Math.sqrt(1 + r[1][1] - r[0][0] - r[2][2]);
        q = [(r[0][2] - r[2][0]) / s, (r[0][1] + r[1][0]) / s, s / 4, (r[1][2] + r[2][1]) / s];
    } else {
        const s = 2 * Math.sqrt(1 + r[2][2] - r[0][0] - r[1][1]);
        q = [(r[1][0] - r[0][1]) / s, (r[0][2] + r[2][0]) / s, (r[1][2] + r[2][1]) / s, s / 4];
    }
    return { q, t };
}

/** cameras.txt, images.txt and points3D.txt of a model, as COLMAP writes them. */
export function ColmapText(model: ColmapFixtureModel): { cameras: string; images: string; points: string } {
    const cameras = ["# Camera list with one line of data per camera:", ...model.cameras.map((c) => [c.id, c.model, c.width, c.height, ...c.parameters].join(" "))].join("\n");
    const images = ["# Image list with two lines of data per image:"];
    for (const image of model.images) {
        const { q, t } = ColmapPoseOf(image.pose);
        images.push([image.id, ...q, ...t, image.cameraId, image.name].join(" "));
        images.push(image.pointIds.map((id, k) => `${10 + k} ${20 + k} ${id}`).join(" "));
    }
    const points = ["# 3D point list", ...model.points.map((p) => [p.id, ...p.xyz, 200, 200, 200, 0.5, 1, 0].join(" "))].join("\n");
    return { cameras: `${cameras}\n`, images: `${images.join("\n")}\n`, points: `${points}\n` };
}

/** cameras.bin, images.bin and points3D.bin of a model (little-endian, COLMAP's layout). */
export function ColmapBinary(model: ColmapFixtureModel): { cameras: Uint8Array<ArrayBuffer>; images: Uint8Array<ArrayBuffer>; points: Uint8Array<ArrayBuffer> } {
    const writer = (): { bytes: number[]; u8: (v: number) => void; u32: (v: number) => void; i32: (v: number) => void; u64: (v: number) => void; i64: (v: number) => void; f64: (v: number) => void; text: (s: string) => void; done: () => Uint8Array<ArrayBuffer> } => {
        const bytes: number[] = [];
        const push = (size: number, write: (view: DataView) => void): void => {
            const view = new DataView(new ArrayBuffer(size));
            write(view);
            bytes.push(...new Uint8Array(view.buffer));
        };
        return {
            bytes,
            u8: (v) => bytes.push(v),
            u32: (v) => push(4, (d) => d.setUint32(0, v, true)),
            i32: (v) => push(4, (d) => d.setInt32(0, v, true)),
            u64: (v) => push(8, (d) => d.setBigUint64(0, BigInt(v), true)),
            i64: (v) => push(8, (d) => d.setBigInt64(0, BigInt(v), true)),
            f64: (v) => push(8, (d) => d.setFloat64(0, v, true)),
            text: (s) => bytes.push(...new TextEncoder().encode(s), 0),
            done: () => new Uint8Array(bytes),
        };
    };
    const cameras = writer();
    cameras.u64(model.cameras.length);
    for (const c of model.cameras) {
        cameras.u32(c.id);
        cameras.i32(c.modelId);
        cameras.u64(c.width);
        cameras.u64(c.height);
        c.parameters.forEach(cameras.f64);
    }
    const images = writer();
    images.u64(model.images.length);
    for (const image of model.images) {
        const { q, t } = ColmapPoseOf(image.pose);
        images.u32(image.id);
        [...q, ...t].forEach(images.f64);
        images.u32(image.cameraId);
        images.text(image.name);
        images.u64(image.pointIds.length + 1);
        for (const id of [...image.pointIds, -1]) {
            images.f64(10);
            images.f64(20);
            images.i64(id);
        }
    }
    const points = writer();
    points.u64(model.points.length);
    for (const p of model.points) {
        points.u64(p.id);
        p.xyz.forEach(points.f64);
        [200, 200, 200].forEach(points.u8);
        points.f64(0.5);
        points.u64(1);
        points.i32(1);
        points.i32(0);
    }
    return { cameras: cameras.done(), images: images.done(), points: points.done() };
}

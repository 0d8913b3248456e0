import { CaptureError } from "./captureError";
import type { CaptureManifest, ManifestFrame } from "./captureManifest";
import type { CaptureSource } from "./captureSource";
import { ParseNpy } from "./npy";
import { CheckRigid } from "./poseValidation";

const ImageExtension = /\.(png|jpe?g|webp|bmp)$/i;

/** Image folders of an LLFF capture with their downscale factors, largest first. */
const FactorFolders: readonly [string, number][] = [
    ["images_8", 8],
    ["images_4", 4],
    ["images_2", 2],
    ["images", 1],
];

/**
 * Parses an LLFF capture: poses_bounds.npy (N x 17 float64: a 3x5 [R | t | hwf] matrix per image,
 * row-major, with LLFF's [down, right, backwards] rotation columns, then near and far bounds) and
 * the sorted images of images/ or of the smallest images_<f>/ folder still at least `maxSide`.
 * @param source the capture
 * @param maxSide wanted longest image side (picks images_8 / images_4 when they suffice)
 * @returns the manifest
 */
export async function ParseLlffCaptureAsync(source: CaptureSource, maxSide?: number): Promise<CaptureManifest> {
    const path = "poses_bounds.npy";
    const array = ParseNpy(await source.readBytesAsync(path), path);
    if (array.shape.length !== 2 || array.shape[1] !== 17) {
        throw new CaptureError(path, `expected shape (N, 17), found (${array.shape.join(", ")})`);
    }
    const count = array.shape[0];
    if (count === 0) {
        throw new CaptureError(path, "lists zero poses");
    }
    const rootNames = (await source.listAsync("")) ?? [];
    const present = FactorFolders.filter(([folder]) => rootNames.includes(`${folder}/`));
    if (present.length === 0) {
        throw new CaptureError("images/", "no images/ (or images_2/, images_4/, images_8/) folder next to poses_bounds.npy, or the source cannot list folders");
    }
    const longest = Math.max(array.data[4], array.data[9]);
    // The most downscaled folder that still has `maxSide` pixels; without maxSide, the least downscaled.
    const chosen = maxSide === undefined ? present[present.length - 1] : (present.find(([, factor]) => longest / factor >= maxSide) ?? present[present.length - 1]);
    const [folder, factor] = chosen;
    const names = ((await source.listAsync(folder)) ?? []).filter((name) => ImageExtension.test(name)).sort();
    if (names.length !== count) {
        throw new CaptureError(`${folder}/`, `holds ${names.length} images but poses_bounds.npy has ${count} poses`);
    }
    let near = Infinity;
    let far = 0;
    const frames: ManifestFrame[] = names.map((name, i) => {
        const row = array.data.subarray(i * 17, i * 17 + 17);
        const where = `row ${i}`;
        if (row.some((v) => !Number.isFinite(v))) {
            throw new CaptureError(path, `${where} has a non-finite value`);
        }
        // 3x5 row-major: r(0..2) t h | r t w | r t f ; LLFF columns are [down, right, backwards].
        const at = (r: number, c: number): number => row[r * 5 + c];
        const m = new Float64Array(16);
        for (let r = 0; r < 3; r++) {
            m[r * 4 + 0] = at(r, 1); // right
            m[r * 4 + 1] = -at(r, 0); // up = -down
            m[r * 4 + 2] = at(r, 2); // backwards
            m[r * 4 + 3] = at(r, 3);
        }
        m[15] = 1;
        CheckRigid(m, path, where);
        const [height, width, focal] = [at(0, 4), at(1, 4), at(2, 4)];
        if (!(height > 0 && width > 0 && focal > 0)) {
            throw new CaptureError(path, `${where} has a non-positive height, width or focal (${height}, ${width}, ${focal})`);
        }
        near = Math.min(near, row[15]);
        far = Math.max(far, row[16]);
        return {
            imagePath: `${folder}/${name}`,
            cameraToWorld: m,
            camera: { fx: focal / factor, fy: focal / factor, cx: width / factor / 2, cy: height / factor / 2, width: width / factor, height: height / factor },
            origin: `${path} ${where}`,
        };
    });
    if (!(near > 0 && far > near)) {
        throw new CaptureError(path, `invalid near/far bounds (${near}, ${far})`);
    }
    return { format: "llff", manifestPath: path, frames, depthRange: [near, far], objects: [], depthScale: 1, alphaIsMask: false };
}

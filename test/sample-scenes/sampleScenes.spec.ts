import { LoadCaptureAsync } from "@plugin/core/capture/captureLoader";
import type { Capture, CaptureFrame } from "@plugin/core/capture/captureTypes";
import { UrlCaptureSource } from "@plugin/core/capture/urlCaptureSource";
import { PixelRay, ProjectPoint } from "@plugin/core/math/cameraProjection";
import { SplatRasterizer } from "@plugin/core/splats/splatRasterizer";
import { RenderLabelIds, SampleSceneSplatsAsync } from "@test/helpers/splatFixtures";

const captures = new Map<string, Promise<Capture>>();

function LoadSample(name: string): Promise<Capture> {
    if (!captures.has(name)) {
        captures.set(name, LoadCaptureAsync(new UrlCaptureSource(`/base/sample-scenes/captures/${name}/`, name)));
    }
    return captures.get(name)!;
}

/** Mean RGB (0..1) of the pixels labelled `id` whose 4 neighbours carry the same label (no edge blending). */
function MeanInteriorColour(frame: CaptureFrame, id: number): { colour: number[]; count: number } {
    const { width, height, data } = frame.image;
    const labels = frame.labels!;
    const sum = [0, 0, 0];
    let count = 0;
    for (let y = 1; y < height - 1; y++) {
        for (let x = 1; x < width - 1; x++) {
            const i = y * width + x;
            if (labels[i] === id && labels[i - 1] === id && labels[i + 1] === id && labels[i - width] === id && labels[i + width] === id) {
                for (let c = 0; c < 3; c++) {
                    sum[c] += data[i * 4 + c] / 255;
                }
                count++;
            }
        }
    }
    return { colour: sum.map((s) => s / Math.max(1, count)), count };
}

function Chromaticity(rgb: number[]): number[] {
    const total = rgb[0] + rgb[1] + rgb[2] + 1e-6;
    return rgb.map((v) => v / total);
}

for (const name of ["tabletop", "hard"]) {
    describe(`sample scene "${name}"`, () => {
        it("loads through the capture loader with labels, depth, objects and meshes", async () => {
            const capture = await LoadSample(name);
            expect(capture.format).toBe("nerfstudio");
            expect(capture.frames.length).toBe(48);
            expect(capture.frames[0].image.width).toBe(128);
            expect(capture.objects.length).toBeGreaterThanOrEqual(name === "tabletop" ? 5 : 4);
            expect(capture.objects.every((object) => object.meshPath?.endsWith(".glb"))).toBeTrue();
            expect(capture.frames.every((frame) => frame.labels && frame.depth)).toBeTrue();
            const ids = new Set<number>();
            capture.frames.forEach((frame) => frame.labels!.forEach((label) => ids.add(label)));
            expect([...ids].sort((a, b) => a - b)).toEqual([0, ...capture.objects.map((object) => object.id)]);
        });

        it("has a splat file of the scene with each splat's object label, rendering like its photos and its label images", async () => {
            const capture = await LoadSample(name);
            const { scene } = await SampleSceneSplatsAsync(name);
            expect(scene.cloud.count).toBeGreaterThan(5000);
            expect(new Set(scene.labels)).toEqual(new Set([0, ...capture.objects.map((object) => object.id)]));
            const rasterizer = new SplatRasterizer(null);
            for (const frame of [capture.frames[3], capture.frames[26]]) {
                const render = await rasterizer.renderAsync(scene.cloud, frame);
                const ids = await RenderLabelIds(scene, frame);
                let error = 0;
                let pixels = 0;
                let agree = 0;
                let labelled = 0;
                const { width, height, data } = frame.image;
                for (let y = 1; y < height - 1; y++) {
                    for (let x = 1; x < width - 1; x++) {
                        const p = y * width + x;
                        const labels = frame.labels!;
                        const interior = [p - 1, p + 1, p - width, p + width].every((q) => labels[q] === labels[p] && data[q * 4 + 3] === 255) && data[p * 4 + 3] === 255;
                        if (!interior) {
                            continue;
                        }
                        for (let c = 0; c < 3; c++) {
                            error += (render.color[p * 3 + c] - data[p * 4 + c] / 255) ** 2;
                        }
                        pixels++;
                        agree += ids[p] === labels[p] ? 1 : 0;
                        labelled++;
                    }
                }
                const psnr = -10 * Math.log10(error / (pixels * 3));
                expect(psnr).withContext(`frame ${frame.index} PSNR`).toBeGreaterThan(22);
                expect(agree / labelled).withContext(`frame ${frame.index} labels`).toBeGreaterThan(0.95);
            }
        });

        it("has labels that line up with the colours of its images", async () => {
            const capture = await LoadSample(name);
            const response = await fetch(`/base/sample-scenes/captures/${name}/transforms.json`);
            const declared = new Map<number, number[]>(((await response.json()).objects as { id: number; color: number[] }[]).map((o) => [o.id, o.color]));
            let checked = 0;
            for (const frame of capture.frames.filter((_, i) => i % 6 === 0)) {
                for (const [id, colour] of declared) {
                    const { colour: seen, count } = MeanInteriorColour(frame, id);
                    if (count < 20) {
                        continue;
                    }
                    const a = Chromaticity(seen);
                    const b = Chromaticity(colour);
                    expect(Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2])).withContext(`frame ${frame.index} object ${id}`).toBeLessThan(0.08);
                    checked++;
                }
            }
            expect(checked).toBeGreaterThan(10);
        });

        it("has depth and poses that carry a labelled pixel to the same object in other views", async () => {
            const capture = await LoadSample(name);
            let agree = 0;
            let visible = 0;
            for (const a of [0, 13, 29]) {
                const frameA = capture.frames[a];
                const { width } = frameA.image;
                for (let i = 0; i < frameA.labels!.length; i += 7) {
                    const id = frameA.labels![i];
                    const depthA = frameA.depth![i];
                    if (id === 0 || depthA <= 0) {
                        continue;
                    }
                    const { origin, direction } = PixelRay(frameA.cameraToWorld, frameA.intrinsics, (i % width) + 0.5, Math.floor(i / width) + 0.5);
                    // depth is along the viewing axis; the ray's length to that plane is depth / cos
                    const m = frameA.cameraToWorld;
                    const cos = -(direction[0] * m[2] + direction[1] * m[6] + direction[2] * m[10]);
                    const point = [0, 1, 2].map((k) => origin[k] + (direction[k] * depthA) / cos);
                    for (const frameB of [capture.frames[(a + 5) % 48], capture.frames[(a + 17) % 48]]) {
                        const { u, v, depth } = ProjectPoint(frameB.cameraToWorld, frameB.intrinsics, point);
                        if (depth <= 0 || u < 0 || v < 0 || u >= frameB.image.width || v >= frameB.image.height) {
                            continue;
                        }
                        const j = Math.floor(v) * frameB.image.width + Math.floor(u);
                        if (Math.abs(frameB.depth![j] - depth) > 0.01) {
                            continue; // occluded in B
                        }
                        visible++;
                        agree += frameB.labels![j] === id ? 1 : 0;
                    }
                }
            }
            expect(visible).toBeGreaterThan(300);
            expect(agree / visible).withContext(`${agree} of ${visible} reprojected pixels agree`).toBeGreaterThan(0.97);
        });
    });
}

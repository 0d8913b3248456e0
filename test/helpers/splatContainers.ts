import { zipSync } from "fflate";
import { ReadSplat, ShC0 } from "@plugin/core/splats/splatCloud";
import type { SplatCloud } from "@plugin/core/splats/splatCloud";

/** What to put in a test glTF besides the splats. */
export interface GltfSplatOptions {
    /** Write `.gltf` JSON with the buffer as a data URI instead of a GLB. */
    readonly json?: boolean;
    /** Put the splat mesh under a node with this translation. */
    readonly translation?: [number, number, number];
    /** How many splat primitives to write (the same splats each time). */
    readonly primitives?: number;
    /** Leave the extension off (a plain point cloud). */
    readonly plain?: boolean;
    /** The buffer as an external file of this name. */
    readonly externalBuffer?: string;
    /** Extensions to list as required besides KHR_gaussian_splatting. */
    readonly required?: readonly string[];
}

/**
 * Writes splats as a glTF with KHR_gaussian_splatting (float attributes: POSITION, ROTATION x y z w,
 * linear SCALE, linear OPACITY, SH_DEGREE_0_COEF_0 from the colour), as the extension's spec has them.
 * @param cloud the splats
 * @param options file layout
 * @returns the file
 */
export function WriteGltfSplats(cloud: SplatCloud, options: GltfSplatOptions = {}): Uint8Array {
    const n = cloud.count;
    const attributes: [string, number, Float32Array][] = [
        ["POSITION", 3, new Float32Array(n * 3)],
        ["KHR_gaussian_splatting:ROTATION", 4, new Float32Array(n * 4)],
        ["KHR_gaussian_splatting:SCALE", 3, new Float32Array(n * 3)],
        ["KHR_gaussian_splatting:OPACITY", 1, new Float32Array(n)],
        ["KHR_gaussian_splatting:SH_DEGREE_0_COEF_0", 3, new Float32Array(n * 3)],
    ];
    for (let i = 0; i < n; i++) {
        const splat = ReadSplat(cloud, i);
        const [w, x, y, z] = splat.rotation;
        attributes[0][2].set(splat.position, i * 3);
        attributes[1][2].set([x, y, z, w], i * 4);
        attributes[2][2].set(splat.scale, i * 3);
        attributes[3][2][i] = splat.opacity;
        attributes[4][2].set(splat.color.map((c) => (c - 0.5) / ShC0), i * 3);
    }
    const bin = new Uint8Array(attributes.reduce((sum, [, , data]) => sum + data.byteLength, 0));
    let offset = 0;
    const bufferViews = attributes.map(([, , data]) => {
        bin.set(new Uint8Array(data.buffer), offset);
        const view = { buffer: 0, byteOffset: offset, byteLength: data.byteLength };
        offset += data.byteLength;
        return view;
    });
    const min = [0, 1, 2].map((a) => Math.min(...Array.from(attributes[0][2].filter((_, k) => k % 3 === a))));
    const max = [0, 1, 2].map((a) => Math.max(...Array.from(attributes[0][2].filter((_, k) => k % 3 === a))));
    const accessors = attributes.map(([, size], index) => ({ bufferView: index, componentType: 5126, count: n, type: size === 1 ? "SCALAR" : `VEC${size}`, ...(index === 0 ? { min, max } : {}) }));
    const primitive = {
        mode: 0,
        attributes: Object.fromEntries(attributes.map(([name], index) => [name, index])),
        ...(options.plain ? {} : { extensions: { KHR_gaussian_splatting: { kernel: "ellipse", colorSpace: "srgb_rec709_display" } } }),
    };
    const base64 = (): string => btoa(Array.from(bin, (b) => String.fromCharCode(b)).join(""));
    const json = {
        asset: { version: "2.0", generator: "sanerf-hq tests" },
        ...(options.plain ? {} : { extensionsUsed: ["KHR_gaussian_splatting", ...(options.required ?? [])] }),
        ...(options.required ? { extensionsRequired: options.required } : {}),
        scene: 0,
        scenes: [{ nodes: [0] }],
        nodes: [{ mesh: 0, ...(options.translation ? { translation: options.translation } : {}) }],
        meshes: [{ primitives: Array.from({ length: options.primitives ?? 1 }, () => primitive) }],
        buffers: [{ byteLength: bin.length, ...(options.externalBuffer ? { uri: options.externalBuffer } : options.json ? { uri: `data:application/octet-stream;base64,${base64()}` } : {}) }],
        bufferViews,
        accessors,
    };
    const text = new TextEncoder().encode(JSON.stringify(json));
    if (options.json || options.externalBuffer) {
        return text;
    }
    const pad = (length: number): number => (length + 3) & ~3;
    const jsonLength = pad(text.length);
    const binLength = pad(bin.length);
    const glb = new Uint8Array(12 + 8 + jsonLength + 8 + binLength);
    const view = new DataView(glb.buffer);
    view.setUint32(0, 0x46546c67, true);
    view.setUint32(4, 2, true);
    view.setUint32(8, glb.length, true);
    view.setUint32(12, jsonLength, true);
    view.setUint32(16, 0x4e4f534a, true);
    glb.fill(0x20, 20, 20 + jsonLength);
    glb.set(text, 20);
    view.setUint32(20 + jsonLength, binLength, true);
    view.setUint32(24 + jsonLength, 0x004e4942, true);
    glb.set(bin, 28 + jsonLength);
    return glb;
}

/**
 * Writes splats as a SOG bundle (version 1 layout: 16-bit log-encoded means split over two images,
 * scales, SH DC and opacity quantised between per-channel bounds, smallest-three quaternions), each
 * image a lossless WebP from the browser's encoder (Chromium encodes quality 1 losslessly).
 * @param cloud the splats
 * @param drop leave these files out of the zip (to test broken bundles)
 * @returns the `.sog` file
 */
export async function WriteSogAsync(cloud: SplatCloud, drop: readonly string[] = []): Promise<Uint8Array> {
    const n = cloud.count;
    const width = Math.ceil(Math.sqrt(n));
    const height = Math.ceil(n / width);
    const image = (): Uint8ClampedArray => new Uint8ClampedArray(width * height * 4).fill(255);
    const [meansL, meansU, scales, quats, sh0] = [image(), image(), image(), image(), image()];
    const splats = Array.from({ length: n }, (_, i) => ReadSplat(cloud, i));
    const log = (v: number): number => Math.sign(v) * Math.log(Math.abs(v) + 1);
    const bounds = (values: (i: number, c: number) => number, channels: number): { mins: number[]; maxs: number[] } => {
        const mins = Array.from({ length: channels }, (_, c) => Math.min(...splats.map((_, i) => values(i, c))));
        const maxs = Array.from({ length: channels }, (_, c) => Math.max(...splats.map((_, i) => values(i, c))));
        return { mins, maxs: maxs.map((max, c) => (max > mins[c] ? max : mins[c] + 1)) };
    };
    const means = bounds((i, c) => log(splats[i].position[c]), 3);
    const logScales = bounds((i, c) => Math.log(splats[i].scale[c]), 3);
    const colour = bounds((i, c) => (c < 3 ? (splats[i].color[c] - 0.5) / ShC0 : Math.log(Math.max(1e-6, splats[i].opacity) / Math.max(1e-6, 1 - splats[i].opacity))), 4);
    const quantise = (v: number, min: number, max: number, levels: number): number => Math.round(((v - min) / (max - min)) * levels);
    for (let i = 0; i < n; i++) {
        for (let c = 0; c < 3; c++) {
            const q = quantise(log(splats[i].position[c]), means.mins[c], means.maxs[c], 65535);
            meansL[i * 4 + c] = q & 255;
            meansU[i * 4 + c] = q >> 8;
            scales[i * 4 + c] = quantise(Math.log(splats[i].scale[c]), logScales.mins[c], logScales.maxs[c], 255);
        }
        for (let c = 0; c < 4; c++) {
            const v = c < 3 ? (splats[i].color[c] - 0.5) / ShC0 : Math.log(Math.max(1e-6, splats[i].opacity) / Math.max(1e-6, 1 - splats[i].opacity));
            sh0[i * 4 + c] = quantise(v, colour.mins[c], colour.maxs[c], 255);
        }
        // smallest three of (w, x, y, z), the largest left out and made positive
        const q = [...splats[i].rotation];
        const largest = q.reduce((best, v, k) => (Math.abs(v) > Math.abs(q[best]) ? k : best), 0);
        const sign = q[largest] < 0 ? -1 : 1;
        const rest = q.filter((_, k) => k !== largest).map((v) => v * sign);
        rest.forEach((v, k) => (quats[i * 4 + k] = Math.round(((v * Math.SQRT2) / 2 + 0.5) * 255)));
        quats[i * 4 + 3] = 252 + largest;
    }
    const webp = async (pixels: Uint8ClampedArray): Promise<Uint8Array> => {
        const canvas = new OffscreenCanvas(width, height);
        canvas.getContext("2d")!.putImageData(new ImageData(pixels as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0);
        return new Uint8Array(await (await canvas.convertToBlob({ type: "image/webp", quality: 1 })).arrayBuffer());
    };
    const meta = {
        version: 1,
        count: n,
        means: { shape: [n, 3], dtype: "float32", mins: means.mins, maxs: means.maxs, files: ["means_l.webp", "means_u.webp"] },
        scales: { shape: [n, 3], dtype: "float32", mins: logScales.mins, maxs: logScales.maxs, files: ["scales.webp"] },
        quats: { shape: [n, 4], dtype: "uint8", encoding: "quaternion_packed", files: ["quats.webp"] },
        sh0: { shape: [n, 1, 4], dtype: "float32", mins: colour.mins, maxs: colour.maxs, files: ["sh0.webp"] },
    };
    const files: Record<string, Uint8Array> = {
        "meta.json": new TextEncoder().encode(JSON.stringify(meta)),
        "means_l.webp": await webp(meansL),
        "means_u.webp": await webp(meansU),
        "scales.webp": await webp(scales),
        "quats.webp": await webp(quats),
        "sh0.webp": await webp(sh0),
    };
    for (const name of drop) {
        delete files[name];
    }
    return zipSync(files, { level: 0 });
}

import { GaussianSplattingMesh } from "@babylonjs/core/Meshes/GaussianSplatting/gaussianSplattingMesh";
import { ParseSpz } from "@babylonjs/loaders/SPLAT/spz";
import { WritePlyHeader } from "@plugin/core/splats/plyHeader";
import { ReadSplat, SplatRowBytes } from "@plugin/core/splats/splatCloud";
import type { SplatCloud } from "@plugin/core/splats/splatCloud";
import { ReadSplatFileAsync } from "@plugin/core/splats/splatFile";
import { WriteCloudAsPly, WriteSplatsAsPly } from "@plugin/core/splats/splatPlyWriter";
import { DecodeSpzAsync, EncodeSpzAsync } from "@plugin/core/splats/spzCodec";
import { RandomSplatCloud, SplatDifferences } from "@test/helpers/splatFixtures";

/** A standard 3DGS PLY with SH degree 1 and an extra property, written by hand. */
function PlyWithShAndExtra(count: number): Uint8Array {
    const names = ["x", "y", "z", "f_dc_0", "f_dc_1", "f_dc_2", ...Array.from({ length: 9 }, (_, k) => `f_rest_${k}`), "opacity", "scale_0", "scale_1", "scale_2", "rot_0", "rot_1", "rot_2", "rot_3"];
    const properties = [...names.map((name, k) => ({ name, type: "float", size: 4, offset: k * 4 })), { name: "segment_id", type: "uchar", size: 1, offset: names.length * 4 }];
    const header = WritePlyHeader([{ name: "vertex", count, properties }], ["comment test file"]);
    const stride = names.length * 4 + 1;
    const bytes = new Uint8Array(header.length + count * stride);
    bytes.set(header);
    const view = new DataView(bytes.buffer, header.length);
    for (let i = 0; i < count; i++) {
        names.forEach((_, k) => view.setFloat32(i * stride + k * 4, Math.sin(i * 7 + k) * (k >= 17 ? 1 : 0.5), true));
        view.setUint8(i * stride + names.length * 4, i % 256);
    }
    return bytes;
}

describe("Splat files", () => {
    it("reads back a PLY it wrote (positions exact, the rest to the rows' byte precision)", async () => {
        const cloud = RandomSplatCloud(200, 3);
        const file = await ReadSplatFileAsync(WriteCloudAsPly(cloud), "cloud.ply");
        expect(file.format).toBe("ply");
        expect(file.cloud.count).toBe(200);
        const d = SplatDifferences(cloud, file.cloud);
        expect(d.position).toBe(0);
        expect(d.scaleRatio).toBeLessThan(1e-6);
        expect(d.color).toBeLessThanOrEqual(1 / 255 + 1e-9);
        expect(d.opacity).toBeLessThanOrEqual(1 / 255 + 1e-9);
        expect(d.rotationDot).toBeGreaterThan(0.999);
    });

    it("decodes PLY rows as Babylon's own converter does", async () => {
        const bytes = PlyWithShAndExtra(64);
        const ours = await ReadSplatFileAsync(bytes, "sh1.ply");
        expect(ours.cloud.shDegree).toBe(1);
        const babylon: SplatCloud = { name: "babylon", count: 64, rows: await GaussianSplattingMesh.ConvertPLYToSplatAsync(bytes.slice().buffer), shDegree: 1 };
        const d = SplatDifferences(ours.cloud, babylon);
        expect(d.position).toBe(0);
        expect(d.scaleRatio).toBeLessThan(1e-6);
        expect(d.color).toBeLessThanOrEqual(1 / 255 + 1e-9);
        expect(d.rotationDot).toBeGreaterThan(0.999);
    });

    it("writes an object's splats from a PLY with their records unchanged (SH, extra properties)", async () => {
        const bytes = PlyWithShAndExtra(50);
        const file = await ReadSplatFileAsync(bytes, "source.ply");
        const keep = Array.from({ length: 50 }, (_, i) => i % 3 === 0);
        const written = WriteSplatsAsPly(file, keep);
        const back = await ReadSplatFileAsync(written, "object-1.ply");
        expect(back.cloud.count).toBe(17);
        const stride = file.ply!.header.elements[0].stride;
        expect(stride).toBe(23 * 4 + 1);
        const source = bytes.subarray(file.ply!.header.headerBytes);
        const records = written.subarray(back.ply!.header.headerBytes);
        keep.map((k, i) => (k ? i : -1)).filter((i) => i >= 0).forEach((i, row) => {
            expect(records.subarray(row * stride, (row + 1) * stride)).toEqual(source.subarray(i * stride, (i + 1) * stride));
        });
        expect(back.ply!.header.otherLines).toContain("comment test file");
    });

    it("round-trips SPZ within its quantisation, and reads as Babylon's SPZ parser does", async () => {
        const cloud = RandomSplatCloud(300, 5);
        const spz = await EncodeSpzAsync(cloud);
        const file = await ReadSplatFileAsync(spz, "cloud.spz");
        expect(file.format).toBe("spz");
        const d = SplatDifferences(cloud, file.cloud);
        expect(d.position).toBeLessThan(1 / 4096);
        expect(d.scaleRatio).toBeLessThan(1 / 32 + 1e-6);
        expect(d.opacity).toBeLessThanOrEqual(1 / 255 + 1e-9);
        expect(d.color).toBeLessThan(0.02);
        expect(d.rotationDot).toBeGreaterThan(0.99);
        const inflated = await new Response(new Blob([spz as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
        const parsed = await ParseSpz(inflated, null as never, {});
        const babylon: SplatCloud = { name: "babylon", count: 300, rows: parsed.data, shDegree: 0 };
        const b = SplatDifferences(file.cloud, babylon);
        expect(b.position).toBeLessThan(1e-6);
        expect(b.color).toBeLessThanOrEqual(1 / 255 + 1e-9);
        expect(b.rotationDot).toBeGreaterThan(0.999);
    });

    it("decodes SPZ version 3 rotations (smallest three) as Babylon does", async () => {
        const quaternion = [0.3, -0.5, 0.1, 0.8]; // x, y, z, w
        const length = Math.hypot(...quaternion);
        const q = quaternion.map((v) => v / length);
        const largest = q.reduce((best, v, k) => (Math.abs(v) > Math.abs(q[best]) ? k : best), 0);
        const sign = q[largest] < 0 ? -1 : 1;
        let word = largest;
        for (let k = 0; k < 4; k++) {
            if (k !== largest) {
                const v = q[k] * sign;
                word = (word << 10) | ((v < 0 ? 1 : 0) << 9) | Math.round((Math.abs(v) / Math.SQRT1_2) * 511);
            }
        }
        const data = new Uint8Array(16 + 9 + 1 + 3 + 3 + 4);
        const view = new DataView(data.buffer);
        view.setUint32(0, 0x5053474e, true);
        view.setUint32(4, 3, true);
        view.setUint32(8, 1, true);
        data[13] = 12;
        data.set([255, 128, 128, 128, 160, 160, 160], 25);
        view.setUint32(32, word >>> 0, true);
        const gz = new Uint8Array(await new Response(new Blob([data]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer());
        const ours = await DecodeSpzAsync(gz, "v3.spz");
        const r = ReadSplat(ours, 0).rotation;
        expect(Math.abs(r[0] * q[3] + r[1] * q[0] + r[2] * q[1] + r[3] * q[2])).toBeGreaterThan(0.999);
        const parsed = await ParseSpz(data.buffer, null as never, {});
        const d = SplatDifferences(ours, { name: "b", count: 1, rows: parsed.data, shDegree: 0 });
        expect(d.rotationDot).toBeGreaterThan(0.999);
    });

    it("turns splats 180 degrees about x into SPZ's axes when asked", async () => {
        const cloud = RandomSplatCloud(20, 9);
        const flipped = await DecodeSpzAsync(await EncodeSpzAsync(cloud, { flipYZ: true }), "f.spz");
        for (let i = 0; i < 20; i++) {
            const a = ReadSplat(cloud, i);
            const b = ReadSplat(flipped, i);
            expect(b.position[0]).toBeCloseTo(a.position[0], 3);
            expect(b.position[1]).toBeCloseTo(-a.position[1], 3);
            expect(b.position[2]).toBeCloseTo(-a.position[2], 3);
        }
    });

    it("reads .splat rows as they are", async () => {
        const cloud = RandomSplatCloud(10, 1);
        const file = await ReadSplatFileAsync(new Uint8Array(cloud.rows), "a.splat");
        expect(new Uint8Array(file.cloud.rows)).toEqual(new Uint8Array(cloud.rows));
    });

    it("names what is wrong with bad files", async () => {
        const good = WriteCloudAsPly(RandomSplatCloud(4, 2));
        const header = new TextDecoder().decode(good.subarray(0, 400)).split("end_header\n")[0] + "end_header\n";
        const cases: [Uint8Array, string, RegExp][] = [
            [new Uint8Array(0), "empty.ply", /empty\.ply: the file is empty/],
            [new TextEncoder().encode("hello world"), "x.bin", /not a splat file/],
            [good.subarray(0, good.length - 10), "cut.ply", /cut\.ply: PLY body is truncated: .* for 4 splats/],
            [new TextEncoder().encode(header.replace("binary_little_endian", "ascii")), "ascii.ply", /format "ascii" is not supported/],
            [new TextEncoder().encode(header.replace("element vertex 4", "element vertex 0")), "zero.ply", /zero\.ply: the file holds zero splats/],
            [new TextEncoder().encode("ply\nformat binary_little_endian 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nend_header\n"), "points.ply", /point cloud, not Gaussian splats/],
            [new TextEncoder().encode("ply\nformat binary_little_endian 1.0\nelement vertex 2\n"), "open.ply", /no 'end_header'/],
            [new Uint8Array(33), "odd.splat", /odd\.splat: .* 33 bytes are not a multiple of 32/],
            [new Uint8Array([0x1f, 0x8b, 1, 2, 3]), "bad.spz", /bad\.spz: SPZ data is not a complete gzip stream/],
            [new Uint8Array([0x4e, 0x47, 0x53, 0x50, 4, 0, 0, 0]), "v4.spz", /SPZ version 4/],
        ];
        for (const [bytes, name, message] of cases) {
            await expectAsync(ReadSplatFileAsync(bytes, name)).withContext(name).toBeRejectedWithError(message);
        }
        const nan = RandomSplatCloud(3, 4);
        new Float32Array(nan.rows)[8 + 1] = Number.NaN;
        await expectAsync(ReadSplatFileAsync(new Uint8Array(nan.rows), "nan.splat")).toBeRejectedWithError(/nan\.splat: splat 1 has a non-finite position/);
        const gzip = async (data: Uint8Array): Promise<Uint8Array> => new Uint8Array(await new Response(new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer());
        const spz = new Uint8Array(await new Response(new Blob([(await EncodeSpzAsync(RandomSplatCloud(5, 1))) as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer());
        const wrongVersion = spz.slice();
        wrongVersion[4] = 7;
        await expectAsync(ReadSplatFileAsync(await gzip(wrongVersion), "v7.spz")).toBeRejectedWithError(/SPZ version 7 is not supported/);
        await expectAsync(ReadSplatFileAsync(await gzip(spz.subarray(0, 40)), "short.spz")).toBeRejectedWithError(/short\.spz: SPZ body is truncated: 40 bytes for 5 splats/);
        const wrongMagic = spz.slice();
        wrongMagic[0] = 0;
        await expectAsync(ReadSplatFileAsync(await gzip(wrongMagic), "magic.spz")).toBeRejectedWithError(/not an SPZ stream/);
        expect(SplatRowBytes).toBe(32);
    });
});

import { ReadObjectFieldAsync, WriteObjectFieldAsync, ObjectFieldFileError } from "@plugin/core/fusion/objectFieldFile";
import { CorruptMask, DefaultMaskNoise } from "@plugin/core/evaluation/maskNoise";
import { BoundaryPixels, ScoreMask } from "@plugin/core/evaluation/maskMetrics";
import { Crc32, Crc32Update } from "@plugin/core/binary/crc32";
import type { ObjectFieldData } from "@plugin/core/fusion/objectFieldTypes";
import { RandomFloats } from "@test/helpers/random";

function Field(channels: number): ObjectFieldData {
    const gridSize: [number, number, number] = [6, 5, 4];
    return {
        grid: { boundsMin: [-1, -0.5, -2], boundsMax: [1, 0.75, 2], gridSize, channels, mode: channels === 1 ? "sigmoid" : "softmax" },
        logits: RandomFloats(6 * 5 * 4 * channels, 3, -20, 20),
        objects: channels === 1 ? [{ id: 1, name: "mug" }] : Array.from({ length: channels - 1 }, (_, i) => ({ id: i + 1, name: `object ${i + 1}` })),
        metadata: { iterations: 1234, rayPair: true, captureName: "tabletop" },
    };
}

function Square(width: number, height: number, x0: number, y0: number, side: number, label = 1): Uint8Array {
    const mask = new Uint8Array(width * height);
    for (let y = y0; y < y0 + side; y++) {
        for (let x = x0; x < x0 + side; x++) {
            mask[y * width + x] = label;
        }
    }
    return mask;
}

describe("object-field file", () => {
    for (const channels of [1, 4]) {
        it(`round-trips a ${channels === 1 ? "sigmoid" : "softmax"} field (logits within f16 precision)`, async () => {
            const field = Field(channels);
            const back = await ReadObjectFieldAsync((await WriteObjectFieldAsync(field)).buffer as ArrayBuffer, "a.sobj");
            expect(back.grid).toEqual(field.grid);
            expect(back.objects).toEqual(field.objects);
            expect(back.metadata).toEqual(field.metadata);
            back.logits.forEach((v, i) => expect(Math.abs(v - field.logits[i])).toBeLessThan(1e-3 * Math.max(1, Math.abs(field.logits[i]))));
        });
    }

    it("round-trips a contracted grid (version 3's mode bit 1); reads a version-2 file as a grid over its box", async () => {
        const field = { ...Field(4), grid: { ...Field(4).grid, contracted: true } };
        const bytes = await WriteObjectFieldAsync(field);
        expect(new DataView(bytes.buffer).getUint32(12, true)).toBe(3);
        expect((await ReadObjectFieldAsync(bytes.slice().buffer as ArrayBuffer, "a.sobj")).grid).toEqual(field.grid);
        const old = (await WriteObjectFieldAsync(Field(4))).slice();
        const view = new DataView(old.buffer);
        view.setUint32(4, 2, true);
        view.setUint32(60, Crc32Update(Crc32Update(Crc32(old.subarray(0, 60)), old.subarray(64, 64 + view.getUint32(56, true))), old.subarray(64 + view.getUint32(56, true))), true);
        expect((await ReadObjectFieldAsync(old.slice().buffer as ArrayBuffer, "old.sobj")).grid).toEqual(Field(4).grid);
        view.setUint32(12, 3, true);
        view.setUint32(60, Crc32Update(Crc32Update(Crc32(old.subarray(0, 60)), old.subarray(64, 64 + view.getUint32(56, true))), old.subarray(64 + view.getUint32(56, true))), true);
        await expectAsync(ReadObjectFieldAsync(old.slice().buffer as ArrayBuffer, "old.sobj")).toBeRejectedWithError(ObjectFieldFileError, /^old\.sobj: unknown mode 3/);
    });

    it("refuses other files, other versions, truncated and corrupt files with the file's name", async () => {
        const bytes = await WriteObjectFieldAsync(Field(1));
        const read = (data: Uint8Array): Promise<ObjectFieldData> => ReadObjectFieldAsync(data.slice().buffer as ArrayBuffer, "mug.sobj");
        await expectAsync(read(new TextEncoder().encode("SNRF and more bytes"))).toBeRejectedWithError(ObjectFieldFileError, /^mug\.sobj: not a SANeRF-HQ object field file/);
        const newer = bytes.slice();
        new DataView(newer.buffer).setUint32(4, 4, true);
        await expectAsync(read(newer)).toBeRejectedWithError(ObjectFieldFileError, /format version 4; this build reads versions 1 to 3/);
        await expectAsync(read(bytes.subarray(0, 40))).toBeRejectedWithError(ObjectFieldFileError, /truncated header/);
        await expectAsync(read(bytes.subarray(0, bytes.length - 5))).toBeRejectedWithError(ObjectFieldFileError, /CRC-32 mismatch/);
        const flipped = bytes.slice();
        flipped[flipped.length - 3] ^= 0xff;
        await expectAsync(read(flipped)).toBeRejectedWithError(ObjectFieldFileError, /corrupt/);
        const badGrid = bytes.slice();
        new DataView(badGrid.buffer).setUint32(40, 1, true);
        await expectAsync(read(badGrid)).toBeRejectedWithError(ObjectFieldFileError, /bad grid size 1x5x4/);
        // a plausible header change (the bounds) is caught: the CRC covers the header
        const moved = bytes.slice();
        new DataView(moved.buffer).setFloat32(16, new DataView(moved.buffer).getFloat32(16, true) - 0.1, true);
        await expectAsync(read(moved)).toBeRejectedWithError(ObjectFieldFileError, /CRC-32 mismatch/);
    });

    it("still reads a version-1 file (CRC over metadata and payload only), with a warning", async () => {
        const bytes = (await WriteObjectFieldAsync(Field(1))).slice();
        const view = new DataView(bytes.buffer);
        const metadataLength = view.getUint32(56, true);
        view.setUint32(4, 1, true);
        view.setUint32(60, Crc32Update(Crc32(bytes.subarray(64, 64 + metadataLength)), bytes.subarray(64 + metadataLength)), true);
        const warnings: string[] = [];
        const old = await ReadObjectFieldAsync(bytes.buffer, "old.sobj", (message) => warnings.push(message));
        expect(old.objects.length).toBe(1);
        expect(warnings).toEqual([jasmine.stringMatching(/^old\.sobj: format version 1/)]);
    });
});

describe("mask metrics", () => {
    it("scores IoU, accuracy and the boundary F-score with its 2 px band", () => {
        const truth = Square(20, 20, 5, 5, 8);
        expect(ScoreMask(truth, truth, 20, 20, 1)).toEqual({ iou: 1, accuracy: 1, boundaryF: 1 });
        const shifted = Square(20, 20, 6, 5, 8);
        const score = ScoreMask(shifted, truth, 20, 20, 1);
        expect(score.iou).toBeCloseTo(56 / 72, 6);
        expect(score.accuracy).toBeCloseTo(1 - 16 / 400, 6);
        expect(score.boundaryF).withContext("a 1 px shift is inside the band").toBe(1);
        const far = Square(20, 20, 10, 5, 8);
        expect(ScoreMask(far, truth, 20, 20, 1).boundaryF).toBeLessThan(0.6);
        expect(BoundaryPixels(truth, 20, 20, 1).reduce((a, b) => a + b, 0)).toBe(28);
        expect(ScoreMask(new Uint8Array(400), truth, 20, 20, 1)).toEqual({ iou: 0, accuracy: 1 - 64 / 400, boundaryF: 0 });
    });
});

describe("mask noise model", () => {
    const truth = new Uint8Array(64 * 64);
    truth.set(Square(64, 64, 10, 10, 20, 1).map((v, i) => v || Square(64, 64, 36, 30, 18, 2)[i]));

    it("is deterministic for a seed and differs between seeds and views", () => {
        const a = CorruptMask(truth, 64, 64, 3);
        const b = CorruptMask(truth, 64, 64, 3);
        expect(a).toEqual(b);
        expect(CorruptMask(truth, 64, 64, 4).labels).not.toEqual(a.labels);
        expect(CorruptMask(truth, 64, 64, 3, { ...DefaultMaskNoise, seed: 9 }).labels).not.toEqual(a.labels);
    });

    it("corrupts boundaries, punches holes, adds blobs, and makes some views wrong or missing at the stated rates", () => {
        const zero = { ...DefaultMaskNoise, boundaryJitter: 0, holes: 0, falsePositives: 0, wrongViews: 0, missingViews: 0 };
        expect(CorruptMask(truth, 64, 64, 0, zero).labels).toEqual(truth);
        let iou = 0;
        const fates = { kept: 0, wrong: 0, missing: 0 };
        const scores = { kept: 0, wrong: 0, missing: 0 };
        const views = 400;
        for (let view = 0; view < views; view++) {
            const noisy = CorruptMask(truth, 64, 64, view);
            fates[noisy.fate]++;
            scores[noisy.fate] += noisy.weight;
            if (noisy.fate === "missing") {
                expect(noisy.weight).toBe(0);
            } else {
                expect(noisy.weight).toBeGreaterThanOrEqual(DefaultMaskNoise.scoreFloor / 2);
                expect(noisy.weight).toBeLessThanOrEqual(1);
            }
            if (noisy.fate === "kept") {
                iou += ScoreMask(noisy.labels, truth, 64, 64, 1).iou;
            }
        }
        // the simulated predicted IoU follows the mask's quality: wrong views score lower than kept ones
        expect(scores.wrong / fates.wrong).toBeLessThan(scores.kept / fates.kept - 0.1);
        expect(scores.kept / fates.kept).toBeGreaterThan(DefaultMaskNoise.scoreFloor + 0.2);
        expect(fates.wrong / views).toBeCloseTo(DefaultMaskNoise.wrongViews, 1);
        expect(fates.missing / views).toBeCloseTo(DefaultMaskNoise.missingViews, 1);
        const meanIou = iou / fates.kept;
        expect(meanIou).toBeGreaterThan(0.6);
        expect(meanIou).toBeLessThan(0.95);
    });
});

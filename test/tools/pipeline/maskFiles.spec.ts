import { ClassifyMaskValues } from "@tools/pipeline/maskFiles";

/** A histogram from value -> count pairs. */
function Histogram(counts: Record<number, number>): Uint32Array {
    const histogram = new Uint32Array(256);
    for (const [value, count] of Object.entries(counts)) {
        histogram[Number(value)] = count;
    }
    return histogram;
}

describe("--masks: what mask files hold", () => {
    it("0/255 files are one object; small values 1..7 are instance labels", () => {
        expect(ClassifyMaskValues(Histogram({ 0: 900, 255: 100 }))).toEqual({ kind: "binary" });
        expect(ClassifyMaskValues(Histogram({ 0: 900, 1: 60, 2: 30, 5: 10 }))).toEqual({ kind: "labels", count: 5 });
    });

    it("anti-aliased or feathered single-object masks (mostly 255, grey at the edges) are thresholded, not read as labels", () => {
        const soft: Record<number, number> = { 0: 800, 255: 170 };
        for (let v = 1; v < 255; v += 9) {
            soft[v] = 1;
        }
        expect(ClassifyMaskValues(Histogram(soft))).toEqual({ kind: "soft" });
    });

    it("refuses what looks like neither, and empty masks, naming what it found", () => {
        const grey: Record<number, number> = { 0: 100 };
        for (let v = 1; v < 200; v++) {
            grey[v] = 5;
        }
        expect(() => ClassifyMaskValues(Histogram(grey))).toThrowError(/look like neither 0\/255 masks \(\d+% of the non-zero pixels are >= 128\) nor instance labels 1\.\.7 \(values up to 199 found\)/);
        expect(() => ClassifyMaskValues(Histogram({ 0: 1000 }))).toThrowError(/every mask is empty/);
    });
});

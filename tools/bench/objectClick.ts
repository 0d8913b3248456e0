/**
 * Where the benchmarks click an object: its labelled pixel nearest the label's centroid (the
 * centroid may fall outside a concave object), at the pixel's centre.
 * @param labels the frame's object labels, one per pixel
 * @param width the frame's width
 * @param id the object's label
 * @returns the click, or null when the object covers under 40 pixels
 */
export function ObjectClick(labels: Uint8Array, width: number, id: number): { x: number; y: number } | null {
    let [sx, sy, n] = [0, 0, 0];
    labels.forEach((label, i) => {
        if (label === id) {
            sx += i % width;
            sy += Math.floor(i / width);
            n++;
        }
    });
    if (n < 40) {
        return null;
    }
    let best = -1;
    let bestDistance = Infinity;
    labels.forEach((label, i) => {
        const d = ((i % width) - sx / n) ** 2 + (Math.floor(i / width) - sy / n) ** 2;
        if (label === id && d < bestDistance) {
            bestDistance = d;
            best = i;
        }
    });
    return { x: (best % width) + 0.5, y: Math.floor(best / width) + 0.5 };
}

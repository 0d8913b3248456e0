// Self-checks of the colour images' alpha (coverage) against the labels and depth of the same view,
// fed one frame at a time with exactly what is written. The label/depth pass samples each pixel's
// centre once; the colour pass supersamples the pixel, so near a silhouette the two may differ and
// the checks below only make claims that hold whatever the sub-pixel geometry:
//  - RGB is 0 wherever alpha is 0;
//  - a pixel whose centre hits an object (label > 0) has some coverage (alpha > 0);
//  - a pixel whose 3x3 neighbourhood is all one object, or all hit with the table top at its
//    centre, with depths that vary little (one continuous surface, no occlusion edge), is fully
//    covered (alpha 255): no background shows through solid surfaces. Across an occlusion edge a
//    sub-pixel gap may legitimately let the background through (a thin ring seen edge-on);
//  - a pixel whose 3x3 neighbourhood hits nothing (depth 0) is transparent (alpha 0), except for a
//    handful (MaxMissedSliverShare): a sliver thinner than a pixel (the wire ring seen edge-on at
//    256 px) can pass between all nine centre samples and still cover part of the pixel;
//  - colour is straight (un-premultiplied): a partly covered pixel on an object's silhouette
//    against the background is about as bright as the object's opaque pixels next to it, not
//    darkened by its coverage as premultiplied colour would be.
import type { GeneratorCheck } from "./generatorTypes";
import type { RenderedView } from "./viewRenderer";

/** Partly covered pixels below this alpha are compared with their opaque neighbours (straight colour). */
const FaintEdgeAlpha = 128;
/** Straight colour keeps faint edge pixels this bright relative to their opaque neighbours, at least. */
const MinEdgeBrightness = 0.75;
/** And at most (a limb can be lit a little more brightly than the surface a pixel inwards). */
const MaxEdgeBrightness = 1.33;
/** Fewer faint edge pixels than this over all views: straight colour is not measurable. */
const MinEdgePixels = 50;
/** Share of "nothing hit" pixels that may still be partly covered by a sliver between the centre samples. */
const MaxMissedSliverShare = 1e-5;
/** A 3x3 neighbourhood whose depths spread by more than this share of the centre's spans an occlusion edge. */
const MaxSurfaceDepthSpread = 0.05;

/** What a pixel's 3x3 neighbourhood holds. */
interface Neighbourhood {
    /** All nine carry the centre's label. */
    readonly sameLabel: boolean;
    /** All nine have a depth (some surface is hit) within MaxSurfaceDepthSpread of the centre's: no occlusion edge. */
    readonly continuous: boolean;
    /** None of the nine has a depth. */
    readonly noneHit: boolean;
}

/** Accumulates the alpha checks over the frames; see the file comment. */
export class CoverageChecker {
    private readonly _size: number;
    private _pixels = 0;
    private _transparent = 0;
    private _transparentWithColour = 0;
    private _labelled = 0;
    private _labelledUncovered = 0;
    private _objectInterior = 0;
    private _objectInteriorPartial = 0;
    private _tableInterior = 0;
    private _tableInteriorPartial = 0;
    private _emptyInterior = 0;
    private _emptyInteriorCovered = 0;
    private _fractional = 0;
    private _edgePixels = 0;
    private _edgeBrightnessSum = 0;
    private _edgeAlphaSum = 0;

    /**
     * @param size width and height of the images, pixels
     */
    constructor(size: number) {
        this._size = size;
    }

    /**
     * Checks one frame.
     * @param view its rendered images (RGBA colour, labels, depth; top row first)
     */
    public addFrame(view: RenderedView): void {
        const size = this._size;
        const { rgba, labels } = view;
        for (let pixel = 0; pixel < size * size; pixel++) {
            const alpha = rgba[pixel * 4 + 3];
            this._pixels++;
            if (alpha === 0) {
                this._transparent++;
                this._transparentWithColour += rgba[pixel * 4] + rgba[pixel * 4 + 1] + rgba[pixel * 4 + 2] > 0 ? 1 : 0;
            } else if (alpha < 255) {
                this._fractional++;
            }
            if (labels[pixel] > 0) {
                this._labelled++;
                this._labelledUncovered += alpha === 0 ? 1 : 0;
            }
        }
        for (let v = 1; v < size - 1; v++) {
            for (let u = 1; u < size - 1; u++) {
                const pixel = v * size + u;
                const alpha = rgba[pixel * 4 + 3];
                const around = Neighbours(view, pixel, size);
                if (around.sameLabel && around.continuous && labels[pixel] > 0) {
                    this._objectInterior++;
                    this._objectInteriorPartial += alpha < 255 ? 1 : 0;
                } else if (around.continuous && labels[pixel] === 0) {
                    this._tableInterior++;
                    this._tableInteriorPartial += alpha < 255 ? 1 : 0;
                } else if (around.noneHit) {
                    this._emptyInterior++;
                    this._emptyInteriorCovered += alpha > 0 ? 1 : 0;
                }
                if (alpha > 0 && alpha < FaintEdgeAlpha) {
                    this._addEdgePixel(view, pixel);
                }
            }
        }
    }

    /** The results over all frames added. */
    public results(): GeneratorCheck[] {
        const edgeBrightness = this._edgeBrightnessSum / Math.max(1, this._edgePixels);
        const edgeAlpha = this._edgeAlphaSum / Math.max(1, this._edgePixels) / 255;
        return [
            {
                name: "alpha: RGB is 0 wherever alpha is 0",
                ok: this._transparentWithColour === 0,
                detail: `${this._transparentWithColour} of ${this._transparent} transparent pixels have colour`,
            },
            {
                name: "alpha + labels: every labelled pixel (label > 0) has alpha > 0",
                ok: this._labelled > 0 && this._labelledUncovered === 0,
                detail: `${this._labelledUncovered} of ${this._labelled} labelled pixels have alpha 0`,
            },
            {
                name: "alpha + labels: object interiors (3x3 of one label > 0, no occlusion edge) have alpha 255",
                ok: this._objectInterior > 0 && this._objectInteriorPartial === 0,
                detail: `${this._objectInteriorPartial} of ${this._objectInterior} below 255`,
            },
            {
                name: "alpha + depth: table-top interiors (label 0, 3x3 all with depth, no occlusion edge) have alpha 255",
                ok: this._tableInterior > 0 && this._tableInteriorPartial === 0,
                detail: `${this._tableInteriorPartial} of ${this._tableInterior} below 255`,
            },
            {
                name: "alpha + depth: background away from silhouettes (3x3 all depth 0) has alpha 0, but for sub-pixel slivers (at most 1 in 100 000)",
                ok: this._emptyInterior > 0 && this._emptyInteriorCovered <= this._emptyInterior * MaxMissedSliverShare,
                detail: `${this._emptyInteriorCovered} of ${this._emptyInterior} above 0; ${this._transparent} of ${this._pixels} pixels transparent, ${this._fractional} partly covered`,
            },
            {
                name: "straight alpha: faint silhouette pixels are as bright as the opaque object pixels next to them",
                ok: this._edgePixels >= MinEdgePixels && edgeBrightness >= MinEdgeBrightness && edgeBrightness <= MaxEdgeBrightness,
                detail: `mean brightness ratio ${edgeBrightness.toFixed(3)} (premultiplied would be about the mean alpha, ${edgeAlpha.toFixed(3)}) over ${this._edgePixels} px`,
            },
        ];
    }

    /**
     * Tallies a partly covered pixel on one object's silhouette against the background (its 3x3 holds
     * only that object's label or nothing hit): its brightness over the mean of its opaque neighbours
     * of that object.
     */
    private _addEdgePixel(view: RenderedView, pixel: number): void {
        const size = this._size;
        const { rgba, labels, depth } = view;
        let object = 0;
        let reference = 0;
        let opaque = 0;
        for (const dy of [-size, 0, size]) {
            for (const dx of [-1, 0, 1]) {
                const other = pixel + dy + dx;
                const label = labels[other];
                if (label === 0 && depth[other] > 0) {
                    return; // the table top is in the neighbourhood
                }
                if (label > 0) {
                    if (object !== 0 && label !== object) {
                        return; // two objects meet here
                    }
                    object = label;
                    if (rgba[other * 4 + 3] === 255) {
                        reference += rgba[other * 4] + rgba[other * 4 + 1] + rgba[other * 4 + 2];
                        opaque++;
                    }
                }
            }
        }
        if (opaque === 0 || reference === 0) {
            return;
        }
        this._edgePixels++;
        this._edgeBrightnessSum += (rgba[pixel * 4] + rgba[pixel * 4 + 1] + rgba[pixel * 4 + 2]) / (reference / opaque);
        this._edgeAlphaSum += rgba[pixel * 4 + 3];
    }
}

/** What the 3x3 neighbourhood of an inner pixel holds. */
function Neighbours(view: RenderedView, pixel: number, size: number): Neighbourhood {
    const { labels, depth } = view;
    const centre = depth[pixel];
    let sameLabel = true;
    let continuous = centre > 0;
    let noneHit = true;
    for (const dy of [-size, 0, size]) {
        for (const dx of [-1, 0, 1]) {
            const other = pixel + dy + dx;
            sameLabel &&= labels[other] === labels[pixel];
            continuous &&= depth[other] > 0 && Math.abs(depth[other] - centre) <= MaxSurfaceDepthSpread * centre;
            noneHit &&= depth[other] <= 0;
        }
    }
    return { sameLabel, continuous, noneHit };
}

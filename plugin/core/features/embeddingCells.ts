import type { CameraIntrinsics } from "../capture/captureTypes";
import { SamResizedSize } from "../sam/samPreprocess";
import type { SamModelFamily } from "../sam/samTypes";
import { FeatureFieldInputError } from "./featureFieldInputError";

/** Cells per side of the SAM-family image embedding ([1, 256, 64, 64]). */
export const EmbeddingGridSide = 64;
/** Channels of the SAM-family image embedding. */
export const EmbeddingChannels = 256;
/** The encoder output a feature field distils (SAM, MobileSAM, EfficientSAM and the built-in model all name it so). */
export const DistilledTensorName = "image_embeddings";

/**
 * Where a view's embedding cells lie in its image: cell (row i, column j) covers the original pixels
 * [j * cellWidth, (j + 1) * cellWidth) x [i * cellHeight, (i + 1) * cellHeight). Cells at or beyond
 * `columns` / `rows` cover the encoder's padding only.
 */
export interface EmbeddingCellLayout {
    /** Cells along x that cover the image. */
    readonly columns: number;
    /** Cells along y that cover the image. */
    readonly rows: number;
    /** Original pixels per cell along x. */
    readonly cellWidth: number;
    /** Original pixels per cell along y. */
    readonly cellHeight: number;
}

/**
 * The embedding cells of a view as the family's encoder lays them out. SAM, MobileSAM and the
 * built-in model resize the longest side to 1024 (the other to floor(side * scale + 0.5)) and pad
 * bottom-right, 16 resized pixels per cell; EfficientSAM stretches the image to 1024 x 1024, so its
 * 64 x 64 cells cover the whole image.
 * @param family the model family
 * @param width the view's width
 * @param height the view's height
 * @returns the layout
 * @throws FeatureFieldInputError for SAM2, whose decoder also needs high-resolution features a 64 x 64 field does not hold
 */
export function EmbeddingCellLayoutFor(family: SamModelFamily, width: number, height: number): EmbeddingCellLayout {
    if (family === "sam2") {
        throw new FeatureFieldInputError("a feature field holds the 64 x 64 image embedding only; SAM2's decoder also needs its high-resolution features (high_res_feats_0/1), so SAM2 prompts keep using the embedding cache");
    }
    if (family === "efficientsam") {
        return { columns: EmbeddingGridSide, rows: EmbeddingGridSide, cellWidth: width / EmbeddingGridSide, cellHeight: height / EmbeddingGridSide };
    }
    const resized = SamResizedSize(width, height);
    const cell = 1024 / EmbeddingGridSide;
    return { columns: Math.ceil(resized.width / cell), rows: Math.ceil(resized.height / cell), cellWidth: (cell * width) / resized.width, cellHeight: (cell * height) / resized.height };
}

/**
 * The intrinsics of a view's cell grid: a camera whose pixel (j, i) is the view's cell (i, j), so
 * ray generation through its pixel centres hits the cells' centres.
 * @param intrinsics the view's own intrinsics
 * @param layout its cell layout
 * @returns the cell grid's intrinsics (columns x rows pixels)
 */
export function CellGridIntrinsics(intrinsics: CameraIntrinsics, layout: EmbeddingCellLayout): CameraIntrinsics {
    return {
        fx: intrinsics.fx / layout.cellWidth,
        fy: intrinsics.fy / layout.cellHeight,
        cx: intrinsics.cx / layout.cellWidth,
        cy: intrinsics.cy / layout.cellHeight,
        width: layout.columns,
        height: layout.rows,
    };
}

import { Random01 } from "../../../shaders/nerf/fieldMath";
import { EmbeddingChannels, EmbeddingGridSide, type EmbeddingCellLayout } from "./embeddingCells";

/**
 * A linear basis the distilled features live in: the embedding's top principal components, so a
 * grid of `channels` features (32 by default) stands for SAM's 256. A cell's embedding e maps to
 * t_k = (e - mean) . component_k / scale, and back to mean + scale * sum_k t_k component_k.
 */
export interface FeatureBasis {
    /** Mean embedding, 256 floats. */
    readonly mean: Float32Array;
    /** `channels` orthonormal components of 256 floats, component after component. */
    readonly components: Float32Array;
    /** Divides the projections so that a kept channel's variance is 1 on average. */
    readonly scale: number;
    /** Share of the embeddings' variance the components keep (0..1). */
    readonly keptVariance: number;
}

/** One view's embedding as the basis sees it: [256, 64, 64] channel-major, and which cells cover the image. */
export interface EmbeddingCells {
    readonly data: Float32Array;
    readonly layout: EmbeddingCellLayout;
}

/** Cells of an embedding, 64 x 64. */
const CellsPerMap = EmbeddingGridSide * EmbeddingGridSide;

/**
 * Fits the basis to the views' image cells (at most `maxCells` of them, drawn evenly with a seed):
 * their mean, covariance, and the covariance's top eigenvectors by subspace iteration.
 * @param views the views' embeddings
 * @param channels components to keep (1..256)
 * @param maxCells cells used for the covariance
 * @param seed the draw's seed
 * @returns the basis
 */
export function FitFeatureBasis(views: readonly EmbeddingCells[], channels: number, maxCells = 4096, seed = 1): FeatureBasis {
    const n = EmbeddingChannels;
    const cells: { view: number; cell: number }[] = [];
    views.forEach((view, v) => {
        for (let i = 0; i < view.layout.rows; i++) {
            for (let j = 0; j < view.layout.columns; j++) {
                cells.push({ view: v, cell: i * EmbeddingGridSide + j });
            }
        }
    });
    const chosen = cells.length <= maxCells ? cells : Array.from({ length: maxCells }, (_, k) => cells[Math.min(cells.length - 1, Math.floor(((k + Random01(seed, k)) * cells.length) / maxCells))]);
    const mean = new Float64Array(n);
    const vector = new Float64Array(n);
    const read = (entry: { view: number; cell: number }): void => {
        const data = views[entry.view].data;
        for (let c = 0; c < n; c++) {
            vector[c] = data[c * CellsPerMap + entry.cell];
        }
    };
    for (const entry of chosen) {
        read(entry);
        for (let c = 0; c < n; c++) {
            mean[c] += vector[c] / chosen.length;
        }
    }
    const covariance = new Float64Array(n * n);
    for (const entry of chosen) {
        read(entry);
        for (let a = 0; a < n; a++) {
            const da = (vector[a] - mean[a]) / chosen.length;
            const row = a * n;
            for (let b = a; b < n; b++) {
                covariance[row + b] += da * (vector[b] - mean[b]);
            }
        }
    }
    let trace = 0;
    for (let a = 0; a < n; a++) {
        trace += covariance[a * n + a];
        for (let b = 0; b < a; b++) {
            covariance[a * n + b] = covariance[b * n + a];
        }
    }
    const components = TopEigenvectors(covariance, n, Math.min(channels, n), seed);
    let kept = 0;
    const variances = components.map((q) => Quadratic(covariance, q, n));
    variances.forEach((variance) => (kept += variance));
    const flat = new Float32Array(components.length * n);
    components.forEach((q, k) => flat.set(q, k * n));
    return { mean: Float32Array.from(mean), components: flat, scale: Math.sqrt(Math.max(kept, 1e-12) / components.length), keptVariance: trace > 0 ? kept / trace : 1 };
}

/**
 * Projects one view's image cells onto the basis: `channels` values per cell, row-major over the
 * layout's columns x rows (the order of the view's cell-grid pixels).
 * @param basis the basis
 * @param view the view's embedding and layout
 * @returns columns * rows * channels values
 */
export function ProjectCells(basis: FeatureBasis, view: EmbeddingCells): Float32Array {
    const n = EmbeddingChannels;
    const channels = basis.components.length / n;
    const { columns, rows } = view.layout;
    const out = new Float32Array(columns * rows * channels);
    const centred = new Float64Array(n);
    for (let i = 0; i < rows; i++) {
        for (let j = 0; j < columns; j++) {
            const cell = i * EmbeddingGridSide + j;
            for (let c = 0; c < n; c++) {
                centred[c] = view.data[c * CellsPerMap + cell] - basis.mean[c];
            }
            const o = (i * columns + j) * channels;
            for (let k = 0; k < channels; k++) {
                let dot = 0;
                for (let c = 0; c < n; c++) {
                    dot += centred[c] * basis.components[k * n + c];
                }
                out[o + k] = dot / basis.scale;
            }
        }
    }
    return out;
}

/**
 * Rebuilds a [256, 64, 64] embedding from per-cell features in the basis; cells beyond the layout
 * (the encoder's padding) get `padding`.
 * @param basis the basis
 * @param features columns * rows * channels values, row-major over the layout
 * @param layout the view's cell layout
 * @param padding 256 values for padding cells
 * @returns the embedding, channel-major
 */
export function UnprojectCells(basis: FeatureBasis, features: Float32Array, layout: EmbeddingCellLayout, padding: Float32Array): Float32Array {
    const n = EmbeddingChannels;
    const channels = basis.components.length / n;
    const out = new Float32Array(n * CellsPerMap);
    for (let c = 0; c < n; c++) {
        out.fill(padding[c], c * CellsPerMap, (c + 1) * CellsPerMap);
    }
    const value = new Float64Array(n);
    for (let i = 0; i < layout.rows; i++) {
        for (let j = 0; j < layout.columns; j++) {
            const o = (i * layout.columns + j) * channels;
            for (let c = 0; c < n; c++) {
                value[c] = basis.mean[c];
            }
            for (let k = 0; k < channels; k++) {
                const t = features[o + k] * basis.scale;
                for (let c = 0; c < n; c++) {
                    value[c] += t * basis.components[k * n + c];
                }
            }
            const cell = i * EmbeddingGridSide + j;
            for (let c = 0; c < n; c++) {
                out[c * CellsPerMap + cell] = value[c];
            }
        }
    }
    return out;
}

/**
 * The mean embedding of the views' padding cells (those beyond each layout), or of all image cells
 * when no view has padding: what a rendered view's own padding cells get.
 * @param views the views' embeddings
 * @returns 256 values
 */
export function PaddingEmbedding(views: readonly EmbeddingCells[]): Float32Array {
    const n = EmbeddingChannels;
    const sum = new Float64Array(n);
    let count = 0;
    const add = (data: Float32Array, cell: number): void => {
        for (let c = 0; c < n; c++) {
            sum[c] += data[c * CellsPerMap + cell];
        }
        count++;
    };
    for (const view of views) {
        for (let cell = 0; cell < CellsPerMap; cell++) {
            if (cell % EmbeddingGridSide >= view.layout.columns || Math.floor(cell / EmbeddingGridSide) >= view.layout.rows) {
                add(view.data, cell);
            }
        }
    }
    if (count === 0) {
        for (const view of views) {
            for (let cell = 0; cell < CellsPerMap; cell++) {
                add(view.data, cell);
            }
        }
    }
    return Float32Array.from(sum, (s) => s / Math.max(1, count));
}

/** q^T C q. */
function Quadratic(matrix: Float64Array, q: Float64Array, n: number): number {
    let total = 0;
    for (let a = 0; a < n; a++) {
        let row = 0;
        for (let b = 0; b < n; b++) {
            row += matrix[a * n + b] * q[b];
        }
        total += q[a] * row;
    }
    return total;
}

/** The top `count` eigenvectors of a symmetric matrix by subspace iteration (orthonormalised each round), largest variance first. */
function TopEigenvectors(matrix: Float64Array, n: number, count: number, seed: number): Float64Array[] {
    let basis = Array.from({ length: count }, (_, k) => Float64Array.from({ length: n }, (_, c) => Random01(seed + 7 * k + 1, c) - 0.5));
    Orthonormalise(basis);
    for (let round = 0; round < 60; round++) {
        basis = basis.map((q) => {
            const z = new Float64Array(n);
            for (let a = 0; a < n; a++) {
                let sum = 0;
                for (let b = 0; b < n; b++) {
                    sum += matrix[a * n + b] * q[b];
                }
                z[a] = sum;
            }
            return z;
        });
        Orthonormalise(basis);
    }
    return basis.map((q) => ({ q, variance: Quadratic(matrix, q, n) })).sort((a, b) => b.variance - a.variance).map((entry) => entry.q);
}

/**
 * Modified Gram-Schmidt in place. A vector that vanishes (more components asked for than the
 * embeddings' rank) is replaced by the unit axis with the most left orthogonal to the vectors
 * before it, orthogonalised against them: the basis stays orthonormal, so projecting and
 * rebuilding stay exact however many channels are kept.
 */
function Orthonormalise(vectors: Float64Array[]): void {
    const removeEarlier = (v: Float64Array, k: number): void => {
        for (let pass = 0; pass < 2; pass++) {
            for (let j = 0; j < k; j++) {
                let dot = 0;
                v.forEach((x, c) => (dot += x * vectors[j][c]));
                v.forEach((_, c) => (v[c] -= dot * vectors[j][c]));
            }
        }
    };
    vectors.forEach((v, k) => {
        const before = Math.hypot(...v);
        removeEarlier(v, k);
        let norm = Math.hypot(...v);
        if (!(norm > 1e-9 * before) || norm < 1e-30) {
            // axis i keeps 1 - sum_j q_j[i]^2 of its length squared after the earlier vectors are removed
            const left = new Float64Array(v.length).fill(1);
            for (let j = 0; j < k; j++) {
                vectors[j].forEach((x, i) => (left[i] -= x * x));
            }
            v.fill(0);
            v[left.indexOf(Math.max(...left))] = 1;
            removeEarlier(v, k);
            norm = Math.hypot(...v);
        }
        v.forEach((_, c) => (v[c] /= norm));
    });
}

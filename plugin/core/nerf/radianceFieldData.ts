import type { FieldParams } from "../../../shaders/nerf/fieldMath";

/** Background a field is composited on when rendered (what it was trained against). */
export type FieldBackground = "white" | "black";

/** Facts about how a field was made, saved with it. */
export interface FieldMetadata {
    /** Training iterations run. */
    readonly iterations: number;
    /** Holdout PSNR when it was saved, if measured. */
    readonly psnr?: number;
    /** Name of the capture it was trained on. */
    readonly captureName?: string;
    /** Set when the field is one fused object cut from a capture's field (a NerfObjectNode's field). */
    readonly objectName?: string;
    /** The capture's up direction (unit, capture coordinates: its cameras' mean up), when known. */
    readonly up?: readonly [number, number, number];
}

/**
 * A trained radiance field on the CPU: grid parameters plus density, colour (degree-1 SH) and the
 * occupancy bitfield, in the buffer layout of shaders/nerf/fieldCommon.wgsl.
 */
export interface RadianceFieldData {
    /** Grid geometry and rendering constants. */
    readonly params: FieldParams;
    /** Raw density per grid point (sigma = softplus(raw + densityShift)). */
    readonly density: Float32Array;
    /** 12 SH coefficients per grid point: [r0..r3, g0..g3, b0..b3]. */
    readonly sh: Float32Array;
    /** One bit per occupancy cell. */
    readonly occupancy: Uint32Array;
    /** Background the field renders on. */
    readonly background: FieldBackground;
    /** Provenance. */
    readonly metadata: FieldMetadata;
    /**
     * The training photos' colour transforms (12 floats per training photo, see
     * shaders/nerf/appearanceKernels.ts) when trained with per-photo appearance: training state kept
     * in checkpoints so a continued run resumes them; not written to field files.
     */
    readonly appearance?: Float32Array;
}

/** Number of SH coefficients stored per grid point. */
export const ShCoefficientsPerPoint = 12;

import type { SamBox } from "../core/sam/samTypes";
import type { FrameMask } from "../core/segmentation/maskSet";

/** The view prompts are placed in and masks are shown for. */
export type PromptView = { readonly kind: "frame"; readonly index: number } | { readonly kind: "viewport" };

/** One click: where it was made (its view and pixel) and, when it hit the field, its 3-D point. */
export interface PromptClick {
    readonly label: 0 | 1;
    /** View the click was made in and its pixel there. */
    readonly view: PromptView;
    readonly x: number;
    readonly y: number;
    /** The field's surface under the click, capture coordinates (null: the click hit empty space). */
    readonly position: readonly [number, number, number] | null;
}

/** A box drawn in one view, with the 3-D box of the surface it encloses (for propagation). */
export interface PromptBox {
    readonly view: PromptView;
    readonly box: SamBox;
    /** Corners of the 3-D box of the surface points under the box, capture coordinates. */
    readonly corners: readonly (readonly [number, number, number])[] | null;
}

/** An object being segmented: its prompts and, after propagation, its masks in every frame. */
export interface SegmentationObject {
    readonly id: number;
    name: string;
    /** RGB 0..1. */
    readonly color: readonly [number, number, number];
    clicks: PromptClick[];
    box: PromptBox | null;
    /** Masks per capture frame (after propagation). */
    frames: FrameMask[] | null;
}

/** Figures of one propagation. */
export interface PropagationReport {
    readonly objectId: number;
    readonly validViews: number;
    readonly decoderCalls: number;
    readonly encoderRuns: number;
    readonly seconds: number;
}

/** Distinct colours for objects 1, 2, 3... */
export const ObjectPalette: readonly (readonly [number, number, number])[] = [
    [0.12, 0.47, 0.96],
    [0.96, 0.45, 0.12],
    [0.2, 0.75, 0.3],
    [0.85, 0.2, 0.6],
    [0.95, 0.8, 0.15],
    [0.5, 0.3, 0.9],
    [0.1, 0.75, 0.8],
    [0.7, 0.45, 0.25],
];

import fieldCommon from "./fieldCommon.wgsl";
import { ComposeWgsl, WgslSnippets } from "../common/wgslLibrary";

/**
 * Composes a radiance-field kernel: the shared linear-index, atomic-accumulate and field snippets
 * in front of the kernel's own source.
 * @param source the kernel's WGSL
 * @returns one WGSL module
 */
export function ComposeFieldKernel(source: string): string {
    return ComposeWgsl(source, WgslSnippets.linearIndex, WgslSnippets.atomicAccumulate, fieldCommon);
}

/** Background codes of rayGeneration.wgsl. */
export const RayBackground = { white: 0, black: 1, random: 2 } as const;

/** Bytes of one Ray (4 vec4). */
export const RayBytes = 64;

/** Bytes of one FrameCamera (5 vec4). */
export const FrameCameraBytes = 80;

import fieldCommon from "./fieldCommon.wgsl";
import rayCommon from "./rayCommon.wgsl";
import { ComposeWgsl, WgslSnippets } from "../common/wgslLibrary";

/**
 * Composes a radiance-field kernel: the shared linear-index, atomic-accumulate and field snippets
 * (then any others given) in front of the kernel's own source.
 * @param source the kernel's WGSL
 * @param snippets further shared snippets it uses, in order
 * @returns one WGSL module
 */
export function ComposeFieldKernel(source: string, ...snippets: string[]): string {
    return ComposeWgsl(source, WgslSnippets.linearIndex, WgslSnippets.atomicAccumulate, fieldCommon, ...snippets);
}

/**
 * Composes a kernel that reads or writes rays: {@link ComposeFieldKernel} plus rayCommon.wgsl (the
 * Ray layout, RenderParams, RayResult and the compositing march's steps).
 * @param source the kernel's WGSL
 * @param snippets further shared snippets it uses, in order
 * @returns one WGSL module
 */
export function ComposeRayKernel(source: string, ...snippets: string[]): string {
    return ComposeFieldKernel(source, rayCommon, ...snippets);
}

/** Background codes of rayGeneration.wgsl. */
export const RayBackground = { white: 0, black: 1, random: 2 } as const;

/** Bytes of one Ray (4 vec4; rayCommon.wgsl). */
export const RayBytes = 64;

/** Bytes of one FrameCamera (5 vec4). */
export const FrameCameraBytes = 80;

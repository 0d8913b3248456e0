// Seeded procedural textures for the sample scenes. A flat, untextured surface gives a radiance
// field nothing to triangulate: every depth along a ray reproduces the same colour, so the learned
// table floated up to 0.035 above the true one and ate the objects' feet. These textures vary in
// brightness only (the colour's chromaticity is kept), so a colour-affinity segmenter and the
// generator's hue checks see the same hues as before while multi-view photometry pins the surfaces.
import type { Scene } from "@babylonjs/core/scene";
import { Constants } from "@babylonjs/core/Engines/constants";
import { RawTexture } from "@babylonjs/core/Materials/Textures/rawTexture";
import { SeededRandom } from "../../plugin/core/math/seededRandom";
import type { Rgb } from "./sceneLayouts";

/** How a brightness texture is made. */
export interface BrightnessPattern {
    /** Texture width and height, texels. */
    readonly size: number;
    /** Seed of the noise lattices. */
    readonly seed: number;
    /** Lattice cells across the texture per noise octave (each octave tiles seamlessly). */
    readonly octaves: readonly number[];
    /** Largest brightness change of the noise: factor 1 ± noiseAmplitude. */
    readonly noiseAmplitude: number;
    /** Stripes across the texture's v axis (wood grain); 0 for none. */
    readonly grainStripes: number;
    /** Brightness change of the grain stripes. */
    readonly grainAmplitude: number;
}

/** The table's pattern: strong multi-scale noise and wood grain, finest features about 2 px in the captures. */
export const TablePattern: BrightnessPattern = { size: 1024, seed: 7, octaves: [6, 12, 24, 48], noiseAmplitude: 0.45, grainStripes: 36, grainAmplitude: 0.18 };

/** The objects' pattern: mild noise, so they keep their flat look but are not featureless. */
export const ObjectPattern: BrightnessPattern = { size: 256, seed: 11, octaves: [4, 8, 16], noiseAmplitude: 0.2, grainStripes: 0, grainAmplitude: 0 };

/** Tileable value noise on a `cells` x `cells` lattice, smoothstep-interpolated; values in [-1, 1]. */
function ValueNoiseOctave(size: number, cells: number, random: () => number): Float32Array {
    const lattice = Float32Array.from({ length: cells * cells }, () => random() * 2 - 1);
    const out = new Float32Array(size * size);
    const smooth = (t: number): number => t * t * (3 - 2 * t);
    for (let y = 0; y < size; y++) {
        const fy = (y / size) * cells;
        const y0 = Math.floor(fy);
        const ty = smooth(fy - y0);
        const row0 = (y0 % cells) * cells;
        const row1 = ((y0 + 1) % cells) * cells;
        for (let x = 0; x < size; x++) {
            const fx = (x / size) * cells;
            const x0 = Math.floor(fx);
            const tx = smooth(fx - x0);
            const c0 = x0 % cells;
            const c1 = (x0 + 1) % cells;
            const top = lattice[row0 + c0] + (lattice[row0 + c1] - lattice[row0 + c0]) * tx;
            const bottom = lattice[row1 + c0] + (lattice[row1 + c1] - lattice[row1 + c0]) * tx;
            out[y * size + x] = top + (bottom - top) * ty;
        }
    }
    return out;
}

/**
 * The brightness factor per texel (row-major, `size` x `size`): 1 + noise + grain, where the noise
 * sums the octaves (equal weights, normalised to the amplitude) and the grain is a sine across v
 * whose phase the noise bends. Deterministic for a given pattern.
 * @param pattern what to make
 * @returns factors around 1
 */
export function BrightnessFactors(pattern: BrightnessPattern): Float32Array {
    const { size, octaves } = pattern;
    const random = SeededRandom(pattern.seed);
    const noise = new Float32Array(size * size);
    for (const cells of octaves) {
        const octave = ValueNoiseOctave(size, cells, random);
        for (let i = 0; i < noise.length; i++) {
            noise[i] += octave[i] / octaves.length;
        }
    }
    const factors = new Float32Array(size * size);
    for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
            const n = noise[y * size + x];
            const grain = pattern.grainStripes > 0 ? Math.sin(2 * Math.PI * ((y / size) * pattern.grainStripes + 1.5 * n)) : 0;
            factors[y * size + x] = 1 + pattern.noiseAmplitude * n + pattern.grainAmplitude * grain;
        }
    }
    return factors;
}

/**
 * A mipmapped, trilinear, wrapping RGBA texture holding `color` times the pattern's brightness
 * factors (clamped to [0, 1]); use it as a diffuse texture with a white diffuse colour.
 * @param name texture name
 * @param color the surface's base colour
 * @param pattern the brightness pattern
 * @param scene the scene that owns it
 * @returns the texture
 */
export function BrightnessTexture(name: string, color: Rgb, pattern: BrightnessPattern, scene: Scene): RawTexture {
    const factors = BrightnessFactors(pattern);
    const texels = new Uint8Array(factors.length * 4);
    for (let i = 0; i < factors.length; i++) {
        for (let c = 0; c < 3; c++) {
            texels[i * 4 + c] = Math.round(255 * Math.min(1, Math.max(0, color[c] * factors[i])));
        }
        texels[i * 4 + 3] = 255;
    }
    const texture = RawTexture.CreateRGBATexture(texels, pattern.size, pattern.size, scene, true, false, Constants.TEXTURE_TRILINEAR_SAMPLINGMODE);
    texture.name = name;
    texture.wrapU = Constants.TEXTURE_WRAP_ADDRESSMODE;
    texture.wrapV = Constants.TEXTURE_WRAP_ADDRESSMODE;
    return texture;
}

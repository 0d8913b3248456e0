import { Constants } from "@babylonjs/core/Engines/constants";
import { RawTexture3D } from "@babylonjs/core/Materials/Textures/rawTexture3D";
import type { Scene } from "@babylonjs/core/scene";
// Raw 3D texture creation/update on each engine (side effects: they register the engine methods).
import "@babylonjs/core/Engines/Extensions/engine.rawTexture";
import "@babylonjs/core/Engines/WebGPU/Extensions/engine.rawTexture";
import { EncodeFloat16Saturated } from "../core/binary/float16";
import { OccupancyBit, OccupancyCellCount, VoxelCount, type FieldParams } from "../../shaders/nerf/fieldMath";
import { ShCoefficientsPerPoint, type RadianceFieldData } from "../core/nerf/radianceFieldData";

/** Grid size of a texture set, to tell whether an update can reuse the textures. */
type GridShape = readonly [number, number, number];

/**
 * A radiance field as GPU textures for the ray-marching material (NerfMaterial), on WebGL2 and
 * WebGPU alike (Babylon `RawTexture3D`, no mipmaps, clamp-to-edge on u, v and w):
 *  - `density`: 1 channel, half float, LINEAR; texel (i, j, k) = raw density of grid point (i, j, k);
 *  - `sh[c]` (c = red, green, blue): RGBA half float, LINEAR; texel (i, j, k) = the 4 degree-1 SH
 *    coefficients of colour channel c at grid point (i, j, k);
 *  - `occupancy`: 2 channels, 8-bit unorm, NEAREST; texel (a, b, c): red = 255 (reads as 1.0)
 *    when occupancy cell (a, b, c) is occupied, green = 255 when any cell of its 4x4x4 block
 *    (floor(cell / 4)) is, so rays can jump over empty blocks and empty cells.
 * Texel x runs along the field's x axis, y along y, z along z (the grid index i + gx (j + gy k)
 * is the texel index). Hardware trilinear filtering with texel centres at (i + 0.5) / N gives
 * exactly the grid's align-corners trilinear interpolation when a shader maps grid coordinate
 * g (0 .. N-1) to uvw = (g + 0.5) / N.
 *
 * Half floats keep 11 significant bits (relative error <= 2^-11); values beyond +-65504 saturate.
 */
export class NerfFieldTextures {
    private readonly _scene: Scene;
    private _params: FieldParams;
    private _density: RawTexture3D;
    private _sh: [RawTexture3D, RawTexture3D, RawTexture3D];
    private _occupancy: RawTexture3D;
    private _version = 0;
    private _disposed = false;

    private constructor(scene: Scene, field: RadianceFieldData) {
        this._scene = scene;
        this._params = field.params;
        const data = EncodeField(field);
        const [gx, gy, gz] = field.params.gridSize;
        const [ox, oy, oz] = field.params.occupancySize;
        this._density = CreateTexture(scene, "nerfDensity", data.density, [gx, gy, gz], Constants.TEXTUREFORMAT_R, Constants.TEXTURETYPE_HALF_FLOAT, true);
        this._sh = [0, 1, 2].map((c) => CreateTexture(scene, `nerfSh${"RGB"[c]}`, data.sh[c], [gx, gy, gz], Constants.TEXTUREFORMAT_RGBA, Constants.TEXTURETYPE_HALF_FLOAT, true)) as [RawTexture3D, RawTexture3D, RawTexture3D];
        this._occupancy = CreateTexture(scene, "nerfOccupancy", data.occupancy, [ox, oy, oz], Constants.TEXTUREFORMAT_RG, Constants.TEXTURETYPE_UNSIGNED_BYTE, false);
    }

    /**
     * Uploads a field as textures.
     * @param scene the scene the textures belong to
     * @param field the field (grid, density, SH, occupancy bits)
     * @returns the texture set
     * @throws RangeError when the field's arrays do not match its grid
     */
    public static Create(scene: Scene, field: RadianceFieldData): NerfFieldTextures {
        CheckField(field);
        return new NerfFieldTextures(scene, field);
    }

    /** Grid geometry and rendering constants of the field now uploaded. */
    public get params(): FieldParams {
        return this._params;
    }

    /** Raw density per grid point (R16F, linear filtering). */
    public get density(): RawTexture3D {
        return this._density;
    }

    /** SH coefficients of the red, green and blue channels (RGBA16F each, linear filtering). */
    public get sh(): readonly [RawTexture3D, RawTexture3D, RawTexture3D] {
        return this._sh;
    }

    /** Occupancy per cell (RG8: red = cell occupied, green = its 4x4x4 block occupied; nearest filtering). */
    public get occupancy(): RawTexture3D {
        return this._occupancy;
    }

    /**
     * Increases whenever the texture objects are replaced (an update to another grid size), so a
     * material knows to rebind them.
     */
    public get version(): number {
        return this._version;
    }

    /** True once disposed. */
    public get isDisposed(): boolean {
        return this._disposed;
    }

    /**
     * Re-uploads a field (live preview while training): the same textures when the grid and
     * occupancy sizes are unchanged, new ones (and `version` + 1) when they changed.
     * @param field the field
     * @throws RangeError when the field's arrays do not match its grid, Error when disposed
     */
    public update(field: RadianceFieldData): void {
        if (this._disposed) {
            throw new Error("NerfFieldTextures.update: the textures were disposed");
        }
        CheckField(field);
        const data = EncodeField(field);
        const sameGrid = SameShape(this._params.gridSize, field.params.gridSize);
        const sameOccupancy = SameShape(this._params.occupancySize, field.params.occupancySize);
        if (sameGrid) {
            this._density.update(data.density);
            this._sh.forEach((texture, c) => texture.update(data.sh[c]));
        } else {
            this._density.dispose();
            this._sh.forEach((texture) => texture.dispose());
            this._density = CreateTexture(this._scene, "nerfDensity", data.density, field.params.gridSize, Constants.TEXTUREFORMAT_R, Constants.TEXTURETYPE_HALF_FLOAT, true);
            this._sh = [0, 1, 2].map((c) => CreateTexture(this._scene, `nerfSh${"RGB"[c]}`, data.sh[c], field.params.gridSize, Constants.TEXTUREFORMAT_RGBA, Constants.TEXTURETYPE_HALF_FLOAT, true)) as [RawTexture3D, RawTexture3D, RawTexture3D];
        }
        if (sameOccupancy) {
            this._occupancy.update(data.occupancy);
        } else {
            this._occupancy.dispose();
            this._occupancy = CreateTexture(this._scene, "nerfOccupancy", data.occupancy, field.params.occupancySize, Constants.TEXTUREFORMAT_RG, Constants.TEXTURETYPE_UNSIGNED_BYTE, false);
        }
        if (!sameGrid || !sameOccupancy) {
            this._version++;
        }
        this._params = field.params;
    }

    /** Releases the GPU textures. */
    public dispose(): void {
        if (this._disposed) {
            return;
        }
        this._disposed = true;
        this._density.dispose();
        this._sh.forEach((texture) => texture.dispose());
        this._occupancy.dispose();
    }
}

/** Texel data of a field: half-float bits and occupancy bytes. */
interface EncodedField {
    readonly density: Uint16Array;
    readonly sh: readonly [Uint16Array, Uint16Array, Uint16Array];
    readonly occupancy: Uint8Array;
}

function EncodeField(field: RadianceFieldData): EncodedField {
    const points = VoxelCount(field.params);
    const density = new Uint16Array(points);
    EncodeFloat16Saturated(field.density, density);
    // [r0..r3, g0..g3, b0..b3] per point -> one RGBA texel per point and channel.
    const channels = [new Float32Array(points * 4), new Float32Array(points * 4), new Float32Array(points * 4)];
    for (let v = 0; v < points; v++) {
        const source = v * ShCoefficientsPerPoint;
        for (let c = 0; c < 3; c++) {
            const target = channels[c];
            const from = source + 4 * c;
            target[4 * v] = field.sh[from];
            target[4 * v + 1] = field.sh[from + 1];
            target[4 * v + 2] = field.sh[from + 2];
            target[4 * v + 3] = field.sh[from + 3];
        }
    }
    const sh = channels.map((values) => {
        const bits = new Uint16Array(values.length);
        EncodeFloat16Saturated(values, bits);
        return bits;
    }) as [Uint16Array, Uint16Array, Uint16Array];
    const cells = OccupancyCellCount(field.params);
    const [ox, oy, oz] = field.params.occupancySize;
    const [bx, by] = [Math.ceil(ox / OccupancyBlock), Math.ceil(oy / OccupancyBlock)];
    const blocks = new Uint8Array(bx * by * Math.ceil(oz / OccupancyBlock));
    const blockOf = (cell: number): number => {
        const a = cell % ox;
        const b = Math.floor(cell / ox) % oy;
        const c = Math.floor(cell / (ox * oy));
        return Math.floor(a / OccupancyBlock) + bx * (Math.floor(b / OccupancyBlock) + by * Math.floor(c / OccupancyBlock));
    };
    for (let cell = 0; cell < cells; cell++) {
        if (OccupancyBit(field.occupancy, cell)) {
            blocks[blockOf(cell)] = 255;
        }
    }
    const occupancy = new Uint8Array(cells * 2);
    for (let cell = 0; cell < cells; cell++) {
        occupancy[2 * cell] = OccupancyBit(field.occupancy, cell) ? 255 : 0;
        occupancy[2 * cell + 1] = blocks[blockOf(cell)];
    }
    return { density, sh, occupancy };
}

/** Occupancy cells per block side (the coarse level rays skip first). */
export const OccupancyBlock = 4;

function CreateTexture(scene: Scene, name: string, data: ArrayBufferView, size: GridShape, format: number, type: number, linear: boolean): RawTexture3D {
    const sampling = linear ? Constants.TEXTURE_LINEAR_LINEAR : Constants.TEXTURE_NEAREST_NEAREST;
    const texture = new RawTexture3D(data, size[0], size[1], size[2], format, scene, false, false, sampling, type);
    texture.name = name;
    texture.wrapU = Constants.TEXTURE_CLAMP_ADDRESSMODE;
    texture.wrapV = Constants.TEXTURE_CLAMP_ADDRESSMODE;
    texture.wrapR = Constants.TEXTURE_CLAMP_ADDRESSMODE;
    return texture;
}

function SameShape(a: GridShape, b: GridShape): boolean {
    return a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
}

function CheckField(field: RadianceFieldData): void {
    const { gridSize, occupancySize } = field.params;
    if (gridSize.some((n) => !Number.isInteger(n) || n < 2) || occupancySize.some((n) => !Number.isInteger(n) || n < 1)) {
        throw new RangeError(`NerfFieldTextures: grid ${gridSize.join("x")} / occupancy ${occupancySize.join("x")} is not a valid field size (at least 2 points and 1 cell per axis)`);
    }
    const points = VoxelCount(field.params);
    if (field.density.length !== points) {
        throw new RangeError(`NerfFieldTextures: the density has ${field.density.length} values, the ${gridSize.join("x")} grid has ${points} points`);
    }
    if (field.sh.length !== points * ShCoefficientsPerPoint) {
        throw new RangeError(`NerfFieldTextures: the SH array has ${field.sh.length} values, the grid needs ${points * ShCoefficientsPerPoint}`);
    }
    const words = Math.ceil(OccupancyCellCount(field.params) / 32);
    if (field.occupancy.length < words) {
        throw new RangeError(`NerfFieldTextures: the occupancy has ${field.occupancy.length} words, ${occupancySize.join("x")} cells need ${words}`);
    }
}

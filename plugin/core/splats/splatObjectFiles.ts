import { SelectSplats } from "./splatCloud";
import { SplatFormatIsYUp, type SplatFile } from "./splatFile";
import { WriteSplatsAsPly } from "./splatPlyWriter";
import { EncodeSpzAsync } from "./spzCodec";

/** An object's splats as files. */
export interface SplatObjectFiles {
    /** A 3DGS PLY: the file's own vertex records for a standard 3DGS PLY (SH and extra properties kept), else the standard layout. */
    readonly exportPly: () => Uint8Array;
    /** An SPZ (version 2; PLY and .splat inputs turned into SPZ's axes). */
    readonly exportSpzAsync: () => Promise<Uint8Array>;
}

/**
 * Some of a file's splats as files, in the file's coordinates.
 * @param file the splat file
 * @param keep one flag per splat of the file
 * @param name the SPZ cloud's name
 * @returns the exports
 */
export function ObjectSplatFiles(file: SplatFile, keep: Uint8Array, name: string): SplatObjectFiles {
    return {
        exportPly: () => WriteSplatsAsPly(file, keep),
        exportSpzAsync: async () => await EncodeSpzAsync(SelectSplats(file.cloud, keep, name), { flipYZ: !SplatFormatIsYUp(file.format) }),
    };
}

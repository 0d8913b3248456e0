import { NullEngine } from "@babylonjs/core/Engines/nullEngine";
import { Scene } from "@babylonjs/core/scene";
import { ParseSogMeta } from "@babylonjs/loaders/SPLAT/sog.pure";
import { unzipSync } from "fflate";
import { SplatRowBytes } from "../core/splats/splatCloud";
import { SplatFileError } from "../core/splats/splatFileError";

/** The fflate functions Babylon's SPLAT loader takes for `.sog` bundles (so it never fetches fflate from a CDN). */
export const SogUnzip = { unzipSync };

/** The attributes a SOG's meta.json must describe. */
const SogAttributes = ["means", "scales", "quats", "sh0"] as const;

/**
 * Reads a SOG bundle (PlayCanvas's zip of meta.json and lossless WebP images) into splat rows with
 * Babylon's own SOG parser (on a throwaway engine: it only decodes the images), after checking the
 * bundle so a broken one is named: not a zip, no meta.json, an attribute or image missing.
 * @param bytes the `.sog` file
 * @param file its name, for messages
 * @returns Babylon's rows and the SH degree of the bundle
 * @throws SplatFileError naming the file and what is wrong
 */
export async function DecodeSogWithBabylonAsync(bytes: Uint8Array, file: string): Promise<{ rows: ArrayBuffer; shDegree: number }> {
    let entries: Record<string, Uint8Array>;
    try {
        entries = unzipSync(bytes);
    } catch (error) {
        throw new SplatFileError(file, `a SOG bundle is a zip, and this one cannot be unzipped (${error instanceof Error ? error.message : String(error)}; truncated?)`, { cause: error });
    }
    const meta = entries["meta.json"];
    if (!meta) {
        throw new SplatFileError(file, "the SOG bundle has no meta.json");
    }
    let parsed: Record<string, { files?: unknown; shape?: unknown } | undefined> & { count?: number };
    try {
        parsed = JSON.parse(new TextDecoder().decode(meta)) as typeof parsed;
    } catch (error) {
        throw new SplatFileError(file, `the SOG bundle's meta.json cannot be parsed (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    }
    const attributes = [...SogAttributes, ...(parsed.shN ? ["shN"] : [])];
    for (const attribute of attributes) {
        const files = parsed[attribute]?.files;
        if (!Array.isArray(files) || files.length === 0) {
            throw new SplatFileError(file, `the SOG bundle's meta.json does not describe "${attribute}"`);
        }
        const missing = (files as unknown[]).filter((name) => typeof name !== "string" || !entries[name]);
        if (missing.length > 0) {
            throw new SplatFileError(file, `the SOG bundle lacks ${missing.join(", ")} (listed for "${attribute}" in meta.json)`);
        }
    }
    const engine = new NullEngine();
    const scene = new Scene(engine);
    try {
        const result = (await ParseSogMeta(new Map(Object.entries(entries)), "", scene)) as { data: ArrayBuffer; shDegree?: number };
        if (result.data.byteLength % SplatRowBytes !== 0) {
            throw new Error(`${result.data.byteLength} bytes of rows`);
        }
        return { rows: result.data, shDegree: result.shDegree ?? 0 };
    } catch (error) {
        throw new SplatFileError(file, `Babylon's SOG parser could not read it (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    } finally {
        scene.dispose();
        engine.dispose();
    }
}

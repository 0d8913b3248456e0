// The CLI's output folder: one run per folder, described by its manifest (run.json: the command,
// the status, the files that belong to the run, the last training checkpoint). A folder that
// already holds a run is refused unless the user asks to replace it (--overwrite: the old run's
// files are removed first, so nothing of it is left beside the new one) or to continue it
// (--resume: training goes on from its checkpoint). Files that are not a run's are never removed.
import fs from "node:fs";
import path from "node:path";

/** The manifest's file name. */
export const ManifestName = "run.json";

/** Output names of runs written before manifests existed (removed by --overwrite when there is no manifest). */
const LegacyOutputs = ["report.json", "contact-sheet.png", "field.bin", "checkpoint.bin", "metrics.json", "render", "masks2d", "masks3d", "objectfield.bin", "fusion.json", "export.json", /^object-\d+\.glb$/];

/** A problem with the output folder: the CLI prints it and exits 1 before any work. */
export class RunFolderError extends Error {}

function readManifest(outDir) {
    const file = path.join(outDir, ManifestName);
    if (!fs.existsSync(file)) {
        return null;
    }
    try {
        const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
        return manifest && manifest.tool === "sanerf-pipeline" && Array.isArray(manifest.files) ? manifest : null;
    } catch {
        return null;
    }
}

/** Files under a folder, relative, recursively. */
export function filesUnder(folder, prefix = "") {
    if (!fs.existsSync(folder)) {
        return [];
    }
    return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(path.join(folder, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]));
}

/**
 * Makes the output folder ready for a run.
 * @param {string} outDir the folder
 * @param {{ overwrite: boolean, resume: boolean, capture: string }} how replace a run, continue one; the capture folder (a resumed run must be on the same)
 * @returns {{ kept: string[], resume: { checkpoint: string, iteration: number } | null, replaced: string[] }}
 *   files that are not the run's (left alone), the checkpoint to continue from, files removed
 * @throws RunFolderError naming the problem and what to do
 */
export function prepareRunFolder(outDir, how) {
    if (fs.existsSync(outDir) && !fs.statSync(outDir).isDirectory()) {
        throw new RunFolderError(`--out ${outDir} is a file, not a folder`);
    }
    try {
        fs.mkdirSync(outDir, { recursive: true });
        fs.accessSync(outDir, fs.constants.W_OK);
    } catch (error) {
        throw new RunFolderError(`--out ${outDir}: cannot write there (${error.code ?? error.message})`);
    }
    // uploads cut off by a killed run leave hidden temporary files (never under a final name): drop them
    for (const file of filesUnder(outDir).filter((name) => /^\..*\.part$/.test(path.basename(name)))) {
        fs.rmSync(path.join(outDir, file), { force: true });
    }
    const manifest = readManifest(outDir);
    const present = filesUnder(outDir).filter((file) => !path.basename(file).startsWith("."));
    if (how.resume) {
        if (!manifest) {
            throw new RunFolderError(`--resume: ${outDir} holds no run to continue (no ${ManifestName})`);
        }
        if (manifest.capture !== how.capture) {
            throw new RunFolderError(`--resume: the run in ${outDir} was made from ${manifest.capture}, not ${how.capture}`);
        }
        const checkpoint = manifest.checkpoint && fs.existsSync(path.join(outDir, manifest.checkpoint.file)) ? manifest.checkpoint : null;
        if (!checkpoint) {
            throw new RunFolderError(`--resume: the run in ${outDir} saved no training checkpoint to continue from`);
        }
        return { kept: [], resume: { checkpoint: path.join(outDir, checkpoint.file), iteration: checkpoint.iteration }, replaced: [] };
    }
    const isOutput = (file) => LegacyOutputs.some((name) => (typeof name === "string" ? file === name || file.startsWith(`${name}/`) : name.test(file)));
    const owned = manifest ? new Set([...manifest.files, ManifestName]) : new Set(present.filter(isOutput));
    const foreign = present.filter((file) => !owned.has(file) && file !== ManifestName);
    if (owned.size > 0 && present.some((file) => owned.has(file))) {
        if (!how.overwrite) {
            const what = manifest ? `a run (${manifest.status}, started ${manifest.started})` : `the outputs of an earlier run (${[...owned].slice(0, 3).join(", ")}${owned.size > 3 ? ", ..." : ""})`;
            throw new RunFolderError(`--out ${outDir} already holds ${what}: give --overwrite to replace it, --resume to continue its training, or another folder`);
        }
        const replaced = present.filter((file) => owned.has(file));
        for (const file of replaced) {
            fs.rmSync(path.join(outDir, file), { force: true });
        }
        removeEmptyFolders(outDir);
        return { kept: foreign, resume: null, replaced };
    }
    return { kept: foreign, resume: null, replaced: [] };
}

function removeEmptyFolders(folder) {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
        if (entry.isDirectory()) {
            const inner = path.join(folder, entry.name);
            removeEmptyFolders(inner);
            if (fs.readdirSync(inner).length === 0) {
                fs.rmdirSync(inner);
            }
        }
    }
}

/**
 * Writes the manifest atomically (a temporary file renamed into place).
 * @param {string} outDir the folder
 * @param {object} manifest what to write (tool and version are added)
 */
export function writeManifest(outDir, manifest) {
    const file = path.join(outDir, ManifestName);
    const temporary = `${file}.${process.pid}.part`;
    fs.writeFileSync(temporary, JSON.stringify({ tool: "sanerf-pipeline", version: 1, ...manifest }, null, 2) + "\n");
    fs.renameSync(temporary, file);
}

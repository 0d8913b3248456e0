// Temporary folders for the end-to-end tests: made under the system's temp folder and removed when
// the test process exits with every test passed (after a failure they stay, to be looked at).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const made = [];

process.on("exit", (code) => {
    if (code === 0 && !process.exitCode) {
        made.forEach((folder) => fs.rmSync(folder, { recursive: true, force: true }));
    }
});

/**
 * A new empty folder named sanerf-<name>-XXXXXX, removed when this test process exits cleanly.
 * @param {string} name what the folder is for
 * @returns {string} its absolute path
 */
export function temporaryFolder(name) {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), `sanerf-${name}-`));
    made.push(folder);
    return folder;
}

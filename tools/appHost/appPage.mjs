// Opens one of the built app's pages (pipeline.html, generator.html) in Debian's Chromium with
// WebGPU, served from 127.0.0.1 together with extra folders; builds the app first when the build
// is missing or older than the sources. Used by the pipeline CLI, the generator and the benchmarks.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startStaticServer } from "./staticServer.mjs";
import { launchChromium, blockExternalRequests } from "./browser.mjs";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** Everything the app build reads: the plugin, its shaders and workers, the apps' pages, the sample scenes. */
const sourceFolders = ["plugin", "shaders", "workers", "tools", "sample-scenes"];

function newestMtime(folder) {
    let newest = 0;
    if (!fs.existsSync(folder)) {
        return 0;
    }
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
        const full = path.join(folder, entry.name);
        newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
    }
    return newest;
}

/** Builds dist/app (development mode: fast) unless it is newer than every source file. */
export function ensureAppBuilt({ log = console.error } = {}) {
    const marker = path.join(root, "dist/app/pipeline.html");
    const built = fs.existsSync(marker) ? fs.statSync(marker).mtimeMs : 0;
    const newest = Math.max(...sourceFolders.map((folder) => newestMtime(path.join(root, folder))));
    if (built > newest && process.env.SANERF_REBUILD !== "1") {
        return;
    }
    log("building the app (webpack, development mode)...");
    const result = spawnSync(path.join(root, "node_modules/.bin/webpack"), ["--env", "only=app", "--mode", "development"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
    if (result.status !== 0) {
        throw new Error("webpack build of the app failed");
    }
}

/**
 * Serves the app (+ mounts/uploads), launches Chromium and opens `page`, waiting for
 * `window[readyGlobal]`. Every request that would leave 127.0.0.1 is blocked and reported.
 * @returns {Promise<{ page, url: string, external: string[], close: () => Promise<void> }>}
 */
export async function openAppPage({ page: pageName, readyGlobal, mounts = {}, uploads = {}, log = console.error }) {
    ensureAppBuilt({ log });
    const server = await startStaticServer({ mounts: { "/": path.join(root, "dist/app"), ...mounts }, uploads });
    const browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const external = await blockExternalRequests(context);
    const page = await context.newPage();
    page.on("console", (message) => {
        const text = message.text();
        if (text.startsWith("[pipeline]") || text.startsWith("[generator]") || text.startsWith("[bench]")) {
            log(text);
        } else if (message.type() === "error" || message.type() === "warning" || process.env.SANERF_VERBOSE === "1") {
            log(`[page ${message.type()}] ${text}`);
        }
    });
    page.on("pageerror", (error) => log(`[page error] ${error.message}`));
    await page.goto(`${server.url}/${pageName}`);
    await page.waitForFunction((name) => window[name] !== undefined, readyGlobal, { timeout: 120000 });
    return {
        page,
        url: server.url,
        external,
        close: async () => {
            await browser.close();
            await server.close();
        },
    };
}

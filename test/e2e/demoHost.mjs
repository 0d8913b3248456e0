// The built app (dist/app) served on 127.0.0.1 with Debian's Chromium, for the end-to-end tests
// that open the demo editor: `useDemoHost()` starts both before a file's tests and stops them after.
import { before, after } from "node:test";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startStaticServer } from "../../tools/appHost/staticServer.mjs";
import { launchChromium } from "../../tools/appHost/browser.mjs";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Serves dist/app (and extra mounts) and launches Chromium around a test file.
 * @param {Record<string, string | (() => string)>} mounts extra URL prefixes -> folders (a function is read when the server starts)
 * @returns {{ server: { url: string }, browser: import("playwright-core").Browser }} filled in before the tests run
 */
export function useDemoHost(mounts = {}) {
    const host = { server: null, browser: null };
    before(async () => {
        const resolved = Object.fromEntries(Object.entries(mounts).map(([prefix, folder]) => [prefix, typeof folder === "function" ? folder() : folder]));
        host.server = await startStaticServer({ mounts: { "/": path.join(root, "dist/app"), ...resolved } });
        host.browser = await launchChromium();
    });
    after(async () => {
        await host.browser?.close();
        await host.server?.close();
    });
    return host;
}

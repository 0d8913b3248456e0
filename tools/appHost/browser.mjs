// Launches Debian's Chromium (never a downloaded browser) through playwright-core with the
// WebGPU-on-SwiftShader flags, and records every request a page makes.
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const chromiumFlags = require("../chromiumFlags.cjs");

/**
 * @param {{ headless?: boolean }} [options]
 * @returns {Promise<import("playwright-core").Browser>}
 */
export async function launchChromium(options = {}) {
    const executablePath = process.env.CHROME_BIN || "/usr/bin/chromium";
    return chromium.launch({ executablePath, headless: options.headless ?? true, args: chromiumFlags });
}

/**
 * Blocks and records every request that would leave 127.0.0.1.
 * @param {import("playwright-core").BrowserContext | import("playwright-core").Page} target
 * @returns {Promise<string[]>} the list the external URLs are appended to
 */
export async function blockExternalRequests(target) {
    const external = [];
    await target.route("**/*", (route) => {
        const url = new URL(route.request().url());
        const local = url.protocol === "data:" || url.protocol === "blob:" || url.hostname === "127.0.0.1";
        if (local) {
            return route.continue();
        }
        external.push(url.href);
        return route.abort("blockedbyclient");
    });
    return external;
}

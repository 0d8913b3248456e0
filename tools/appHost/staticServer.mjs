// A small static file server bound to 127.0.0.1, for the pipeline runner, the benchmarks and
// the end-to-end tests. Mounts map URL prefixes to folders; paths may not escape a mount.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

const types = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".onnx": "application/octet-stream",
    ".glb": "model/gltf-binary",
    ".npy": "application/octet-stream",
    ".map": "application/json",
    ".css": "text/css",
};

/** Resolves a URL path inside a folder; null when it would escape the folder. */
function resolveInside(folder, relative) {
    const root = path.resolve(folder);
    const file = path.resolve(root, "." + path.posix.sep + relative);
    return file === root || file.startsWith(root + path.sep) ? file : null;
}

/** An HTML index of a folder (links relative to it), like common static servers' autoindex. */
function listing(folder) {
    const names = fs.readdirSync(folder, { withFileTypes: true }).map((entry) => entry.name + (entry.isDirectory() ? "/" : ""));
    const links = names.sort().map((name) => `<a href="${encodeURI(name)}">${name}</a>`).join("\n");
    return `<!doctype html><title>index</title><pre>\n${links}\n</pre>`;
}

/**
 * Starts the server.
 * @param {{ mounts: Record<string, string>, uploads?: Record<string, string>, port?: number }} options
 *   mounts: URL prefix ("/", "/capture/") -> folder served read-only (folders without index.html
 *   are listed); uploads: URL prefix -> folder that PUT requests write into (the pipeline's out dir)
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function startStaticServer({ mounts, uploads = {}, port = 0 }) {
    const entries = Object.entries(mounts).sort((a, b) => b[0].length - a[0].length);
    const uploadEntries = Object.entries(uploads);
    const server = http.createServer((request, response) => {
        const url = new URL(request.url, "http://127.0.0.1");
        const pathname = decodeURIComponent(url.pathname);
        if (request.method === "PUT") {
            const upload = uploadEntries.find(([prefix]) => pathname.startsWith(prefix));
            const target = upload && resolveInside(upload[1], pathname.slice(upload[0].length));
            if (!target) {
                response.writeHead(403).end("forbidden");
                return;
            }
            fs.mkdirSync(path.dirname(target), { recursive: true });
            const stream = fs.createWriteStream(target);
            request.pipe(stream);
            stream.on("finish", () => response.writeHead(201).end("written"));
            stream.on("error", (error) => response.writeHead(500).end(String(error)));
            return;
        }
        const mount = entries.find(([prefix]) => pathname.startsWith(prefix));
        if (!mount) {
            response.writeHead(404).end("not found");
            return;
        }
        const [prefix, folder] = mount;
        let file = resolveInside(folder, pathname.slice(prefix.length));
        if (!file) {
            response.writeHead(403).end("forbidden");
            return;
        }
        if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
            if (!fs.existsSync(path.join(file, "index.html"))) {
                response.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" }).end(listing(file));
                return;
            }
            file = path.join(file, "index.html");
        }
        fs.readFile(file, (error, data) => {
            if (error) {
                response.writeHead(404).end("not found");
                return;
            }
            response.writeHead(200, {
                "Content-Type": types[path.extname(file).toLowerCase()] || "application/octet-stream",
                "Cache-Control": "no-store",
            });
            response.end(data);
        });
    });
    await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
    const address = server.address();
    return {
        url: `http://127.0.0.1:${address.port}`,
        close: () => new Promise((resolve) => server.close(() => resolve())),
    };
}

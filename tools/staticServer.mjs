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

/**
 * Starts the server.
 * @param {{ mounts: Record<string, string>, port?: number }} options URL prefix ("/", "/shared/") -> folder
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function startStaticServer({ mounts, port = 0 }) {
    const entries = Object.entries(mounts).sort((a, b) => b[0].length - a[0].length);
    const server = http.createServer((request, response) => {
        const url = new URL(request.url, "http://127.0.0.1");
        const pathname = decodeURIComponent(url.pathname);
        const mount = entries.find(([prefix]) => pathname.startsWith(prefix));
        if (!mount) {
            response.writeHead(404).end("not found");
            return;
        }
        const [prefix, folder] = mount;
        let file = path.resolve(folder, "." + path.posix.sep + pathname.slice(prefix.length));
        if (!file.startsWith(path.resolve(folder))) {
            response.writeHead(403).end("forbidden");
            return;
        }
        if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
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

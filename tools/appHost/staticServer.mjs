// A small static file server bound to 127.0.0.1, for the pipeline runner, the benchmarks and the
// end-to-end tests. Mounts map URL prefixes to folders served read-only; uploads map prefixes to
// folders that PUT requests write into (the pipeline's --out). It survives any request: malformed
// paths and encodings get 400, paths that leave a mount (through "..", or a symbolic link) 403,
// other Host headers 421 (a web page cannot rebind its DNS name to it), bodies over the upload
// limit 413, headers over Node's limit 431. An upload is written to a temporary file beside its
// target and renamed into place when complete, so a killed PUT never leaves a truncated file under
// the final name.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";

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
    ".txt": "text/plain; charset=utf-8",
};

/** Default largest upload: 4 GiB (a field file of a 512³ grid is under 1 GiB). */
export const DefaultMaxUploadBytes = 4 * 2 ** 30;

/** An answer to a bad request: the status and a one-line reason. */
class RequestError extends Error {
    constructor(status, message) {
        super(message);
        this.status = status;
    }
}

/** The request's path, decoded; RequestError for malformed encodings and NUL bytes. */
function DecodedPath(requestUrl) {
    let pathname;
    try {
        pathname = decodeURIComponent(new URL(requestUrl, "http://127.0.0.1").pathname);
    } catch {
        throw new RequestError(400, "malformed URL");
    }
    if (pathname.includes("\0")) {
        throw new RequestError(400, "NUL byte in the path");
    }
    return pathname;
}

/** A path inside a folder (lexically); RequestError 403 when ".." would leave it. */
function LexicallyInside(folder, relative) {
    const root = path.resolve(folder);
    const file = path.resolve(root, "." + path.posix.sep + relative);
    if (file !== root && !file.startsWith(root + path.sep)) {
        throw new RequestError(403, "the path leaves its folder");
    }
    return file;
}

/** Whether a real path lies in a real folder. */
function IsWithin(realFolder, realPath) {
    return realPath === realFolder || realPath.startsWith(realFolder + path.sep);
}

/**
 * A path for reading inside a mount, symbolic links resolved: null when it does not exist,
 * RequestError 403 when it (or a link on the way) leads out of the mount.
 */
function ReadablePath(folder, relative) {
    const file = LexicallyInside(folder, relative);
    let real;
    try {
        real = fs.realpathSync(file);
    } catch {
        return null;
    }
    if (!IsWithin(fs.realpathSync(folder), real)) {
        throw new RequestError(403, "the path leads out of its folder");
    }
    return real;
}

/**
 * A path for writing inside an upload folder: its deepest existing ancestor, links resolved, must
 * lie in the folder, and the target must not be a link or a folder.
 */
function WritablePath(folder, relative) {
    const file = LexicallyInside(folder, relative);
    const realFolder = fs.realpathSync(folder);
    let existing = path.dirname(file);
    while (!fs.existsSync(existing)) {
        existing = path.dirname(existing);
    }
    if (!IsWithin(realFolder, fs.realpathSync(existing))) {
        throw new RequestError(403, "the path leads out of its folder");
    }
    if (existing !== path.dirname(file) || !fs.statSync(existing).isDirectory()) {
        // folders to make: none of them may exist as a file
        for (let parent = path.dirname(file); ; parent = path.dirname(parent)) {
            const stat = fs.statSync(parent, { throwIfNoEntry: false });
            if (stat && !stat.isDirectory()) {
                throw new RequestError(409, `${path.relative(folder, parent)} is a file, not a folder`);
            }
            if (parent === existing) {
                break;
            }
        }
    }
    const stat = fs.lstatSync(file, { throwIfNoEntry: false });
    if (stat?.isSymbolicLink()) {
        throw new RequestError(403, "the target is a symbolic link");
    }
    if (stat?.isDirectory()) {
        throw new RequestError(409, `${relative} is a folder`);
    }
    return file;
}

/** HTML-escapes a file name for a listing. */
function Escape(text) {
    return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/** An HTML index of a folder (links relative to it), like common static servers' autoindex. */
function Listing(folder) {
    const names = fs.readdirSync(folder, { withFileTypes: true }).map((entry) => entry.name + (entry.isDirectory() ? "/" : ""));
    const links = names.sort().map((name) => `<a href="${Escape(encodeURIComponent(name).replace(/%2F$/, "/"))}">${Escape(name)}</a>`).join("\n");
    return `<!doctype html><title>index</title><pre>\n${links}\n</pre>`;
}

/** Receives a PUT body into a temporary file beside the target, renamed into place when complete. */
function ReceiveUpload(request, response, target, maxBytes) {
    const declared = Number(request.headers["content-length"]);
    if (Number.isFinite(declared) && declared > maxBytes) {
        throw new RequestError(413, `the upload is larger than ${maxBytes} bytes`);
    }
    try {
        fs.mkdirSync(path.dirname(target), { recursive: true });
    } catch (error) {
        throw new RequestError(409, `cannot make the folder for ${path.basename(target)}: ${error.code ?? error.message}`);
    }
    const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${crypto.randomBytes(6).toString("hex")}.part`);
    const stream = fs.createWriteStream(temporary, { flags: "wx" });
    let received = 0;
    let failed = false;
    const fail = (status, message) => {
        if (failed) {
            return;
        }
        failed = true;
        request.unpipe(stream);
        stream.destroy();
        fs.rm(temporary, { force: true }, () => undefined);
        // consume the rest so the connection can close
        request.resume();
        if (!response.headersSent) {
            response.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", Connection: "close" }).end(message);
        }
    };
    request.on("data", (chunk) => {
        received += chunk.length;
        if (received > maxBytes) {
            fail(413, `the upload is larger than ${maxBytes} bytes`);
        }
    });
    request.on("aborted", () => fail(400, "the upload was aborted"));
    request.on("error", () => fail(400, "the upload broke off"));
    stream.on("error", (error) => fail(500, `could not write ${path.basename(target)}: ${error.code ?? error.message}`));
    stream.on("finish", () => {
        if (failed) {
            return;
        }
        if (request.readableAborted || (Number.isFinite(declared) && received !== declared)) {
            fail(400, "the upload is incomplete");
            return;
        }
        fs.rename(temporary, target, (error) => {
            if (error) {
                fail(500, `could not write ${path.basename(target)}: ${error.code ?? error.message}`);
            } else {
                response.writeHead(201).end("written");
            }
        });
    });
    request.pipe(stream);
}

/**
 * Starts the server.
 * @param {{ mounts: Record<string, string>, uploads?: Record<string, string>, port?: number, maxUploadBytes?: number }} options
 *   mounts: URL prefix ("/", "/capture/") -> folder served read-only (folders without index.html
 *   are listed); uploads: URL prefix -> folder that PUT requests write into; maxUploadBytes: the
 *   largest PUT body accepted
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function startStaticServer({ mounts, uploads = {}, port = 0, maxUploadBytes = DefaultMaxUploadBytes }) {
    const entries = Object.entries(mounts).sort((a, b) => b[0].length - a[0].length);
    const uploadEntries = Object.entries(uploads).sort((a, b) => b[0].length - a[0].length);
    let allowedHosts = new Set();
    const server = http.createServer((request, response) => {
        try {
            if (!allowedHosts.has(String(request.headers.host ?? "").toLowerCase())) {
                throw new RequestError(421, "this server answers only 127.0.0.1 and localhost");
            }
            const pathname = DecodedPath(request.url ?? "/");
            if (request.method === "PUT") {
                const upload = uploadEntries.find(([prefix]) => pathname.startsWith(prefix));
                if (!upload) {
                    throw new RequestError(403, "uploads are not allowed here");
                }
                ReceiveUpload(request, response, WritablePath(upload[1], pathname.slice(upload[0].length)), maxUploadBytes);
                return;
            }
            if (request.method !== "GET" && request.method !== "HEAD") {
                throw new RequestError(405, `${request.method} is not allowed`);
            }
            const mount = entries.find(([prefix]) => pathname.startsWith(prefix));
            let file = mount ? ReadablePath(mount[1], pathname.slice(mount[0].length)) : null;
            if (!file) {
                throw new RequestError(404, "not found");
            }
            if (fs.statSync(file).isDirectory()) {
                const index = ReadablePath(mount[1], path.posix.join(pathname.slice(mount[0].length), "index.html"));
                if (!index) {
                    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" }).end(Listing(file));
                    return;
                }
                file = index;
            }
            const size = fs.statSync(file).size;
            const stream = fs.createReadStream(file);
            stream.on("open", () => {
                response.writeHead(200, { "Content-Type": types[path.extname(file).toLowerCase()] || "application/octet-stream", "Content-Length": size, "Cache-Control": "no-store" });
                if (request.method === "HEAD") {
                    stream.destroy();
                    response.end();
                } else {
                    stream.pipe(response);
                }
            });
            stream.on("error", () => {
                if (!response.headersSent) {
                    response.writeHead(404).end("not found");
                } else {
                    response.destroy();
                }
            });
        } catch (error) {
            const status = error instanceof RequestError ? error.status : 500;
            request.resume();
            if (!response.headersSent) {
                response.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", Connection: "close" }).end(error instanceof RequestError ? error.message : "internal error");
            }
        }
    });
    server.on("clientError", (error, socket) => {
        if (socket.writable) {
            socket.end(`HTTP/1.1 ${error.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request"}\r\nConnection: close\r\n\r\n`);
        } else {
            socket.destroy();
        }
    });
    await new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", resolve);
    });
    const address = server.address();
    allowedHosts = new Set([`127.0.0.1:${address.port}`, `localhost:${address.port}`]);
    return {
        url: `http://127.0.0.1:${address.port}`,
        close: () =>
            new Promise((resolve) => {
                server.close(() => resolve());
                // open keep-alive or half-read connections must not keep the process alive
                server.closeAllConnections();
            }),
    };
}

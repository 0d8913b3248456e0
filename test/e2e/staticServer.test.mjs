// The static server the CLI, the benchmarks and these tests use survives any request, never leaves
// its mounts, checks the Host header, escapes listings, bounds and completes uploads atomically.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { startStaticServer } from "../../tools/appHost/staticServer.mjs";

let server;
let port;
let base;
let served;
let outside;
let uploads;

/** Sends raw bytes as an HTTP request and resolves with the status code (0 when the socket closed without an answer). */
function rawRequest(text, body = null, { destroyAfterWrite = false } = {}) {
    return new Promise((resolve) => {
        const socket = net.connect(port, "127.0.0.1");
        let answer = "";
        socket.on("data", (chunk) => (answer += chunk.toString("latin1")));
        socket.on("error", () => undefined);
        socket.on("close", () => resolve({ status: Number(answer.match(/^HTTP\/1\.1 (\d{3})/)?.[1] ?? 0), text: answer }));
        socket.write(text, "latin1");
        if (body) {
            socket.write(body);
        }
        // the server closes the connection after its answer (Connection: close); a request cut short is destroyed
        setTimeout(() => socket.destroy(), destroyAfterWrite ? 100 : 5000).unref();
    });
}

const get = (target, host = `127.0.0.1:${port}`) => rawRequest(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
const put = (target, body, headers = "") => rawRequest(`PUT ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n${headers}\r\n`, body);

before(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), "sanerf-server-"));
    served = path.join(base, "served");
    outside = path.join(base, "outside");
    uploads = path.join(base, "out");
    fs.mkdirSync(path.join(served, "sub"), { recursive: true });
    fs.mkdirSync(outside);
    fs.mkdirSync(uploads);
    fs.writeFileSync(path.join(served, "a.txt"), "hello");
    fs.writeFileSync(path.join(served, "sub", "<script>alert(1)<\\script>.txt"), "x");
    fs.writeFileSync(path.join(outside, "secret.txt"), "secret");
    fs.symlinkSync(outside, path.join(served, "escape"));
    fs.symlinkSync(outside, path.join(uploads, "escape"));
    fs.writeFileSync(path.join(uploads, "render"), "a file where a folder is wanted");
    server = await startStaticServer({ mounts: { "/": served }, uploads: { "/__out/": uploads }, maxUploadBytes: 1000 });
    port = Number(new URL(server.url).port);
});

after(async () => {
    await server?.close();
    fs.rmSync(base, { recursive: true, force: true });
});

test("serves files and refuses what leaves the mount, bad encodings and other hosts, and stays up", async () => {
    assert.equal((await get("/a.txt")).status, 200);
    assert.match((await get("/a.txt")).text, /\r\n\r\nhello$/);
    assert.equal((await get("/a.txt%00.png")).status, 400, "NUL byte");
    assert.equal((await get("/%E0%A4%A")).status, 400, "malformed percent-encoding");
    assert.equal((await get("/../outside/secret.txt")).status === 200, false, "dot-dot");
    assert.equal((await get("/%2E%2E/outside/secret.txt")).status === 200, false, "encoded dot-dot");
    assert.equal((await get("/escape/secret.txt")).status, 403, "a symbolic link out of the mount");
    assert.equal((await get("/a.txt", "evil.example:80")).status, 421, "DNS rebinding: another Host");
    assert.equal((await get("/a.txt", `localhost:${port}`)).status, 200);
    assert.equal((await rawRequest(`GET /a.txt HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\nX-Big: ${"a".repeat(70000)}\r\n\r\n`)).status, 431, "huge header");
    assert.equal((await rawRequest("NONSENSE\r\n\r\n")).status, 400);
    assert.equal((await rawRequest(`DELETE /a.txt HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`)).status, 405);
    const listing = (await get("/sub/")).text;
    assert.doesNotMatch(listing, /<script>/, "listing escapes file names");
    assert.match(listing, /&lt;script&gt;/);
    // fuzz: random paths of random bytes never take the server down
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < 300; i++) {
        const length = 1 + Math.floor(random() * 40);
        const bytes = Array.from({ length }, () => {
            const pick = random();
            return pick < 0.3 ? "%" + Math.floor(random() * 256).toString(16).padStart(2, "0") : pick < 0.4 ? "%" : pick < 0.5 ? "/" : pick < 0.6 ? ".." : String.fromCharCode(33 + Math.floor(random() * 94));
        }).join("");
        const { status } = await get(`/${bytes.replace(/[\s]/g, "")}`);
        assert.ok(status === 0 || (status >= 200 && status < 500), `status ${status} for /${bytes}`);
    }
    assert.equal((await get("/a.txt")).status, 200, "still serving after the fuzz");
});

test("uploads: atomic, bounded, inside the upload folder, and errors answered without hanging", async () => {
    assert.equal((await put("/__out/run/field.bin", Buffer.from("0123456789"))).status, 201);
    assert.equal(fs.readFileSync(path.join(uploads, "run/field.bin"), "utf8"), "0123456789");
    assert.equal((await put("/__out/escape/evil.txt", Buffer.from("x"))).status, 403, "through a link out of the folder");
    assert.ok(!fs.existsSync(path.join(outside, "evil.txt")));
    assert.equal((await put("/__out/../served/a.txt", Buffer.from("x"))).status === 201, false);
    assert.equal(fs.readFileSync(path.join(served, "a.txt"), "utf8"), "hello");
    assert.equal((await put("/__out/big.bin", Buffer.alloc(2000))).status, 413, "over the upload limit");
    assert.ok(!fs.existsSync(path.join(uploads, "big.bin")));
    assert.equal((await put("/__out/render/0000.png", Buffer.from("x"))).status, 409, "a file where a folder is wanted");
    assert.equal((await put("/__out/run", Buffer.from("x"))).status, 409, "a folder where a file is wanted");
    assert.equal((await put("/not-an-upload-prefix/x", Buffer.from("x"))).status, 403);
    // a PUT that breaks off: no file under the final name, no temporary left behind
    await rawRequest(`PUT /__out/run/cut.bin HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 900\r\n\r\n`, Buffer.alloc(100), { destroyAfterWrite: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(fs.readdirSync(path.join(uploads, "run")).sort(), ["field.bin"]);
    // an earlier complete file is replaced only by a complete one
    await rawRequest(`PUT /__out/run/field.bin HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 900\r\n\r\n`, Buffer.alloc(100), { destroyAfterWrite: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(fs.readFileSync(path.join(uploads, "run/field.bin"), "utf8"), "0123456789");
});

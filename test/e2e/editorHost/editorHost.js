// A stand-in for the Babylon.js Editor's renderer, for testing the plugin's Editor build without
// Electron. What it reproduces, from the Editor's source (BabylonJS/Editor at fdf0a2a8):
// - editor/src/editor/overrides.ts: `babylonjs-editor` -> the Editor's module; any request that
//   starts with `babylonjs` -> the Editor's UMD Babylon (here the real npm `babylonjs*` 9.x UMD
//   builds, loaded by <script> tags); any request that starts with `react` -> the Editor's React
//   (here the repository's react / react-dom CommonJS builds). A request for `@babylonjs/*` throws:
//   the Editor does not redirect it, and a plugin that makes it gets a second engine.
// - editor/src/tools/plugins/require.ts: the plugin is `require`d as CommonJS, with __dirname its folder.
// - editor/src/editor/layout.tsx: layout.addLayoutTab / removeLayoutTab (rendered with react-dom),
//   layout.preview { engine (WebGL2), scene, camera, gizmo, setState }, graph, inspector, console.
// - editor/src/tools/observables.ts: onProjectSavedObservable, onNodesAddedObservable.
// - editor/src/project/save/scene.ts and load/scene.ts: meshes whose getClassName() is "Mesh" are
//   saved with SceneSerializer.SerializeMesh plus their metadata, and loaded back as plain meshes.
// Node's fs/promises is backed by the test server (GET and PUT under /project/).
/* global BABYLON */
(function () {
    const modules = new Map();
    const sources = new Map();
    const requests = [];

    /** Fetches the text of a module file (all files are fetched before anything runs: require is synchronous). */
    async function prefetch(url) {
        if (sources.has(url)) {
            return;
        }
        const response = await fetch(url);
        if (!response.ok) {
            throw new Error(`${url}: HTTP ${response.status}`);
        }
        const text = await response.text();
        sources.set(url, text);
        for (const match of text.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)) {
            const target = resolve(match[1], url);
            if (target) {
                await prefetch(target);
            }
        }
    }

    /** The URL a request names: relative files, or packages served under /node_modules/ (only the Editor's React). */
    function resolve(request, from) {
        if (request.startsWith(".")) {
            const url = new URL(request, from).href;
            return url.endsWith(".js") || url.endsWith(".json") ? url : `${url}.js`;
        }
        if (/^(react|react-dom|scheduler)(\/|$)/.test(request)) {
            const [name, ...rest] = request.split("/");
            return new URL(`/node_modules/${name}/${rest.length > 0 ? rest.join("/") : "index"}.js`, location.href).href;
        }
        return null;
    }

    function execute(url) {
        if (modules.has(url)) {
            return modules.get(url).exports;
        }
        const module = { exports: {} };
        modules.set(url, module);
        const dirname = url.replace(/[^/]*$/, "");
        const process = { env: { NODE_ENV: "production" } };
        const wrapper = new Function("module", "exports", "require", "__dirname", "__filename", "process", `${sources.get(url)}\n//# sourceURL=${url}`);
        wrapper(module, module.exports, (request) => editorRequire(request, url), dirname, url, process);
        return module.exports;
    }

    /** The Editor's require, as overrides.ts redirects it. */
    function editorRequire(request, from) {
        requests.push(request);
        if (request.startsWith("@babylonjs/")) {
            throw new Error(`the plugin asked for "${request}": @babylonjs/* is not redirected by the Editor (a second Babylon engine)`);
        }
        if (request.startsWith("babylonjs-editor")) {
            return window.editorHost.editorModule;
        }
        if (request.startsWith("babylonjs-gui")) {
            return BABYLON.GUI;
        }
        if (request.startsWith("babylonjs")) {
            // babylonjs, babylonjs-loaders, babylonjs-materials...: the Editor's UMD Babylon
            return BABYLON;
        }
        if (request === "fs/promises") {
            return projectFs;
        }
        const url = resolve(request, from);
        if (!url || !sources.has(url)) {
            throw new Error(`Cannot find module '${request}' (required from ${from})`);
        }
        return execute(url);
    }

    /** Node's fs/promises over the test server: paths under /project map to /project/ URLs. */
    const pending = new Map();
    const projectFs = {
        async readFile(path) {
            const response = await fetch(path);
            if (!response.ok) {
                throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: "ENOENT" });
            }
            return new Uint8Array(await response.arrayBuffer());
        },
        async writeFile(path, data) {
            if (path.endsWith(".part")) {
                pending.set(path, data);
                return;
            }
            await put(path, data);
        },
        async rename(from, to) {
            await put(to, pending.get(from));
            pending.delete(from);
        },
        async mkdir() {
            return undefined;
        },
    };

    async function put(path, data) {
        const response = await fetch(path, { method: "PUT", body: data });
        if (!response.ok) {
            throw new Error(`${path}: HTTP ${response.status}`);
        }
    }

    /** Fetches a package request's files (and what they require). */
    async function prefetchModule(request) {
        await prefetch(resolve(request, location.href));
    }

    window.editorHost = { prefetch, prefetchModule, execute, editorRequire, requests, projectFs, put };
})();

#!/usr/bin/env node
// Finds import cycles among the repository's TypeScript sources (plugin/, shaders/, workers/,
// tools/, sample-scenes/, test/), type-only imports included: a cycle means two modules that
// cannot be understood (or tested) one without the other. Exits 1 and names each cycle found.
// Run by `npm test` (after ESLint, which enforces the folder boundaries).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const folders = ["plugin", "shaders", "workers", "tools", "sample-scenes", "test"];
const aliases = Object.fromEntries(folders.map((folder) => [`@${folder}/`, `${folder}/`]));

function sourceFiles(folder) {
    const out = [];
    for (const entry of fs.readdirSync(path.join(root, folder), { withFileTypes: true })) {
        const relative = `${folder}/${entry.name}`;
        if (entry.isDirectory()) {
            if (entry.name !== "captures" && entry.name !== "node_modules") {
                out.push(...sourceFiles(relative));
            }
        } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts")) {
            out.push(relative);
        }
    }
    return out;
}

/** The repository file an import names, or null for packages and assets. */
function resolveImport(from, specifier) {
    const alias = Object.keys(aliases).find((prefix) => specifier.startsWith(prefix));
    let base;
    if (alias) {
        base = aliases[alias] + specifier.slice(alias.length);
    } else if (specifier.startsWith(".")) {
        base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
    } else {
        return null;
    }
    for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`]) {
        if (/\.tsx?$/.test(candidate) && fs.existsSync(path.join(root, candidate))) {
            return candidate;
        }
    }
    return null;
}

const files = folders.filter((folder) => fs.existsSync(path.join(root, folder))).flatMap(sourceFiles);
const graph = new Map();
for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    const targets = new Set();
    for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)) {
        const target = resolveImport(file, match[1] ?? match[2]);
        if (target) {
            targets.add(target);
        }
    }
    graph.set(file, [...targets]);
}

// Tarjan's strongly connected components: every component with more than one file is a cycle.
let index = 0;
const indices = new Map();
const lowlinks = new Map();
const stack = [];
const onStack = new Set();
const cycles = [];
function connect(file) {
    indices.set(file, index);
    lowlinks.set(file, index);
    index++;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
        if (!indices.has(target)) {
            connect(target);
            lowlinks.set(file, Math.min(lowlinks.get(file), lowlinks.get(target)));
        } else if (onStack.has(target)) {
            lowlinks.set(file, Math.min(lowlinks.get(file), indices.get(target)));
        }
    }
    if (lowlinks.get(file) === indices.get(file)) {
        const component = [];
        let member;
        do {
            member = stack.pop();
            onStack.delete(member);
            component.push(member);
        } while (member !== file);
        if (component.length > 1 || (graph.get(file) ?? []).includes(file)) {
            cycles.push(component.sort());
        }
    }
}
for (const file of graph.keys()) {
    if (!indices.has(file)) {
        connect(file);
    }
}
if (cycles.length > 0) {
    console.error(`${cycles.length} import cycle(s):\n${cycles.map((cycle) => `  - ${cycle.join(" <-> ")}`).join("\n")}`);
    process.exit(1);
}
console.log(`no import cycles among ${files.length} source files`);

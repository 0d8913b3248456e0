// `npm test`: lint (ESLint, import cycles), typecheck, the app build the end-to-end tests load, karma (browser specs with
// real WebGPU) and the node end-to-end tests (playwright-core driving Debian's Chromium).
// Ends with one line: "N passed, N failed" (", N skipped" when any were skipped). Lint and each
// typecheck count as one check each.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(root, "node_modules/.bin", name);
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
const only = process.argv.slice(2);
const want = (step) => only.length === 0 || only.includes(step);

function run(label, command, args, options = {}) {
    console.log(`\n=== ${label}: ${[path.basename(command), ...args].join(" ")}`);
    const started = Date.now();
    const result = spawnSync(command, args, { cwd: root, stdio: options.capture ? ["ignore", "pipe", "inherit"] : "inherit", encoding: "utf8", env: { ...process.env, ...options.env } });
    if (options.capture && result.stdout) {
        process.stdout.write(result.stdout);
    }
    console.log(`=== ${label}: exit ${result.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return result;
}

function check(label, ok) {
    if (ok) {
        totals.passed++;
    } else {
        totals.failed++;
        failures.push(label);
    }
}

if (want("lint")) {
    check("lint", run("lint", bin("eslint"), ["--max-warnings", "0", "."]).status === 0);
    check("import cycles", run("import cycles", process.execPath, [path.join(root, "tools/lint/importCycles.mjs")]).status === 0);
}
if (want("typecheck")) {
    check("typecheck (dom)", run("typecheck (dom)", bin("tsc"), ["-p", "tsconfig.json"]).status === 0);
    check("typecheck (webworker)", run("typecheck (webworker)", bin("tsc"), ["-p", "tsconfig.worker.json"]).status === 0);
}
if (want("karma")) {
    const summaryFile = path.join(root, ".build/karma-summary.json");
    fs.rmSync(summaryFile, { force: true });
    const karma = run("karma", bin("karma"), ["start", "karma.conf.js"]);
    if (fs.existsSync(summaryFile)) {
        const summary = JSON.parse(fs.readFileSync(summaryFile, "utf8"));
        totals.passed += summary.passed;
        totals.failed += summary.failed;
        totals.skipped += summary.skipped;
        failures.push(...summary.failures.map((f) => `karma: ${f.name}`));
        if (summary.errors.length > 0 || (karma.status !== 0 && summary.failed === 0)) {
            check(`karma run (${summary.errors.join("; ") || `exit ${karma.status}`})`, false);
        }
    } else {
        check(`karma run (no summary; exit ${karma.status})`, false);
    }
}
if (want("e2e")) {
    const build = run("build app and Editor plugin for e2e", bin("webpack"), ["--env", "only=app,editor", "--mode", "development"]);
    check("app build", build.status === 0);
    if (build.status === 0) {
        const files = fs.readdirSync(path.join(root, "test/e2e")).filter((f) => f.endsWith(".test.mjs")).map((f) => path.join("test/e2e", f));
        const e2e = run("e2e", process.execPath, ["--test", "--test-reporter=tap", "--test-concurrency=1", ...files], { capture: true });
        const count = (name) => Number((e2e.stdout.match(new RegExp(`^# ${name} (\\d+)`, "m")) || [0, 0])[1]);
        totals.passed += count("pass");
        totals.failed += count("fail") + count("cancelled");
        totals.skipped += count("skipped") + count("todo");
        for (const match of e2e.stdout.matchAll(/^not ok \d+ - (.*)$/gm)) {
            failures.push(`e2e: ${match[1]}`);
        }
        if (e2e.status !== 0 && count("fail") + count("cancelled") === 0) {
            check(`e2e run (exit ${e2e.status})`, false);
        }
    }
}

if (failures.length > 0) {
    console.log(`\nFailed:\n${failures.map((f) => `  - ${f}`).join("\n")}`);
}
console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`);
process.exit(totals.failed > 0 ? 1 : 0);

// Karma reporter that writes the run's counts to a JSON file (read by tools/test.mjs, which
// prints the final "N passed, N failed" line) and prints each failure's full message.
const fs = require("fs");
const path = require("path");

function SummaryReporter(baseReporterDecorator, config, logger) {
    baseReporterDecorator(this);
    const log = logger.create("reporter.sanerf-summary");
    const outputFile = (config.summaryReporter && config.summaryReporter.outputFile) || path.join(config.basePath, ".build/karma-summary.json");
    const counts = { passed: 0, failed: 0, skipped: 0, failures: [], errors: [] };

    this.onSpecComplete = (browser, result) => {
        const name = `${result.suite.join(" > ")} > ${result.description}`;
        if (result.skipped || result.pending) {
            counts.skipped++;
        } else if (result.success) {
            counts.passed++;
        } else {
            counts.failed++;
            counts.failures.push({ name, log: result.log });
        }
    };
    this.onBrowserError = (browser, error) => {
        counts.errors.push(String(error && error.message ? error.message : error));
    };
    this.onRunComplete = (browsers, results) => {
        if (results.error || results.disconnected) {
            counts.errors.push(results.disconnected ? "browser disconnected" : "karma reported an error");
        }
        fs.mkdirSync(path.dirname(outputFile), { recursive: true });
        fs.writeFileSync(outputFile, JSON.stringify(counts, null, 2));
        log.info(`karma: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ""}`);
    };
}
SummaryReporter.$inject = ["baseReporterDecorator", "config", "logger"];

module.exports = { "reporter:sanerf-summary": ["type", SummaryReporter] };

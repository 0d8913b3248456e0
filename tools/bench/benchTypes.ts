/** One row of a benchmark table. */
export interface BenchRow {
    /** What was measured. */
    readonly metric: string;
    /** The value, formatted with its unit. */
    readonly value: string;
    /** The target, in words ("≥ 30 dB"), if there is one. */
    readonly target?: string;
    /** Whether the target is met (undefined when there is none). */
    readonly met?: boolean;
}

/** What one benchmark suite returns. */
export interface BenchSuiteResult {
    readonly suite: string;
    readonly title: string;
    readonly rows: readonly BenchRow[];
    /** Raw figures for the JSON file. */
    readonly data: Record<string, unknown>;
    readonly seconds: number;
}

/** How a suite is asked to run. */
export interface BenchConfig {
    /** Shorter runs (fewer iterations) for a quick look; figures are then not the README's. */
    readonly quick: boolean;
}

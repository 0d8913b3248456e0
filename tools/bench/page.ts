// The benchmark page (dist/app/bench.html), driven by tools/bench/bench.mjs: each suite measures one
// capability and returns a table plus raw figures.
import type { BenchConfig, BenchSuiteResult } from "./benchTypes";
import { RunNerfBenchAsync } from "./nerfBench";
import { RunRenderBenchAsync } from "./renderBench";
import { RunSegmentBenchAsync } from "./segmentBench";
import { RunFusionBenchAsync } from "./fusionBench";
import { RunClickBenchAsync } from "./clickBench";
import { RunObjectsBenchAsync } from "./objectsBench";
import { RunPhotosBenchAsync } from "./photosBench";
import { RunRealBenchAsync } from "./realBench";
import { RunFeatureBenchAsync } from "./featureBench";
import { RunSplatBenchAsync } from "./splatBench";

type Suite = (config: BenchConfig, log: (line: string) => void) => Promise<BenchSuiteResult>;

const Suites: Record<string, Suite> = {
    nerf: RunNerfBenchAsync,
    render: RunRenderBenchAsync,
    segment: RunSegmentBenchAsync,
    fusion: RunFusionBenchAsync,
    click: RunClickBenchAsync,
    objects: RunObjectsBenchAsync,
    photos: RunPhotosBenchAsync,
    real: RunRealBenchAsync,
    features: RunFeatureBenchAsync,
    splats: RunSplatBenchAsync,
};

declare global {
    interface Window {
        /** Benchmark entry point for the CLI. */
        sanerfBench?: { suites: string[]; runAsync(suite: string, config: BenchConfig): Promise<BenchSuiteResult> };
    }
}

window.sanerfBench = {
    suites: Object.keys(Suites),
    runAsync: (suite, config) => {
        const run = Suites[suite];
        if (!run) {
            throw new Error(`no benchmark suite "${suite}" (have: ${Object.keys(Suites).join(", ")})`);
        }
        return run(config, (line) => console.info(`[bench] ${suite}: ${line}`));
    },
};

import { WriteRadianceFieldAsync } from "../../plugin/core/nerf/radianceFieldFile";
import type { BenchConfig, BenchRow, BenchSuiteResult } from "./benchTypes";
import { MeasureCpuTwinRaysPerSecond } from "./cpuTwinThroughput";
import { KeepBenchField, LoadMicAsync, TrainMeasuredAsync } from "./benchField";

const MiB = 2 ** 20;

/**
 * The radiance-field benchmark: mic (../shared/data) at 200 px, default trainer settings,
 * holdout PSNR at 500 / 1000 / 2000 / 5000 iterations, samples per ray, GPU memory, file size,
 * and training rays per second on this machine's WebGPU next to the CPU twins'.
 * @param config quick or full
 * @param log progress log
 * @returns the table and raw figures
 */
export async function RunNerfBenchAsync(config: BenchConfig, log: (line: string) => void): Promise<BenchSuiteResult> {
    const started = performance.now();
    const capture = await LoadMicAsync(200);
    const iterations = config.quick ? 500 : 5000;
    const curveAt = config.quick ? [250, 500] : [500, 1000, 2000, 5000];
    const { field, result } = await TrainMeasuredAsync(capture, { budget: { iterations } }, curveAt, log);
    const { curve, final, seconds, samplesPerRay, gpuRaysPerSecond, peak, longestStallMs } = result;
    KeepBenchField(field);
    const fileBytes = (await WriteRadianceFieldAsync(field)).byteLength;
    log("measuring the CPU twins' training throughput...");
    const cpuRaysPerSecond = MeasureCpuTwinRaysPerSecond(field, capture);
    const adapter = await navigator.gpu.requestAdapter();
    const device = adapter ? [adapter.info.vendor, adapter.info.architecture, adapter.info.description].filter(Boolean).join(" ") : "unknown";
    const rows: BenchRow[] = [
        ...curve.map((point) => ({
            metric: `holdout PSNR at ${point.iteration} it`,
            value: `${point.psnr.toFixed(2)} dB (SSIM ${point.ssim.toFixed(3)}, ${point.seconds.toFixed(0)} s)`,
            ...(point.iteration === iterations ? { target: "≥ 30 dB", met: point.psnr >= 30 } : {}),
        })),
        { metric: "mean samples per ray (training, after warm-up)", value: samplesPerRay.toFixed(1), target: "≤ 48", met: samplesPerRay <= 48 },
        { metric: "mean samples per ray (rendering holdout views)", value: final.samplesPerRay.toFixed(1) },
        { metric: "peak GPU memory", value: `${(peak / MiB).toFixed(0)} MiB`, target: "≤ 512 MiB", met: peak <= 512 * MiB },
        { metric: "saved field", value: `${(fileBytes / MiB).toFixed(1)} MiB`, target: "≤ 64 MiB", met: fileBytes <= 64 * MiB },
        { metric: `training rays/s at the final grid, WebGPU (${device})`, value: Math.round(gpuRaysPerSecond).toString() },
        { metric: "training rays/s, CPU twins (1 thread)", value: Math.round(cpuRaysPerSecond).toString() },
        { metric: "WebGPU / CPU twin throughput", value: `${(gpuRaysPerSecond / cpuRaysPerSecond).toFixed(1)}x` },
        { metric: "longest main-thread stall while training (10 ms timer; holdout scoring included)", value: `${longestStallMs.toFixed(0)} ms`, target: "≤ 250 ms", met: longestStallMs <= 250 },
    ];
    return {
        suite: "nerf",
        title: `Radiance field: mic at 200 px, ${iterations} iterations, grid ${field.params.gridSize.join("x")}`,
        rows,
        data: { iterations, curve, psnr: final.psnr, ssim: final.ssim, samplesPerRay, renderSamplesPerRay: final.samplesPerRay, peakGpuBytes: peak, fileBytes, longestStallMs, gpuRaysPerSecond, cpuRaysPerSecond, device, gridSize: field.params.gridSize, seconds },
        seconds: (performance.now() - started) / 1000,
    };
}

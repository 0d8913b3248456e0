/**
 * The phone-photo benchmark: 100 photos of 4032x3024 (a 12-megapixel phone camera's JPEGs, with an
 * EXIF orientation tag) loaded through the pipeline's capture stage with its decode workers and
 * default image size, as the editor and the CLI load a capture. The page reports time per photo
 * and what it keeps; bench.mjs adds the browser's peak memory during the suite (all Chromium
 * processes), which must stay far below what holding every photo at full size would take.
 */
import { FileCaptureSource } from "../../plugin/core/capture/fileCaptureSource";
import { LoadCaptureStageAsync } from "../../plugin/core/pipeline/captureStage";
import { DefaultPipelineConfig } from "../../plugin/core/pipeline/pipelineConfig";
import { DefaultDecodePixelBudget } from "../../plugin/core/capture/captureLoader";
import { ImageDecoderPool } from "../../plugin/services/imageDecoderPool";
import type { BenchConfig, BenchRow, BenchSuiteResult } from "./benchTypes";

const MiB = 2 ** 20;

/** A textured 4032x3024 JPEG (gradients and random boxes, so it compresses as a photo does). */
async function PhotoAsync(width: number, height: number): Promise<Blob> {
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext("2d")!;
    const gradient = context.createLinearGradient(0, 0, width, height);
    gradient.addColorStop(0, "#6b5a48");
    gradient.addColorStop(1, "#c8b89a");
    context.fillStyle = gradient;
    context.fillRect(0, 0, width, height);
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 4000; i++) {
        context.fillStyle = `rgb(${Math.floor(random() * 255)}, ${Math.floor(random() * 255)}, ${Math.floor(random() * 255)})`;
        context.fillRect(random() * width, random() * height, 8 + random() * 200, 8 + random() * 200);
    }
    return canvas.convertToBlob({ type: "image/jpeg", quality: 0.9 });
}

/**
 * Loads 100 (quick: 12) full-size phone photos through the capture stage.
 * @param config quick or full
 * @param log progress log
 * @returns the table and raw figures
 */
export async function RunPhotosBenchAsync(config: BenchConfig, log: (line: string) => void): Promise<BenchSuiteResult> {
    const started = performance.now();
    const [width, height] = [4032, 3024];
    const count = config.quick ? 12 : 100;
    const photo = await PhotoAsync(width, height);
    const files = new Map<string, Blob>();
    const frames = Array.from({ length: count }, (_, i) => {
        const angle = (2 * Math.PI * i) / count;
        const [x, z] = [3 * Math.sin(angle), 3 * Math.cos(angle)];
        files.set(`images/IMG_${String(i).padStart(4, "0")}.jpg`, photo);
        return { file_path: `images/IMG_${String(i).padStart(4, "0")}.jpg`, transform_matrix: [[Math.cos(angle), 0, Math.sin(angle), x], [0, 1, 0, 0.5], [-Math.sin(angle), 0, Math.cos(angle), z], [0, 0, 0, 1]] };
    });
    files.set("transforms.json", new Blob([JSON.stringify({ fl_x: 3000, fl_y: 3000, w: width, h: height, frames })]));
    const maxSide = DefaultPipelineConfig.capture.maxSide;
    const pool = new ImageDecoderPool();
    log(`loading ${count} photos of ${width}x${height} (${(photo.size / MiB).toFixed(1)} MiB each) at ${maxSide} px with ${pool.size} decode workers...`);
    const loadStarted = performance.now();
    let capture;
    try {
        capture = await LoadCaptureStageAsync(new FileCaptureSource(files, "phone"), { maxSide }, { decodeImage: (request, signal) => pool.decodeAsync(request, signal) });
    } finally {
        pool.dispose();
    }
    const seconds = (performance.now() - loadStarted) / 1000;
    const kept = capture.frames.reduce((sum, frame) => sum + frame.image.data.byteLength, 0);
    const fullSize = count * width * height * 4;
    const rows: BenchRow[] = [
        { metric: "photos loaded", value: `${capture.frames.length} of ${width}x${height}, kept at ${capture.frames[0].image.width}x${capture.frames[0].image.height}` },
        { metric: "decode budget", value: `${(DefaultDecodePixelBudget / 1e6).toFixed(0)} Mpixel at a time (one photo)` },
        { metric: "time per photo (decode + downscale)", value: `${((1000 * seconds) / count).toFixed(0)} ms` },
        { metric: "decoded images kept", value: `${(kept / MiB).toFixed(0)} MiB` },
        { metric: "every photo at full size (RGBA) would take", value: `${(fullSize / MiB).toFixed(0)} MiB` },
    ];
    return { suite: "photos", title: `Phone photos: ${count} x ${width}x${height} JPEG through the capture stage`, rows, data: { count, width, height, maxSide, seconds, keptBytes: kept, fullSizeBytes: fullSize, photoBytes: photo.size }, seconds: (performance.now() - started) / 1000 };
}

import type { Capture } from "../../plugin/core/capture/captureTypes";
import { SplitHoldout } from "../../plugin/core/capture/holdout";
import { MeanSquaredError, Psnr } from "../../plugin/core/evaluation/imageMetrics";
import { CompositeOnBackground } from "../../plugin/core/image/compositeOnBackground";
import type { RgbaImage } from "../../plugin/core/image/rgbaImage";
import { RenderViewCpu } from "../../plugin/core/nerf/cpuFieldRenderer";
import { DefaultSplatSizeInSpacings, FieldToSplats } from "../../plugin/core/splats/fieldSplats";
import type { SplatCloud } from "../../plugin/core/splats/splatCloud";
import { WriteCloudAsPly } from "../../plugin/core/splats/splatPlyWriter";
import type { SplatRasterizer } from "../../plugin/core/splats/splatRasterizer";
import { EncodeSpzAsync } from "../../plugin/core/splats/spzCodec";
import { BenchFieldAsync, LoadMicAsync } from "./benchField";
import type { BenchRow } from "./benchTypes";

/** What {@link MeasureFieldSplatsAsync} measures on the mic field. */
export interface FieldSplatFigures {
    /** The field's grid. */
    readonly gridSize: readonly number[];
    /** Splats of the default export. */
    readonly splats: number;
    /** Bytes of its 3DGS PLY / SPZ. */
    readonly plyBytes: number;
    readonly spzBytes: number;
    /** Seconds of the export (FieldToSplats alone). */
    readonly exportSeconds: number;
    /** Mean holdout PSNR of the field's own render (CPU twin), dB. */
    readonly fieldPsnr: number;
    /** The same without the field's view-dependent (degree-1 SH) colour: the best a degree-0 export can do, dB. */
    readonly viewIndependentFieldPsnr: number;
    /** Mean holdout PSNR of the splats (SplatRasterizer), dB, by splat size in grid spacings (the default's too). */
    readonly splatPsnrBySize: Record<string, number>;
    /** Mean PSNR of the splats' render against the field's own render on the holdout views, dB. */
    readonly splatVsFieldPsnr: number;
    /** Pixels the splats cover (opacity >= 0.5) over those the field covers, on the holdout views. */
    readonly coverageRatio: number;
    /** Holdout image size. */
    readonly width: number;
    readonly height: number;
}

/**
 * The radiance field to splats (FieldToSplats) on the mic field the benches train (the nerf
 * suite's when it ran in this page, else BenchFieldAsync's shorter training): splat count, PLY and
 * SPZ bytes, and holdout PSNR of the splats rendered by `rasterizer` next to the field's own
 * holdout PSNR (RenderViewCpu) on the same views, at `maxSide` pixels; also the splats at half and
 * 1.5 times the default size, the figure that justifies the default on a real field.
 * @param rasterizer renders the splats (WebGPU in the splat suite)
 * @param log progress log
 * @param maxSide holdout images' longest side (default 200, the nerf suite's training size; at
 *   100 px the mic's splats are about a pixel wide and the rasterizer's 0.3 px² dilation fattens them)
 * @returns table rows and raw figures
 */
export async function MeasureFieldSplatsAsync(rasterizer: SplatRasterizer, log: (line: string) => void, maxSide = 200): Promise<{ rows: BenchRow[]; data: FieldSplatFigures }> {
    const field = await BenchFieldAsync(log);
    const capture = await LoadMicAsync(maxSide);
    let started = performance.now();
    const cloud = FieldToSplats(field);
    const exportSeconds = (performance.now() - started) / 1000;
    const plyBytes = WriteCloudAsPly(cloud).byteLength;
    const spzBytes = (await EncodeSpzAsync(cloud)).byteLength;
    log(`field splats: ${cloud.count} splats from grid ${field.params.gridSize.join("x")} in ${exportSeconds.toFixed(1)} s; PLY ${(plyBytes / 2 ** 20).toFixed(1)} MiB, SPZ ${(spzBytes / 2 ** 20).toFixed(2)} MiB`);
    started = performance.now();
    const holdout = SplitHoldout(capture.frames.length).holdout;
    const fieldViews = holdout.map((index) => RenderViewCpu(field, capture.frames[index]));
    const fieldRenders = fieldViews.map((render) => ({ width: render.width, height: render.height, data: render.color }));
    const truths = holdout.map((index) => CompositeOnBackground(capture.frames[index].image, field.background));
    const fieldPsnr = MeanPsnr(fieldRenders, truths);
    const degreeZero = field.sh.map((value, i) => (i % 4 === 0 ? value : 0));
    const viewIndependentFieldPsnr = MeanPsnr(
        holdout.map((index) => RenderViewCpu({ ...field, sh: degreeZero }, capture.frames[index])).map((render) => ({ width: render.width, height: render.height, data: render.color })),
        truths,
    );
    log(`field splats: the field's own holdout PSNR ${fieldPsnr.toFixed(2)} dB, without its view-dependent colour ${viewIndependentFieldPsnr.toFixed(2)} dB (${holdout.length} views, CPU renders ${((performance.now() - started) / 1000).toFixed(0)} s)`);
    const splatPsnrBySize: Record<string, number> = {};
    let splatVsFieldPsnr = 0;
    let coverageRatio = 0;
    for (const factor of [0.5, 1, 1.5]) {
        const size = DefaultSplatSizeInSpacings * factor;
        const splats = factor === 1 ? cloud : FieldToSplats(field, { sizeInSpacings: size });
        const { images, covered } = await RenderSplatsAsync(rasterizer, splats, capture, holdout, field.background);
        splatPsnrBySize[size] = MeanPsnr(images, truths);
        if (factor === 1) {
            splatVsFieldPsnr = MeanPsnr(images, fieldRenders);
            coverageRatio = covered / fieldViews.reduce((sum, view) => sum + view.opacity.filter((o) => o >= 0.5).length, 0);
        }
        log(`field splats: size ${size} spacings: ${splats.count} splats, holdout PSNR ${splatPsnrBySize[size].toFixed(2)} dB`);
    }
    const splatPsnr = splatPsnrBySize[DefaultSplatSizeInSpacings];
    const { width, height } = capture.frames[0].intrinsics;
    const rows: BenchRow[] = [
        { metric: `mic field (grid ${field.params.gridSize.join("x")}) as splats: count / PLY / SPZ`, value: `${cloud.count} / ${(plyBytes / 2 ** 20).toFixed(1)} MiB / ${(spzBytes / 2 ** 20).toFixed(2)} MiB` },
        { metric: `mic holdout PSNR at ${width} px: splats / the field itself / the field without view-dependent colour (splats keep the SH DC term only)`, value: `${splatPsnr.toFixed(2)} dB / ${fieldPsnr.toFixed(2)} dB / ${viewIndependentFieldPsnr.toFixed(2)} dB` },
        { metric: "mic holdout: splats vs the field's own render (PSNR) / pixels covered, splats over field", value: `${splatVsFieldPsnr.toFixed(2)} dB / ${coverageRatio.toFixed(2)}` },
        { metric: "mic holdout PSNR of the splats by size (grid spacings)", value: Object.entries(splatPsnrBySize).map(([size, psnr]) => `${size}: ${psnr.toFixed(2)} dB`).join(", ") },
    ];
    return { rows, data: { gridSize: field.params.gridSize, splats: cloud.count, plyBytes, spzBytes, exportSeconds, fieldPsnr, viewIndependentFieldPsnr, splatPsnrBySize, splatVsFieldPsnr, coverageRatio, width, height } };
}

/** The splats rendered at the holdout frames' cameras, composited on the field's background, and the pixels they cover (opacity >= 0.5). */
async function RenderSplatsAsync(rasterizer: SplatRasterizer, cloud: SplatCloud, capture: Capture, holdout: readonly number[], background: "white" | "black"): Promise<{ images: RgbaImage[]; covered: number }> {
    const images: RgbaImage[] = [];
    let covered = 0;
    const fill = background === "white" ? 1 : 0;
    for (const index of holdout) {
        const frame = capture.frames[index];
        const render = await rasterizer.renderAsync(cloud, frame);
        const data = new Uint8ClampedArray(render.width * render.height * 4);
        for (let p = 0; p < render.width * render.height; p++) {
            for (let c = 0; c < 3; c++) {
                data[p * 4 + c] = Math.round((render.color[p * 3 + c] + fill * (1 - render.opacity[p])) * 255);
            }
            data[p * 4 + 3] = 255;
            covered += render.opacity[p] >= 0.5 ? 1 : 0;
        }
        images.push({ width: render.width, height: render.height, data });
    }
    return { images, covered };
}

/** Mean PSNR over pairs of images. */
function MeanPsnr(a: readonly RgbaImage[], b: readonly RgbaImage[]): number {
    return a.reduce((sum, image, i) => sum + Psnr(MeanSquaredError(image, b[i])), 0) / a.length;
}

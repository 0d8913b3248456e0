#!/usr/bin/env node
// The headless pipeline runner: `npm run pipeline -- --capture DIR --out DIR [options]`.
// Serves the built app and the capture on 127.0.0.1, drives Debian's Chromium (WebGPU on
// SwiftShader) through playwright-core, runs the pipeline page and writes its outputs to --out.
import fs from "node:fs";
import path from "node:path";
import { openAppPage } from "../appHost/appPage.mjs";
import { parsePipelineArgs, pipelineOverrides, usage } from "./cliArguments.mjs";
import { filesUnder, ManifestName, prepareRunFolder, RunFolderError, writeManifest } from "./runFolder.mjs";

async function main() {
    let options;
    try {
        options = parsePipelineArgs(process.argv.slice(2));
    } catch (error) {
        console.error(`error: ${error.message}\n\n${usage}`);
        process.exit(2);
    }
    if (options.help) {
        console.log(usage);
        return;
    }
    if (options.printConfig) {
        const session = await openAppPage({ page: "pipeline.html", readyGlobal: "sanerfPipeline" });
        try {
            const { config } = await session.page.evaluate((request) => window.sanerfPipeline.runAsync(request), { overrides: pipelineOverrides(options), printConfig: true });
            console.log(JSON.stringify(config, null, 2));
        } finally {
            await session.close();
        }
        return;
    }
    const captureDir = options.capture ? path.resolve(options.capture) : null;
    const splatPath = options.splat ? path.resolve(options.splat) : null;
    const outDir = path.resolve(options.out);
    let folder;
    try {
        folder = prepareRunFolder(outDir, { overwrite: options.overwrite, resume: options.resume, capture: captureDir ?? splatPath });
    } catch (error) {
        if (error instanceof RunFolderError) {
            console.error(`pipeline failed: ${error.message}`);
            process.exit(1);
        }
        throw error;
    }
    if (folder.replaced.length > 0) {
        console.error(`--overwrite: removed the earlier run's ${folder.replaced.length} file(s) from ${outDir}`);
    }
    const started = new Date().toISOString();
    const manifest = { status: "running", started, command: process.argv.slice(2), capture: captureDir ?? splatPath, files: [], ...((options.iters ?? 0) > 0 ? { checkpoint: { file: "checkpoint.bin" } } : {}) };
    writeManifest(outDir, manifest);
    const mounts = { "/out/": outDir, ...(captureDir ? { "/capture/": captureDir } : {}), ...(splatPath ? { "/splat/": path.dirname(splatPath) } : {}) };
    let model = "builtin";
    if (options.model !== "builtin") {
        if (options.model.includes(",")) {
            const [encoder, decoder] = options.model.split(",");
            model = { encoder, decoder };
        } else {
            mounts["/model/"] = path.resolve(options.model);
            model = { encoder: "/model/encoder.onnx", decoder: "/model/decoder.onnx" };
        }
    }
    let fieldUrl;
    if (options.field) {
        mounts["/field/"] = path.dirname(path.resolve(options.field));
        fieldUrl = `/field/${encodeURIComponent(path.basename(options.field))}`;
    }
    let masks;
    if (options.masks === "truth") {
        masks = "truth";
    } else if (options.masks) {
        mounts["/masks/"] = path.resolve(options.masks);
        masks = "/masks/";
    }
    const session = await openAppPage({ page: "pipeline.html", readyGlobal: "sanerfPipeline", mounts, uploads: { "/__out/": outDir } });
    let failed = false;
    let error = null;
    try {
        const request = {
            captureUrl: captureDir ? "/capture/" : undefined,
            captureName: captureDir ? path.basename(captureDir) : "",
            splatUrl: splatPath ? `/splat/${encodeURIComponent(path.basename(splatPath))}` : undefined,
            splatName: splatPath ? path.basename(splatPath) : undefined,
            outUrl: "/__out/",
            overrides: pipelineOverrides(options),
            train: (options.iters ?? 0) > 0,
            curveAt: options.curve,
            fieldUrl,
            resumeUrl: folder.resume ? `/out/${encodeURIComponent(path.basename(folder.resume.checkpoint))}` : undefined,
            prompts: options.prompts,
            boxes: options.boxes,
            model,
            masks,
            noiseSeed: options.noise,
            noiseModel: options.noiseModel ?? "independent",
            fuse: options.fuseIters !== 0,
            export: options.export,
            exportSplats: options.exportSplats,
        };
        const report = await session.page.evaluate((r) => window.sanerfPipeline.runAsync(r), request);
        const c = report.capture;
        if (c) {
            console.log(`capture ${c.name} (${c.format}): ${c.frames} frames at ${c.width}x${c.height} (source ${c.sourceWidth}x${c.sourceHeight}), ${c.holdout.length} holdout`);
            console.log(`bounds min [${c.bounds.min.map((v) => v.toFixed(3)).join(", ")}] max [${c.bounds.max.map((v) => v.toFixed(3)).join(", ")}]`);
        }
        if (report.splats) {
            const s = report.splats;
            console.log(`splats ${s.file} (${s.format}): ${s.splats} splats, ${s.views} views (${s.cameras === "capture" ? "the capture's cameras" : "placed around the content"}) on ${s.backend}, ${s.model}`);
            console.log(`labelled ${s.objects.map((o) => `object ${o.id}: ${o.splats} splats${o.truthIou === null ? "" : ` (IoU ${o.truthIou.toFixed(3)} vs true object ${o.truthObject})`}`).join(", ")}; ${s.unseen} unseen; render ${s.seconds.render.toFixed(1)} s, segment ${s.seconds.segment.toFixed(1)} s, labels ${s.seconds.label.toFixed(1)} s`);
        }
        if (report.train) {
            const t = report.train;
            console.log(`trained ${t.iterations} iterations in ${t.seconds.toFixed(1)} s (${Math.round(t.raysPerSecond)} rays/s): holdout PSNR ${t.psnr.toFixed(2)} dB (appearance matched ${t.psnrMatched.toFixed(2)} dB${t.appearance ? ", per-photo appearance" : ""}), SSIM ${t.ssim.toFixed(3)}, ${t.meanSamplesPerRay === null ? "n/a samples/ray (ended before the occupancy warm-up)" : `${t.meanSamplesPerRay.toFixed(1)} samples/ray`}, grid ${t.gridSize.join("x")}, peak GPU ${(t.peakGpuBytes / 2 ** 20).toFixed(0)} MiB, field ${(t.fieldBytes / 2 ** 20).toFixed(1)} MiB`);
            console.log(`curve: ${t.curve.map((c) => `${c.iteration}: ${c.psnr.toFixed(2)} dB`).join(", ")}`);
        }
        if (report.segment) {
            const g = report.segment;
            console.log(`segmented ${g.objects.length} object(s) with ${g.model} (${g.backend}): ${g.objects.map((o) => `object ${o.id}: ${o.validViews} valid views${o.meanTruthIou === null ? "" : `, mean IoU ${o.meanTruthIou.toFixed(3)} vs ground-truth object ${o.truthObject}`}`).join(", ")}; ${g.encoderRuns} encoder runs, ${g.decoderRuns} decodes in ${g.seconds.toFixed(1)} s`);
        }
        if (report.fusion) {
            const f = report.fusion;
            const figures = f.holdout.map((o) => `object ${o.id}: IoU ${o.iou.toFixed(3)} (input ${o.inputIou.toFixed(3)}), accuracy ${o.accuracy.toFixed(4)}, boundary F ${o.boundaryF.toFixed(3)}`).join("; ");
            console.log(`fused ${f.objects} object(s) from ${f.source} on ${f.backend}: ${f.iterations} iterations in ${f.seconds.toFixed(1)} s${figures ? `; holdout ${figures}` : ""}`);
        }
        if (report.sceneSplats) {
            console.log(`exported ${report.sceneSplats.file}: ${report.sceneSplats.splats} splats, ${(report.sceneSplats.bytes / 2 ** 20).toFixed(1)} MiB`);
        }
        if (report.export) {
            console.log(`exported ${report.export.objects.map((o) => `${o.file} (${o.triangles} triangles, ${o.seconds.toFixed(1)} s${o.chamferPercent === null ? "" : `, Chamfer ${o.chamferPercent.toFixed(2)}%`}) and ${o.splatFiles.join(", ")} (${o.splats} splats)`).join(", ")}`);
        }
        console.log(`wrote ${report.files.map((f) => path.join(options.out, f)).join(", ")} in ${report.seconds.toFixed(1)} s`);
    } catch (caught) {
        failed = true;
        error = String(caught.message || caught).replace(/^page\.evaluate: /, "").replace(/^[A-Za-z]*Error: /, "").split("\n")[0];
        console.error(`pipeline failed: ${error}`);
    } finally {
        if (session.external.length > 0) {
            console.error(`blocked requests that would have left 127.0.0.1: ${session.external.join(", ")}`);
            failed = true;
            error ??= "requests tried to leave 127.0.0.1";
        }
        await session.close();
    }
    // the run's files: everything in the folder but what was there before and is not the run's
    const kept = new Set(folder.kept);
    const files = filesUnder(outDir).filter((file) => file !== ManifestName && !kept.has(file) && !path.basename(file).startsWith("."));
    if (!failed && files.includes("field.bin") && files.includes("checkpoint.bin")) {
        // training finished: field.bin supersedes its checkpoints
        fs.rmSync(path.join(outDir, "checkpoint.bin"), { force: true });
        files.splice(files.indexOf("checkpoint.bin"), 1);
    }
    writeManifest(outDir, { ...manifest, status: failed ? "failed" : "finished", finished: new Date().toISOString(), files, ...(error ? { error } : {}) });
    process.exit(failed ? 1 : 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
    main();
}

// The pipeline CLI's arguments: the usage text, the parser (every check that needs no capture, so
// a bad argument costs no work), and the pipeline configuration overrides the flags stand for.
import fs from "node:fs";
import path from "node:path";

export const usage = `usage: npm run pipeline -- --capture DIR --out DIR [options]
       npm run pipeline -- --splat FILE [--capture DIR] --out DIR --prompt ... [--export]

Runs the pipeline's stages (capture -> train -> segment -> fuse -> extract) with the same code and
defaults as the editor. Options left out keep the pipeline's defaults (see --print-config).

  --capture DIR   capture folder: transforms.json (nerfstudio / instant-ngp), transforms_train.json
                  (Blender NeRF-synthetic), poses_bounds.npy (LLFF) or COLMAP (sparse/0/ + images/)
  --splat FILE    a Gaussian-splat file (.ply 3DGS layout, .splat, .spz, .sog, .glb with
                  KHR_gaussian_splatting) to segment instead of a
                  radiance field: its views are the capture's (--capture, poses in the file's
                  coordinates) or rendered from cameras placed around the content; prompts are
                  clicks in those views or 3-D points; every splat gets a label (FlashSplat);
                  writes views.png, masks2d/, splat-labels.bin, splats.json; with --export each
                  object's splats as object-<k>.ply (the file's records unchanged, its
                  coordinates) and object-<k>.spz
  --out DIR       output folder (created): report.json, contact-sheet.png, ...
  --size S        downscale images so the longest side is S pixels
  --iters N       train a radiance field for N iterations on the non-holdout frames (0 or left
                  out: no training); writes field.bin, render/*.png (holdout views), metrics.json,
                  and checkpoint.bin while it trains. With --field F: continue training F up to N
  --curve A,B,..  also evaluate holdout PSNR at these iterations (default 500,1000,2000)
  --grid R        final grid resolution, points on the longest axis
  --seed N        training seed
  --scene-model M auto (default), bounded or contracted: the capture's box only, or the whole
                  scene (the box finely, everything beyond it contracted); auto takes the whole
                  scene for opaque photos whose manifest gives no box
  --appearance A  auto (default), none or per-photo: learn each training photo's exposure and
                  white balance (a gain and offset per channel); auto: per-photo for opaque photos
  --distortion W  weight of the distortion regulariser while training
  --checkpoint-every N  save checkpoint.bin every N training iterations (0: never)
  --field FILE    use this field.bin instead of training
  --prompt SPEC   a click "view=V,x=X,y=Y,label=L[,object=K]" (repeatable): V is the frame index,
                  x and y pixels of that frame's original image, L 1 (object) or 0 (background);
                  or a 3-D point "point=X,Y,Z,label=L[,object=K]" in the scene's coordinates;
                  lifted to 3-D through the field, propagated to every frame and decoded there;
                  writes masks2d/<frame>.png (0/255, or labels 1..K for several objects) and
                  masks2d/scores.json
  --box SPEC      a box "view=V,x0=..,y0=..,x1=..,y1=..[,object=K]" (same units)
  --model M       segmentation model: "builtin" (default; the stand-in, not SAM), a folder with
                  encoder.onnx and decoder.onnx, or "ENCODER_URL,DECODER_URL"
  --masks M       fuse these masks instead of prompting: a folder of PNGs named like the frames
                  (non-zero = the object, or instance labels 1..K for several), or "truth" (the
                  capture's own labels or alpha)
  --noise SEED    corrupt the masks with the seeded noise model first (for benchmarks)
  --noise-model M independent (default: errors drawn per view) or sam-like (errors planned once
                  per object in 3-D and seen alike in every view, SAM's three candidates, its
                  confidently wrong choice in some views; --mask-choice then picks among them)
  --fuse-iters N  fusion iterations (0: no fusion). Fusion runs after prompts or with --masks, on
                  the non-holdout frames; writes masks3d/<frame>.png for every frame,
                  objectfield.bin and fusion.json (holdout IoU, accuracy, boundary F)
  --fuse-grid R   object-field grid points on the longest axis (default: half the radiance grid's)
  --no-ray-pair   fuse without the Ray-Pair RGB loss (ablation)
  --ray-pair W,T[,S]  the Ray-Pair loss's weight W (default 1), colour threshold T (default 0.1)
                  and the share S of the iterations after which it starts (default 0.75)
  --mask-choice C consistent (default: each view's candidate mask is the one the other views agree
                  with in 3-D) or predicted-iou (the model's own top score)
  --no-depth      do not give the segmentation model the field's depth (the built-in model then
                  segments by colour alone; SAM-family models never take depth)
  --export        extract every fused object as a mesh and write object-<k>.glb and export.json
                  (triangles, seconds, Chamfer distance to ground-truth meshes where the capture
                  has them); each object also as Gaussian splats, object-<k>.ply (3DGS layout)
                  and object-<k>.spz, in the capture's coordinates
  --export-splats write the whole radiance field (trained, or --field) as Gaussian splats,
                  scene.ply (3DGS layout, the capture's coordinates; of a whole-scene field its
                  detailed inner box; needs no prompts)
  --export-res R  extraction grid points along an object's longest axis
  --overwrite     replace the run already in --out (its files are removed first)
  --resume        continue the run in --out from its last training checkpoint (same arguments)
  --print-config  print the resolved configuration (the defaults with these options applied) and exit
  --help          this text`;

/** Parses argv into options; throws with a message for anything wrong. Only given options are set. */
export function parsePipelineArgs(argv) {
    const options = { curve: "500,1000,2000", prompts: [], boxes: [], model: "builtin", rayPair: true, viewDepth: true, export: false, exportSplats: false, printConfig: false, overwrite: false, resume: false };
    const known = { "--splat": "splat", "--capture": "capture", "--out": "out", "--size": "size", "--iters": "iters", "--curve": "curve", "--grid": "grid", "--seed": "seed", "--distortion": "distortion", "--field": "field", "--prompt": "prompts", "--box": "boxes", "--model": "model", "--masks": "masks", "--noise": "noise", "--fuse-iters": "fuseIters", "--fuse-grid": "fuseGrid", "--export-res": "exportRes", "--checkpoint-every": "checkpointEvery", "--scene-model": "sceneModel", "--appearance": "appearance", "--noise-model": "noiseModel", "--mask-choice": "maskChoice", "--ray-pair": "rayPairSettings" };
    const flags = { "--no-ray-pair": () => (options.rayPair = false), "--no-depth": () => (options.viewDepth = false), "--export": () => (options.export = true), "--export-splats": () => (options.exportSplats = true), "--print-config": () => (options.printConfig = true), "--overwrite": () => (options.overwrite = true), "--resume": () => (options.resume = true) };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--help" || arg === "-h") {
            return { help: true };
        }
        if (flags[arg]) {
            flags[arg]();
            continue;
        }
        const key = known[arg];
        if (!key) {
            throw new Error(`unknown option "${arg}"`);
        }
        const value = argv[++i];
        if (value === undefined || value.startsWith("--")) {
            throw new Error(`${arg} needs a value`);
        }
        if (Array.isArray(options[key])) {
            options[key].push(value);
        } else {
            options[key] = value;
        }
    }
    if (!options.capture && !options.splat && !options.printConfig) {
        throw new Error("--capture DIR is required (or --splat FILE)");
    }
    if (options.splat !== undefined && (!fs.existsSync(options.splat) || !fs.statSync(options.splat).isFile())) {
        throw new Error(`--splat ${options.splat}: no such file`);
    }
    if (!options.out && !options.printConfig) {
        throw new Error("--out DIR is required");
    }
    if (options.capture !== undefined && (!fs.existsSync(options.capture) || !fs.statSync(options.capture).isDirectory())) {
        throw new Error(`--capture ${options.capture}: no such folder`);
    }
    const integer = (name, text, min, max) => {
        const value = Number(text);
        if (!/^\d+$/.test(String(text)) || value < min || value > max) {
            throw new Error(`--${name} ${text}: expected an integer between ${min} and ${max}`);
        }
        return value;
    };
    const optional = (name, key, min, max) => (options[key] === undefined ? undefined : integer(name, options[key], min, max));
    options.size = optional("size", "size", 8, 4096);
    options.iters = optional("iters", "iters", 0, 1000000);
    options.seed = optional("seed", "seed", 0, 2 ** 31);
    options.grid = optional("grid", "grid", 8, 1024);
    if (options.sceneModel !== undefined && !["auto", "bounded", "contracted"].includes(options.sceneModel)) {
        throw new Error(`--scene-model ${options.sceneModel}: expected auto, bounded or contracted`);
    }
    if (options.appearance !== undefined && !["auto", "none", "per-photo"].includes(options.appearance)) {
        throw new Error(`--appearance ${options.appearance}: expected auto, none or per-photo`);
    }
    if (options.rayPairSettings !== undefined) {
        const [weight, threshold, start] = options.rayPairSettings.split(",").map(Number);
        if (!(weight >= 0) || !(threshold > 0) || (start !== undefined && !(start >= 0 && start < 1))) {
            throw new Error(`--ray-pair ${options.rayPairSettings}: expected W,T[,S] with a weight >= 0, a threshold > 0 and a start share in [0, 1)`);
        }
        options.rayPairWeight = weight;
        options.rayPairThreshold = threshold;
        options.rayPairStart = start;
    }
    if (options.noiseModel !== undefined && !["independent", "sam-like"].includes(options.noiseModel)) {
        throw new Error(`--noise-model ${options.noiseModel}: expected independent or sam-like`);
    }
    if (options.maskChoice !== undefined && !["consistent", "predicted-iou"].includes(options.maskChoice)) {
        throw new Error(`--mask-choice ${options.maskChoice}: expected consistent or predicted-iou`);
    }
    if (options.distortion !== undefined) {
        const weight = Number(options.distortion);
        if (!Number.isFinite(weight) || weight < 0) {
            throw new Error(`--distortion ${options.distortion}: expected a number >= 0`);
        }
        options.distortion = weight;
    }
    options.curve = options.curve === "" ? [] : String(options.curve).split(",").map((part) => integer("curve", part, 1, 1000000));
    options.fuseIters = optional("fuse-iters", "fuseIters", 0, 1000000);
    options.exportRes = optional("export-res", "exportRes", 16, 512);
    options.fuseGrid = optional("fuse-grid", "fuseGrid", 8, 512);
    options.noise = optional("noise", "noise", 0, 2 ** 31);
    options.checkpointEvery = optional("checkpoint-every", "checkpointEvery", 0, 1000000);
    if (options.masks !== undefined && options.masks !== "truth" && (!fs.existsSync(options.masks) || !fs.statSync(options.masks).isDirectory())) {
        throw new Error(`--masks ${options.masks}: not a folder (give a folder of PNG masks, or "truth")`);
    }
    if (options.masks !== undefined && (options.prompts.length > 0 || options.boxes.length > 0)) {
        throw new Error("--masks and --prompt/--box exclude each other: fuse given masks, or masks decoded from prompts");
    }
    if (options.field !== undefined && (!fs.existsSync(options.field) || !fs.statSync(options.field).isFile())) {
        throw new Error(`--field ${options.field}: no such file`);
    }
    for (const spec of options.prompts) {
        const click = /^(\s*(view|x|y|label|object)\s*=\s*-?[\d.]+\s*,?)+$/.test(spec) && /view=/.test(spec);
        const point = /^\s*point\s*=\s*-?[\d.eE+-]+\s*,\s*-?[\d.eE+-]+\s*,\s*-?[\d.eE+-]+\s*(,\s*(label|object)\s*=\s*-?[\d.]+\s*)+$/.test(spec);
        if (!(click || point) || !/label=/.test(spec)) {
            throw new Error(`--prompt "${spec}": expected view=V,x=X,y=Y,label=L or point=X,Y,Z,label=L`);
        }
    }
    for (const spec of options.boxes) {
        if (!/^(\s*(view|x0|y0|x1|y1|object)\s*=\s*-?[\d.]+\s*,?)+$/.test(spec) || !/view=/.test(spec)) {
            throw new Error(`--box "${spec}": expected view=V,x0=..,y0=..,x1=..,y1=..`);
        }
    }
    if (options.overwrite && options.resume) {
        throw new Error("--overwrite and --resume exclude each other: replace the run, or continue it");
    }
    if (options.resume && !(options.iters > 0)) {
        throw new Error("--resume continues training: give the run's --iters N (and its other arguments)");
    }
    if (options.model !== "builtin" && !options.model.includes(",")) {
        const folder = options.model;
        if (!fs.existsSync(path.join(folder, "encoder.onnx")) || !fs.existsSync(path.join(folder, "decoder.onnx"))) {
            throw new Error(`--model ${folder}: expected a folder with encoder.onnx and decoder.onnx, or "ENCODER_URL,DECODER_URL", or builtin`);
        }
    }
    return options;
}

/** The pipeline configuration's overrides: only what the flags set (the page fills in the defaults). */
export function pipelineOverrides(options) {
    const defined = (object) => Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
    return {
        capture: defined({ maxSide: options.size }),
        train: { ...defined({ seed: options.seed, distortion: options.distortion, checkpointInterval: options.checkpointEvery, sceneModel: options.sceneModel, appearance: options.appearance }), budget: defined({ iterations: options.iters || undefined, gridResolution: options.grid }) },
        segment: defined({ viewDepth: options.viewDepth ? undefined : false, maskChoice: options.maskChoice }),
        fuse: defined({ iterations: options.fuseIters || undefined, gridResolution: options.fuseGrid, rayPair: options.rayPair ? undefined : false, rayPairWeight: options.rayPairWeight, rayPairThreshold: options.rayPairThreshold, rayPairStart: options.rayPairStart }),
        extract: defined({ resolution: options.exportRes }),
    };
}

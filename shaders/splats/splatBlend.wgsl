// splatBlend: alpha-blends projected Gaussian splats front to back, one invocation per pixel, as
// 3DGS's rasterizer does (alpha = min(0.99, opacity * exp(-0.5 d^T conic d)), skipped below 1/255,
// stopping before transmittance falls under 1e-4). Two modes:
//   render (labelSlots == 0): writes each pixel's colour, opacity and weighted depth.
//   labels (labelSlots > 0):  adds each splat's blending weight w = alpha * T to the splat's slot
//       of the pixel's label (FlashSplat's per-Gaussian contribution inside each object's mask and
//       outside all of them), summed over pixels and, across dispatches, views. Which pixels vote
//       (vote): 0 every pixel the splat covers, w (FlashSplat's form); 1 every pixel, w^2 (a
//       pixel counts for the splats in proportion to their share of it); 2 centre votes: only
//       the pixel holding the splat's centre, with the splat's alpha there shared among the four
//       pixels around the centre by bilinear weights (centreVote), and only when the
//       splat lies on the surface that pixel shows (no more than surfaceTolerance of the pixel's
//       depth behind its expected depth, found by a first pass over the same splats): a mask
//       samples the object's surface at pixel centres, so tails over neighbouring pixels and
//       splats seen through a nearer surface vote with labels that are not theirs, while every
//       splat of the surface shown takes its label, however many lie in front of it. A splat
//       reaches that surface when its depth less SURFACE_SIGMAS of its own depth sigma does.
//       Centre votes go to the splat's first labelSlots words; its footprint votes (w^2, as 1)
//       to the next labelSlots, for splats whose centre no view shows on a surface.
// Buffers (group 0):
//   @binding(0) params      : uniform BlendParams
//   @binding(1) entries     : array<f32>, 12 per projected splat (splatView.ts): u, v, depth,
//                             opacity, conic a, b, c, splat index (u32 bits), r, g, b, depth sigma
//   @binding(2) tileRanges  : array<u32>, first and one-past-last tileEntries index per 16x16 tile
//   @binding(3) tileEntries : array<u32>, entry indices per tile, nearest first
//   @binding(4) pixelLabels : array<u32>, one label per pixel (labels mode; 0 = outside every object)
//   @binding(5) image       : array<f32>, 5 per pixel (out, render mode): r, g, b, opacity, sum of weight * depth
//   @binding(6) weights     : array<atomic<u32>>, labelSlots per splat, 2 * labelSlots with centre votes
//                             (labels mode; f32 sums via atomicAccumulate)
const WORKGROUP_SIZE: u32 = 64u;
const TILE_SIZE: u32 = 16u;
// Centre votes: a splat reaches the surface a pixel shows when its depth less this many of its depth sigmas lies in front of it.
const SURFACE_SIGMAS: f32 = 2.0;

struct BlendParams {
    width: u32,
    height: u32,
    tilesX: u32,
    labelSlots: u32,
    vote: u32,
    surfaceTolerance: f32,
}

@group(0) @binding(0) var<uniform> params: BlendParams;
@group(0) @binding(1) var<storage, read> entries: array<f32>;
@group(0) @binding(2) var<storage, read> tileRanges: array<u32>;
@group(0) @binding(3) var<storage, read> tileEntries: array<u32>;
@group(0) @binding(4) var<storage, read> pixelLabels: array<u32>;
@group(0) @binding(5) var<storage, read_write> image: array<f32>;
@group(0) @binding(6) var<storage, read_write> weights: array<atomic<u32>>;

// A splat's alpha at a pixel centre (3DGS's), 0 where it is skipped (behind its Gaussian's edge or under 1/255).
fn splatAlpha(e: u32, centre: vec2<f32>) -> f32 {
    let d = vec2<f32>(entries[e], entries[e + 1u]) - centre;
    let power = -0.5 * (entries[e + 4u] * d.x * d.x + entries[e + 6u] * d.y * d.y) - entries[e + 5u] * d.x * d.y;
    if (power > 0.0) {
        return 0.0;
    }
    let alpha = min(0.99, entries[e + 3u] * exp(power));
    return select(alpha, 0.0, alpha < 1.0 / 255.0);
}

// A centre vote: the splat's alpha shared among the four pixels around its projected centre with
// bilinear weights between their centres, each share to its pixel's label (the mask read at the
// centre itself rather than at the nearest pixel centre: on parts one to three pixels wide, the
// nearest pixel is as often off the part as on it).
fn centreVote(base: u32, splatCentre: vec2<f32>, alpha: f32) {
    let g = splatCentre - vec2<f32>(0.5);
    let g0 = floor(g);
    let t = g - g0;
    for (var n = 0u; n < 4u; n = n + 1u) {
        let dx = n & 1u;
        let dy = n >> 1u;
        let nx = u32(clamp(i32(g0.x) + i32(dx), 0, i32(params.width) - 1));
        let ny = u32(clamp(i32(g0.y) + i32(dy), 0, i32(params.height) - 1));
        let w = select(1.0 - t.x, t.x, dx == 1u) * select(1.0 - t.y, t.y, dy == 1u);
        let slot = base + min(pixelLabels[ny * params.width + nx], params.labelSlots - 1u);
        atomicAccumulate(&weights[slot], alpha * w);
    }
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(invocation: LinearInvocation) {
    let pixel = linearIndex(invocation, WORKGROUP_SIZE);
    if (pixel >= params.width * params.height) {
        return;
    }
    let x = pixel % params.width;
    let y = pixel / params.width;
    let tile = (y / TILE_SIZE) * params.tilesX + x / TILE_SIZE;
    let first = tileRanges[tile * 2u];
    let last = tileRanges[tile * 2u + 1u];
    let centre = vec2<f32>(f32(x) + 0.5, f32(y) + 0.5);
    var label = 0u;
    if (params.labelSlots > 0u) {
        label = min(pixelLabels[pixel], params.labelSlots - 1u);
    }
    let centreVotes = params.labelSlots > 0u && params.vote == 2u;
    // centre votes: the depth of the surface this pixel shows (as render mode's weighted depth)
    var surfaceDepth = 3.4e38;
    if (centreVotes) {
        var shown = 1.0;
        var weightedDepth = 0.0;
        for (var k = first; k < last; k = k + 1u) {
            let e = tileEntries[k] * 12u;
            let alpha = splatAlpha(e, centre);
            if (alpha == 0.0) {
                continue;
            }
            let next = shown * (1.0 - alpha);
            if (next < 0.0001) {
                break;
            }
            weightedDepth = weightedDepth + alpha * shown * entries[e + 2u];
            shown = next;
        }
        if (shown < 1.0) {
            surfaceDepth = weightedDepth / (1.0 - shown) * (1.0 + params.surfaceTolerance);
        }
    }
    var transmittance = 1.0;
    var color = vec3<f32>(0.0);
    var depth = 0.0;
    for (var k = first; k < last; k = k + 1u) {
        let e = tileEntries[k] * 12u;
        let alpha = splatAlpha(e, centre);
        if (alpha == 0.0) {
            continue;
        }
        let next = transmittance * (1.0 - alpha);
        if (next < 0.0001) {
            break;
        }
        let weight = alpha * transmittance;
        if (params.labelSlots > 0u) {
            let splat = bitcast<u32>(entries[e + 7u]);
            if (centreVotes) {
                let base = splat * params.labelSlots * 2u;
                atomicAccumulate(&weights[base + params.labelSlots + label], weight * weight);
                let onSurface = entries[e + 2u] - SURFACE_SIGMAS * entries[e + 11u] <= surfaceDepth;
                if (onSurface && floor(entries[e]) == f32(x) && floor(entries[e + 1u]) == f32(y)) {
                    centreVote(base, vec2<f32>(entries[e], entries[e + 1u]), alpha);
                }
            } else {
                atomicAccumulate(&weights[splat * params.labelSlots + label], select(weight, weight * weight, params.vote == 1u));
            }
        } else {
            color = color + weight * vec3<f32>(entries[e + 8u], entries[e + 9u], entries[e + 10u]);
            depth = depth + weight * entries[e + 2u];
        }
        transmittance = next;
    }
    if (params.labelSlots == 0u) {
        image[pixel * 5u] = color.r;
        image[pixel * 5u + 1u] = color.g;
        image[pixel * 5u + 2u] = color.b;
        image[pixel * 5u + 3u] = 1.0 - transmittance;
        image[pixel * 5u + 4u] = depth;
    }
}

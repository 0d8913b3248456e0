// featureDistill: the distilled feature field (SANeRF-HQ's second feature container). A grid of
// `channels` features per point, aligned with the radiance field's box and contraction (its own
// resolution), plus one background feature stored after the grid (point `pointCount`):
//   features : array<f32>  (pointCount + 1) * channels; point v, channel c at [v * channels + c]
// A ray's feature is rendered with the frozen radiance field's weights (fieldWeights.wgsl):
//   F_c = sum_i w_i f_c(x_i) + (1 - sum_i w_i) b_c        (f trilinear, b the background feature)
// Training (training != 0): the target is the encoder's feature of the ray's cell (targets, indexed
// by the ray's pixel id, rayGeneration.wgsl), loss L = sum_c (F_c - E_c)^2 / channels per ray,
// dL/dF_c = 2 (F_c - E_c) / channels split over the samples' trilinear corners (w_i * corner weight)
// and the background (1 - sum_i w_i) with atomicAccumulate; touched points are listed with
// markTouched (common/touchedPoints.wgsl) for objectAdam.wgsl.
// Layout: one invocation per (ray, group of GROUP_CHANNELS channels), group-major over padded rays:
// index = group * paddedRays + r, paddedRays = rayCount rounded up to 64, so each workgroup holds 64
// rays of one channel group; an invocation finds its samples' trilinear corners once for all the
// group's channels (2.6x faster than one invocation per channel on SwiftShader), and the workgroup
// sums its background gradient per channel in workgroup memory before one atomic add per channel.
// Buffers (group 0):
//   @binding(0) params       : uniform FeatureParams
//   @binding(1) rays         : array<Ray>         (rayGeneration.wgsl; background.w = pixel id)
//   @binding(2) samples      : array<vec4<f32>>   (position, w) per ray sample (fieldWeights.wgsl)
//   @binding(3) rayColor     : array<vec4<f32>>   (rendered rgb, samples used)
//   @binding(4) targets      : array<f32>         channels per pixel id (training only)
//   @binding(5) features     : array<f32>         the feature grid and background
//   @binding(6) grad         : array<atomic<u32>> channels words per point (accumulated)
//   @binding(7) touchedList  : array<u32>
//   @binding(8) touchedState : array<atomic<u32>> [0] count, [4 + v / 32] bits (common/touchedPoints.wgsl)
//   @binding(9) rayFeature   : array<f32>         (out) F_c at [r * channels + c]
//   @binding(10) rayLoss     : array<f32>         (out, training) (F_c - E_c)^2 / channels at [r * channels + c]
const WORKGROUP_SIZE: u32 = 64u;

struct FeatureParams {
    boundsMin: vec3<f32>,
    channels: u32,
    boundsMax: vec3<f32>,
    pointCount: u32,
    gridSize: vec3<u32>,
    rayCount: u32,
    maxSamples: u32,
    training: u32,
    minWeight: f32,
    contraction: u32,
}

@group(0) @binding(0) var<uniform> params: FeatureParams;
@group(0) @binding(1) var<storage, read> rays: array<Ray>;
@group(0) @binding(2) var<storage, read> samples: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> rayColor: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> targets: array<f32>;
@group(0) @binding(5) var<storage, read> features: array<f32>;
@group(0) @binding(6) var<storage, read_write> grad: array<atomic<u32>>;
@group(0) @binding(7) var<storage, read_write> touchedList: array<u32>;
@group(0) @binding(8) var<storage, read_write> touchedState: array<atomic<u32>>;
@group(0) @binding(9) var<storage, read_write> rayFeature: array<f32>;
@group(0) @binding(10) var<storage, read_write> rayLoss: array<f32>;

// GROUP_CHANNELS (channels one invocation handles) is prepended by featureKernels.ts.
var<workgroup> sharedBackground: array<f32, GROUP_CHANNELS * WORKGROUP_SIZE>;

fn featureGrid() -> FieldParams {
    var grid: FieldParams;
    grid.boundsMin = params.boundsMin;
    grid.boundsMax = params.boundsMax;
    grid.gridSize = params.gridSize;
    grid.voxelCount = params.pointCount;
    grid.contraction = params.contraction;
    return grid;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(invocation: LinearInvocation) {
    let index = linearIndex(invocation, WORKGROUP_SIZE);
    let channels = params.channels;
    let paddedRays = (params.rayCount + WORKGROUP_SIZE - 1u) / WORKGROUP_SIZE * WORKGROUP_SIZE;
    let r = index % paddedRays;
    let first = (index / paddedRays) * GROUP_CHANNELS;
    let count = min(GROUP_CHANNELS, max(channels, first) - first);
    let inRange = r < params.rayCount && count > 0u;
    let grid = featureGrid();
    var values: array<f32, GROUP_CHANNELS>;
    var gradients: array<f32, GROUP_CHANNELS>;
    var opacity = 0.0;
    var used = 0u;
    if (inRange) {
        used = u32(rayColor[r].w);
        for (var i = 0u; i < used; i = i + 1u) {
            let s = samples[r * params.maxSamples + i];
            if (s.w < params.minWeight) {
                continue;
            }
            let tri = trilinearAt(grid, s.xyz);
            for (var k = 0u; k < 8u; k = k + 1u) {
                let weight = s.w * cornerWeight(tri, k);
                let base = cornerIndex(grid, tri, k) * channels + first;
                for (var j = 0u; j < count; j = j + 1u) {
                    values[j] = values[j] + weight * features[base + j];
                }
            }
            opacity = opacity + s.w;
        }
        let backgroundShare = max(0.0, 1.0 - opacity);
        for (var j = 0u; j < count; j = j + 1u) {
            values[j] = values[j] + backgroundShare * features[params.pointCount * channels + first + j];
            rayFeature[r * channels + first + j] = values[j];
        }
    }
    if (params.training == 0u) {
        return;
    }
    let backgroundShare = max(0.0, 1.0 - opacity);
    if (inRange) {
        let pixel = bitcast<u32>(rays[r].background.w);
        for (var j = 0u; j < count; j = j + 1u) {
            let difference = values[j] - targets[pixel * channels + first + j];
            rayLoss[r * channels + first + j] = difference * difference / f32(channels);
            gradients[j] = 2.0 * difference / f32(channels);
        }
        for (var i = 0u; i < used; i = i + 1u) {
            let s = samples[r * params.maxSamples + i];
            if (s.w < params.minWeight) {
                continue;
            }
            let tri = trilinearAt(grid, s.xyz);
            for (var k = 0u; k < 8u; k = k + 1u) {
                let point = cornerIndex(grid, tri, k);
                let weight = s.w * cornerWeight(tri, k);
                for (var j = 0u; j < count; j = j + 1u) {
                    atomicAccumulate(&grad[point * channels + first + j], gradients[j] * weight);
                }
                if (first == 0u) {
                    markTouched(&touchedState, &touchedList, point);
                }
            }
        }
    }
    for (var j = 0u; j < GROUP_CHANNELS; j = j + 1u) {
        sharedBackground[j * WORKGROUP_SIZE + invocation.localIndex] = gradients[j] * backgroundShare;
    }
    workgroupBarrier();
    // the workgroup's 64 rays share one channel group: invocation j sums channel first + j's background gradient
    let j = invocation.localIndex;
    if (j < count && r - j < params.rayCount) {
        var sum = 0.0;
        for (var k = 0u; k < WORKGROUP_SIZE; k = k + 1u) {
            sum = sum + sharedBackground[j * WORKGROUP_SIZE + k];
        }
        atomicAccumulate(&grad[params.pointCount * channels + first + j], sum);
        if (first == 0u && j == 0u) {
            markTouched(&touchedState, &touchedList, params.pointCount);
        }
    }
}

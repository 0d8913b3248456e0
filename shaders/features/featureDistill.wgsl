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
// Layout: one invocation per (ray, channel), channel-major over padded rays: index = c * paddedRays + r,
// paddedRays = rayCount rounded up to 64, so each workgroup holds 64 rays of one channel and sums its
// background gradient in workgroup memory before one atomic add.
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

var<workgroup> sharedBackground: array<f32, 64>;

fn featureGrid() -> FieldParams {
    var grid: FieldParams;
    grid.boundsMin = params.boundsMin;
    grid.boundsMax = params.boundsMax;
    grid.gridSize = params.gridSize;
    grid.voxelCount = params.pointCount;
    grid.contraction = params.contraction;
    return grid;
}

// Channel c of the feature grid at a point's trilinear corners.
fn featureAt(grid: FieldParams, tri: Trilinear, c: u32) -> f32 {
    var value = 0.0;
    for (var k = 0u; k < 8u; k = k + 1u) {
        value = value + cornerWeight(tri, k) * features[cornerIndex(grid, tri, k) * params.channels + c];
    }
    return value;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(invocation: LinearInvocation) {
    let index = linearIndex(invocation, WORKGROUP_SIZE);
    let channels = params.channels;
    let paddedRays = (params.rayCount + WORKGROUP_SIZE - 1u) / WORKGROUP_SIZE * WORKGROUP_SIZE;
    let r = index % paddedRays;
    let c = index / paddedRays;
    let inRange = r < params.rayCount && c < channels;
    let grid = featureGrid();
    var value = 0.0;
    var opacity = 0.0;
    var used = 0u;
    if (inRange) {
        used = u32(rayColor[r].w);
        for (var i = 0u; i < used; i = i + 1u) {
            let s = samples[r * params.maxSamples + i];
            if (s.w < params.minWeight) {
                continue;
            }
            value = value + s.w * featureAt(grid, trilinearAt(grid, s.xyz), c);
            opacity = opacity + s.w;
        }
        let backgroundShare = max(0.0, 1.0 - opacity);
        value = value + backgroundShare * features[params.pointCount * channels + c];
        rayFeature[r * channels + c] = value;
    }
    if (params.training == 0u) {
        return;
    }
    var g = 0.0;
    if (inRange) {
        let pixel = bitcast<u32>(rays[r].background.w);
        let difference = value - targets[pixel * channels + c];
        rayLoss[r * channels + c] = difference * difference / f32(channels);
        g = 2.0 * difference / f32(channels);
        for (var i = 0u; i < used; i = i + 1u) {
            let s = samples[r * params.maxSamples + i];
            if (s.w < params.minWeight) {
                continue;
            }
            let tri = trilinearAt(grid, s.xyz);
            for (var k = 0u; k < 8u; k = k + 1u) {
                let point = cornerIndex(grid, tri, k);
                atomicAccumulate(&grad[point * channels + c], g * s.w * cornerWeight(tri, k));
                if (c == 0u) {
                    markTouched(&touchedState, &touchedList, point);
                }
            }
        }
    }
    sharedBackground[invocation.localIndex] = g * max(0.0, 1.0 - opacity);
    workgroupBarrier();
    if (invocation.localIndex == 0u && c < channels && r < params.rayCount) {
        var sum = 0.0;
        for (var j = 0u; j < WORKGROUP_SIZE; j = j + 1u) {
            sum = sum + sharedBackground[j];
        }
        atomicAccumulate(&grad[params.pointCount * channels + c], sum);
        if (c == 0u) {
            markTouched(&touchedState, &touchedList, params.pointCount);
        }
    }
}

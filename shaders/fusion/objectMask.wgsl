// objectMask: renders the object field for any rays (capture frames, the viewport): the label
// distribution m of each ray (objectCommon.wgsl, the frozen NeRF's weights from fieldWeights.wgsl)
// reduced to its most likely label and probabilities.
// Buffers (group 0):
//   @binding(0) params   : uniform ObjectParams
//   @binding(1) samples  : array<vec4<f32>>  (position, w) per ray sample
//   @binding(2) rayColor : array<vec4<f32>>  (rgb, samples used)
//   @binding(3) logits   : array<f32>
//   @binding(4) rayMask  : array<vec4<f32>>  per ray (out): (label, its probability, object
//                          probability = 1 - background, NeRF opacity)
const WORKGROUP_SIZE: u32 = 64u;

@group(0) @binding(0) var<uniform> params: ObjectParams;
@group(0) @binding(1) var<storage, read> samples: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> rayColor: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> logits: array<f32>;
@group(0) @binding(4) var<storage, read_write> rayMask: array<vec4<f32>>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(invocation: LinearInvocation) {
    let r = linearIndex(invocation, WORKGROUP_SIZE);
    if (r >= params.rayCount) {
        return;
    }
    let grid = objectGrid(params);
    let channels = params.channels;
    let used = u32(rayColor[r].w);
    var m = array<f32, 8>(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    var opacity = 0.0;
    for (var i = 0u; i < used; i = i + 1u) {
        let s = samples[r * params.maxSamples + i];
        if (s.w < params.minWeight) {
            continue;
        }
        let l = objectLogitsAt(grid, trilinearAt(grid, s.xyz), &logits, channels);
        if (params.softmax == 0u) {
            m[0] = m[0] + s.w * sigmoid(l[0]);
        } else {
            // rounded as (w * exp) / sum; objectFusion's activationAt rounds w * (exp / sum)
            let terms = softmaxTerms(l, channels);
            for (var k = 0u; k < channels; k = k + 1u) {
                m[k] = m[k] + s.w * terms.exponentials[k] / terms.sum;
            }
        }
        opacity = opacity + s.w;
    }
    if (params.softmax == 0u) {
        rayMask[r] = vec4<f32>(select(0.0, 1.0, m[0] > 0.5), max(m[0], 1.0 - m[0]), m[0], opacity);
        return;
    }
    m[0] = m[0] + max(0.0, 1.0 - opacity);
    var best = 0u;
    for (var k = 1u; k < channels; k = k + 1u) {
        if (m[k] > m[best]) {
            best = k;
        }
    }
    rayMask[r] = vec4<f32>(f32(best), m[best], 1.0 - m[0], opacity);
}

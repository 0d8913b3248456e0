// objectCommon: the object field's layout and lookups, shared by objectFusion.wgsl and objectMask.wgsl
// (after fieldCommon). Needs `requires unrestricted_pointer_parameters;` (ComposeWgsl hoists it).
// The object field is a grid of logits aligned with the radiance field's box and contraction (its
// own resolution):
//   logits : array<f32>  pointCount * channels; point v, channel c at [v * channels + c]
// Softmax mode (several objects): channel 0 = background, channel k = object k; a ray's label
// distribution is m = sum_i w_i softmax(l(x_i)) + (1 - sum_i w_i) * e_0 (what the NeRF leaves
// transparent is background). Sigmoid mode (one object, channels = 1): m = sum_i w_i sigmoid(l(x_i)),
// the object probability. w_i are the frozen radiance field's weights (fieldWeights.wgsl).
const MAX_CHANNELS: u32 = 8u;

struct ObjectParams {
    boundsMin: vec3<f32>,
    channels: u32,
    boundsMax: vec3<f32>,
    softmax: u32,
    gridSize: vec3<u32>,
    pointCount: u32,
    rayCount: u32,
    maxSamples: u32,
    rayPair: u32,
    training: u32,
    rayPairWeight: f32,
    rayPairThreshold: f32,
    epsilon: f32,
    minWeight: f32,
    rayPairSharpness: f32,
    contraction: u32,
    padding1: u32,
    padding2: u32,
}

fn objectGrid(params: ObjectParams) -> FieldParams {
    var grid: FieldParams;
    grid.boundsMin = params.boundsMin;
    grid.boundsMax = params.boundsMax;
    grid.gridSize = params.gridSize;
    grid.voxelCount = params.pointCount;
    grid.contraction = params.contraction;
    return grid;
}

// The object field's logits at a point: the first `channels` entries, trilinearly interpolated.
fn objectLogitsAt(grid: FieldParams, tri: Trilinear, logits: ptr<storage, array<f32>, read>, channels: u32) -> array<f32, 8> {
    var l = array<f32, 8>(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    for (var c = 0u; c < 8u; c = c + 1u) {
        let index = cornerIndex(grid, tri, c);
        let weight = cornerWeight(tri, c);
        for (var k = 0u; k < channels; k = k + 1u) {
            l[k] = l[k] + weight * (*logits)[index * channels + k];
        }
    }
    return l;
}

// Softmax of the first `channels` logits, unnormalised: p_k = exponentials[k] / sum.
struct SoftmaxTerms {
    exponentials: array<f32, 8>,
    sum: f32,
}

fn softmaxTerms(l: array<f32, 8>, channels: u32) -> SoftmaxTerms {
    var largest = l[0];
    for (var k = 1u; k < channels; k = k + 1u) {
        largest = max(largest, l[k]);
    }
    var result: SoftmaxTerms;
    result.exponentials = array<f32, 8>(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    result.sum = 0.0;
    for (var k = 0u; k < channels; k = k + 1u) {
        result.exponentials[k] = exp(l[k] - largest);
        result.sum = result.sum + result.exponentials[k];
    }
    return result;
}

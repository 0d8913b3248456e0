// objectCommon: the object field's layout, shared by the fusion kernels (after fieldCommon).
// The object field is a grid of logits aligned with the radiance field's box (its own resolution):
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
    padding0: u32,
    padding1: u32,
    padding2: u32,
}

fn objectGrid(params: ObjectParams) -> FieldParams {
    var grid: FieldParams;
    grid.boundsMin = params.boundsMin;
    grid.boundsMax = params.boundsMax;
    grid.gridSize = params.gridSize;
    grid.voxelCount = params.pointCount;
    return grid;
}

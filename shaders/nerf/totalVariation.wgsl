// totalVariation: adds the gradient of a squared total-variation regulariser to the touched grid
// points: for point v with grid neighbours n (6-connected, inside the grid),
//   grad[v] += lambda * sum_n (value_v - value_n)
// (lambda absorbs the factor 2), with lambdaDensity for the raw density and lambdaColor for each
// SH coefficient. Each invocation writes only its own point's gradient words.
// Buffers (group 0):
//   @binding(0) field        : uniform FieldParams
//   @binding(1) params       : uniform { lambdaDensity: f32, lambdaColor: f32 }
//   @binding(2) density      : array<f32>
//   @binding(3) sh           : array<vec4<f32>>
//   @binding(4) touchedList  : array<u32>
//   @binding(5) touchedState : array<u32>          [0] = touched count
//   @binding(6) grad         : array<atomic<u32>>  13 words per point (volumeRenderBackward.wgsl)
const WORKGROUP_SIZE: u32 = 64u;

struct TotalVariationParams {
    lambdaDensity: f32,
    lambdaColor: f32,
}

@group(0) @binding(0) var<uniform> field: FieldParams;
@group(0) @binding(1) var<uniform> params: TotalVariationParams;
@group(0) @binding(2) var<storage, read> density: array<f32>;
@group(0) @binding(3) var<storage, read> sh: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> touchedList: array<u32>;
@group(0) @binding(5) var<storage, read> touchedState: array<u32>;
@group(0) @binding(6) var<storage, read_write> grad: array<atomic<u32>>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(invocation: LinearInvocation) {
    let slot = linearIndex(invocation, WORKGROUP_SIZE);
    if (slot >= touchedState[0]) {
        return;
    }
    let v = touchedList[slot];
    let gx = field.gridSize.x;
    let gy = field.gridSize.y;
    let i = v % gx;
    let j = (v / gx) % gy;
    let k = v / (gx * gy);
    let d = density[v];
    let c0 = sh[3u * v];
    let c1 = sh[3u * v + 1u];
    let c2 = sh[3u * v + 2u];
    var dDensity = 0.0;
    var d0 = vec4<f32>(0.0);
    var d1 = vec4<f32>(0.0);
    var d2 = vec4<f32>(0.0);
    for (var n = 0u; n < 6u; n = n + 1u) {
        let axis = n / 2u;
        let up = (n & 1u) == 1u;
        var coordinate = vec3<u32>(i, j, k);
        if (up) {
            if (coordinate[axis] + 1u >= field.gridSize[axis]) {
                continue;
            }
            coordinate[axis] = coordinate[axis] + 1u;
        } else {
            if (coordinate[axis] == 0u) {
                continue;
            }
            coordinate[axis] = coordinate[axis] - 1u;
        }
        let w = voxelIndex(field, coordinate.x, coordinate.y, coordinate.z);
        dDensity = dDensity + (d - density[w]);
        d0 = d0 + (c0 - sh[3u * w]);
        d1 = d1 + (c1 - sh[3u * w + 1u]);
        d2 = d2 + (c2 - sh[3u * w + 2u]);
    }
    atomicAccumulate(&grad[13u * v], params.lambdaDensity * dDensity);
    if (params.lambdaColor != 0.0) {
        for (var b = 0u; b < 4u; b = b + 1u) {
            atomicAccumulate(&grad[13u * v + 1u + b], params.lambdaColor * d0[b]);
            atomicAccumulate(&grad[13u * v + 5u + b], params.lambdaColor * d1[b]);
            atomicAccumulate(&grad[13u * v + 9u + b], params.lambdaColor * d2[b]);
        }
    }
}

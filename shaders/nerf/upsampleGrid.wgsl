// upsampleGrid: resamples a field onto a new grid (coarse-to-fine growth, or a tighter box):
// every new grid point takes the trilinear interpolation of the old grid at its world position
// (clamped to the old box), for the raw density and the 12 SH coefficients. Contracted fields keep
// their box when they grow: new and old grids share the unit cube, and resample in it.
// Buffers (group 0):
//   @binding(0) field      : uniform FieldParams   the new grid
//   @binding(1) source     : uniform FieldParams   the old grid
//   @binding(2) oldDensity : array<f32>
//   @binding(3) oldSh      : array<vec4<f32>>
//   @binding(4) newDensity : array<f32>           (out)
//   @binding(5) newSh      : array<vec4<f32>>     (out)
const WORKGROUP_SIZE: u32 = 64u;

@group(0) @binding(0) var<uniform> field: FieldParams;
@group(0) @binding(1) var<uniform> source: FieldParams;
@group(0) @binding(2) var<storage, read> oldDensity: array<f32>;
@group(0) @binding(3) var<storage, read> oldSh: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> newDensity: array<f32>;
@group(0) @binding(5) var<storage, read_write> newSh: array<vec4<f32>>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(invocation: LinearInvocation) {
    let v = linearIndex(invocation, WORKGROUP_SIZE);
    if (v >= field.voxelCount) {
        return;
    }
    let gx = field.gridSize.x;
    let gy = field.gridSize.y;
    let g = vec3<f32>(f32(v % gx), f32((v / gx) % gy), f32(v / (gx * gy)));
    let unit = g / vec3<f32>(field.gridSize - vec3<u32>(1u));
    var tri: Trilinear;
    if (field.contraction != 0u) {
        tri = trilinearAtUnit(source, unit);
    } else {
        tri = trilinearAt(source, field.boundsMin + unit * (field.boundsMax - field.boundsMin));
    }
    var d = 0.0;
    var c0 = vec4<f32>(0.0);
    var c1 = vec4<f32>(0.0);
    var c2 = vec4<f32>(0.0);
    for (var c = 0u; c < 8u; c = c + 1u) {
        let index = cornerIndex(source, tri, c);
        let w = cornerWeight(tri, c);
        d = d + w * oldDensity[index];
        c0 = c0 + w * oldSh[3u * index];
        c1 = c1 + w * oldSh[3u * index + 1u];
        c2 = c2 + w * oldSh[3u * index + 2u];
    }
    newDensity[v] = d;
    newSh[3u * v] = c0;
    newSh[3u * v + 1u] = c1;
    newSh[3u * v + 2u] = c2;
}

// occupancyUpdate: refreshes the occupancy bitfield from the density grid. Each invocation owns
// one 32-cell word. For each cell, the largest raw density over the grid points whose trilinear
// support touches the cell bounds the density anywhere inside it (trilinear interpolation is a
// convex combination); the cell keeps an exponential moving maximum
//   cellDensity = max(cellDensity * decay, softplus(maxRaw + densityShift))
// and is occupied when 1 - exp(-cellDensity * cellWidth) > alphaThreshold (cellWidth: the widest
// sample step in the cell, fieldCommon.wgsl).
// Buffers (group 0):
//   @binding(0) field       : uniform FieldParams
//   @binding(1) params      : uniform { decay: f32, alphaThreshold: f32 }
//   @binding(2) density     : array<f32>
//   @binding(3) cellDensity : array<f32>           one per cell (updated)
//   @binding(4) occupancy   : array<u32>           bits (out)
//   @binding(5) stats       : array<atomic<u32>>   [0] += occupied cells (zero it before)
const WORKGROUP_SIZE: u32 = 64u;

struct OccupancyParams {
    decay: f32,
    alphaThreshold: f32,
}

@group(0) @binding(0) var<uniform> field: FieldParams;
@group(0) @binding(1) var<uniform> params: OccupancyParams;
@group(0) @binding(2) var<storage, read> density: array<f32>;
@group(0) @binding(3) var<storage, read_write> cellDensity: array<f32>;
@group(0) @binding(4) var<storage, read_write> occupancy: array<u32>;
@group(0) @binding(5) var<storage, read_write> stats: array<atomic<u32>>;

fn maxRawInCell(cell: u32) -> f32 {
    let ox = field.occupancySize.x;
    let oy = field.occupancySize.y;
    let c = vec3<u32>(cell % ox, (cell / ox) % oy, cell / (ox * oy));
    let scale = vec3<f32>(field.gridSize - vec3<u32>(1u)) / vec3<f32>(field.occupancySize);
    let lo = vec3<u32>(floor(vec3<f32>(c) * scale));
    let hi = min(vec3<u32>(ceil(vec3<f32>(c + vec3<u32>(1u)) * scale)), field.gridSize - vec3<u32>(1u));
    var best = -1e30;
    for (var k = lo.z; k <= hi.z; k = k + 1u) {
        for (var j = lo.y; j <= hi.y; j = j + 1u) {
            for (var i = lo.x; i <= hi.x; i = i + 1u) {
                best = max(best, density[voxelIndex(field, i, j, k)]);
            }
        }
    }
    return best;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(invocation: LinearInvocation) {
    let word = linearIndex(invocation, WORKGROUP_SIZE);
    let first = word * 32u;
    if (first >= field.occupancyCellCount) {
        return;
    }
    var bits = 0u;
    var occupied = 0u;
    for (var b = 0u; b < 32u; b = b + 1u) {
        let cell = first + b;
        if (cell >= field.occupancyCellCount) {
            break;
        }
        let value = max(cellDensity[cell] * params.decay, sigmaOf(field, maxRawInCell(cell)));
        cellDensity[cell] = value;
        let ox = field.occupancySize.x;
        let oy = field.occupancySize.y;
        let width = cellWidth(field, vec3<u32>(cell % ox, (cell / ox) % oy, cell / (ox * oy)));
        if (stepAlpha(value, width) > params.alphaThreshold) {
            bits = bits | (1u << b);
            occupied = occupied + 1u;
        }
    }
    occupancy[word] = bits;
    atomicAdd(&stats[0], occupied);
}

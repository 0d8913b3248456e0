// scatterAdd: accumulator[index[k]] += value[k] for every k < count, many k per word at once.
// The accumulation primitive of every backward pass (see common/atomicAccumulate.wgsl for the
// float compare-exchange mode and the deterministic fixed-point mode).
// Buffers (group 0):
//   @binding(0) params      : uniform CountParams (linearIndex.wgsl)
//   @binding(1) index       : array<u32>          count target words
//   @binding(2) value       : array<f32>          count values
//   @binding(3) accumulator : array<atomic<u32>>  f32 bits (float mode) or i32 fixed point (deterministic)

const WORKGROUP_SIZE: u32 = 256u;

@group(0) @binding(0) var<uniform> params: CountParams;
@group(0) @binding(1) var<storage, read> index: array<u32>;
@group(0) @binding(2) var<storage, read> value: array<f32>;
@group(0) @binding(3) var<storage, read_write> accumulator: array<atomic<u32>>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(invocation: LinearInvocation) {
    let k = linearIndex(invocation, WORKGROUP_SIZE);
    if (k >= params.count) {
        return;
    }
    atomicAccumulate(&accumulator[index[k]], value[k]);
}

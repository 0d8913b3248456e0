// sumReduce: one pass of a parallel sum.
// Algorithm: each workgroup of 256 invocations loads 2 elements per invocation (512 per group),
// then halves a workgroup-shared array 256 -> 1 (tree order: s[i] += s[i + stride]).
// Repeated passes reduce n -> ceil(n / 512) -> ... -> 1.
// Buffers (group 0):
//   @binding(0) params : uniform CountParams (linearIndex.wgsl)  number of valid input floats
//   @binding(1) input  : array<f32>                              count floats (read only)
//   @binding(2) output : array<f32>                              ceil(count / 512) partial sums, one per workgroup
const WORKGROUP_SIZE: u32 = 256u;

@group(0) @binding(0) var<uniform> params: CountParams;
@group(0) @binding(1) var<storage, read> input: array<f32>;
@group(0) @binding(2) var<storage, read_write> output: array<f32>;

var<workgroup> partial: array<f32, WORKGROUP_SIZE>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(invocation: LinearInvocation) {
    let group = workgroupIndex(invocation);
    let localIndex = invocation.localIndex;
    let base = group * WORKGROUP_SIZE * 2u + localIndex;
    var value = 0.0;
    if (base < params.count) {
        value = input[base];
    }
    if (base + WORKGROUP_SIZE < params.count) {
        value = value + input[base + WORKGROUP_SIZE];
    }
    partial[localIndex] = value;
    workgroupBarrier();
    for (var stride = WORKGROUP_SIZE / 2u; stride > 0u; stride = stride / 2u) {
        if (localIndex < stride) {
            partial[localIndex] = partial[localIndex] + partial[localIndex + stride];
        }
        workgroupBarrier();
    }
    if (localIndex == 0u && group * WORKGROUP_SIZE * 2u < params.count) {
        output[group] = partial[0];
    }
}

// prepareIndirect: turns the backward pass's touched count into dispatchWorkgroupsIndirect
// arguments for the per-touched-point kernels (total variation, Adam): ceil(count / 64)
// workgroups of 64, folded into x <= 65535 and y (kernels use linearIndex and check count).
// Buffers (group 0):
//   @binding(0) touchedState : array<u32>  [0] = touched count (volumeRenderBackward.wgsl)
//   @binding(1) indirectArgs : array<u32>  [x, y, z] workgroup counts (out)
@group(0) @binding(0) var<storage, read> touchedState: array<u32>;
@group(0) @binding(1) var<storage, read_write> indirectArgs: array<u32>;

@compute @workgroup_size(1)
fn main() {
    let groups = (touchedState[0] + 63u) / 64u;
    let y = (groups + 65534u) / 65535u;
    indirectArgs[0] = select(0u, (groups + y - 1u) / y, groups > 0u);
    indirectArgs[1] = max(y, 1u);
    indirectArgs[2] = 1u;
}

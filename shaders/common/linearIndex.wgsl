// Linear invocation index for kernels dispatched on a 2-D grid of 1-D workgroups.
// ComputeKernel.GridFor folds counts above 65535 workgroups into y; the linear index is
// (workgroup.y * num_workgroups.x + workgroup.x) * WORKGROUP_SIZE + local_invocation_index.
fn linearIndex(workgroup: vec3<u32>, numWorkgroups: vec3<u32>, localIndex: u32, workgroupSize: u32) -> u32 {
    return (workgroup.y * numWorkgroups.x + workgroup.x) * workgroupSize + localIndex;
}

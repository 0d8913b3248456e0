// Linear invocation index for kernels dispatched on a 2-D grid of 1-D workgroups.
// ComputeKernel.GridFor folds counts above 65535 workgroups into y; the linear index is
// (workgroup.y * num_workgroups.x + workgroup.x) * WORKGROUP_SIZE + local_invocation_index.
// Entry points take the builtins as one parameter:
//   @compute @workgroup_size(WORKGROUP_SIZE)
//   fn main(invocation: LinearInvocation) { let k = linearIndex(invocation, WORKGROUP_SIZE); ... }
struct LinearInvocation {
    @builtin(workgroup_id) workgroup: vec3<u32>,
    @builtin(num_workgroups) numWorkgroups: vec3<u32>,
    @builtin(local_invocation_index) localIndex: u32,
}

// Index of the invocation's workgroup in the folded grid.
fn workgroupIndex(invocation: LinearInvocation) -> u32 {
    return invocation.workgroup.y * invocation.numWorkgroups.x + invocation.workgroup.x;
}

fn linearIndex(invocation: LinearInvocation, workgroupSize: u32) -> u32 {
    return workgroupIndex(invocation) * workgroupSize + invocation.localIndex;
}

// The uniform of a pass over `count` linear indices (scatterAdd, sumReduce).
struct CountParams {
    count: u32,
}

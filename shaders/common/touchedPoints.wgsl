// The touched-point list of a backward pass (volumeRenderBackward.wgsl, objectFusion.wgsl): every
// grid point that receives a gradient is marked once in touchedState's bitfield and appended to
// touchedList, so the optimizer (adam.wgsl, objectAdam.wgsl, after prepareIndirect.wgsl) visits only those.
//   touchedList  : array<u32>          the touched points, in no particular order
//   touchedState : array<atomic<u32>>  [0] touched count, [1..3] unused, [4 + v / 32] bit v % 32 = point v touched
// Needs `requires unrestricted_pointer_parameters;` (ComposeWgsl hoists it).
const TOUCHED_BITS_OFFSET: u32 = 4u;

fn markTouched(touchedState: ptr<storage, array<atomic<u32>>, read_write>, touchedList: ptr<storage, array<u32>, read_write>, index: u32) {
    let word = TOUCHED_BITS_OFFSET + (index >> 5u);
    let mask = 1u << (index & 31u);
    if ((atomicLoad(&(*touchedState)[word]) & mask) != 0u) {
        return;
    }
    let before = atomicOr(&(*touchedState)[word], mask);
    if ((before & mask) == 0u) {
        (*touchedList)[atomicAdd(&(*touchedState)[0], 1u)] = index;
    }
}

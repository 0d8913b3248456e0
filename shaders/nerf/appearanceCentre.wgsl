// appearanceCentre: after each appearanceStep, shifts every photo's colour transform by the same
// amount so that their mean is the identity:
//   P_f = P_f - (mean over photos of P) + I      (each of the 12 entries)
// The loss cannot tell a field whose colours are all transformed by some M from transforms that
// undo M (a gauge freedom); without this the field's colours drift along it while the transforms
// compensate. Centred, the field's colours are the photos' average appearance, which holdout views
// and every render of the field show. One invocation per entry (12), in one workgroup.
// Buffers (group 0):
//   @binding(0) params     : uniform AppearanceParams (frameCount)
//   @binding(1) transforms : array<f32>   12 per photo, updated
const WORKGROUP_SIZE: u32 = 64u;

@group(0) @binding(0) var<uniform> params: AppearanceParams;
@group(0) @binding(1) var<storage, read_write> transforms: array<f32>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(invocation: LinearInvocation) {
    let k = linearIndex(invocation, WORKGROUP_SIZE);
    if (k >= 12u || params.frameCount == 0u) {
        return;
    }
    var sum = 0.0;
    for (var f = 0u; f < params.frameCount; f = f + 1u) {
        sum = sum + transforms[12u * f + k];
    }
    let shift = sum / f32(params.frameCount) - select(0.0, 1.0, k % 4u == k / 4u);
    for (var f = 0u; f < params.frameCount; f = f + 1u) {
        transforms[12u * f + k] = transforms[12u * f + k] - shift;
    }
}

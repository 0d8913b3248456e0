// fusionTargets: each fusion ray's mask label and view weight, read from its target pixel. The
// fusion frames' "images" (rayGeneration.wgsl's pixels) hold the masks: R = label (0 background,
// k object k; for one object 0 / 1), G = the view's weight * 255 (the mask's predicted IoU, or
// 1), A = 255, so that rayGeneration's target colour is exactly (R, G, B) / 255.
//   rayTarget[r] = (round(target.r * 255), target.g)
// Buffers (group 0):
//   @binding(0) params    : uniform TargetParams { rayCount }
//   @binding(1) rays      : array<Ray>          (rayGeneration.wgsl)
//   @binding(2) rayTarget : array<vec2<f32>>    per ray (out): (label, view weight)
const WORKGROUP_SIZE: u32 = 64u;

struct TargetParams {
    rayCount: u32,
    pad0: u32,
    pad1: u32,
    pad2: u32,
}

@group(0) @binding(0) var<uniform> params: TargetParams;
@group(0) @binding(1) var<storage, read> rays: array<Ray>;
@group(0) @binding(2) var<storage, read_write> rayTarget: array<vec2<f32>>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(invocation: LinearInvocation) {
    let r = linearIndex(invocation, WORKGROUP_SIZE);
    if (r >= params.rayCount) {
        return;
    }
    let pixelTarget = rays[r].targetColor;
    rayTarget[r] = vec2<f32>(round(pixelTarget.x * 255.0), pixelTarget.y);
}

// adam: one Adam step for every touched grid point (masked / lazy Adam, as DVGO's MaskedAdam:
// untouched points keep their parameters and moments). For each of the point's 13 parameters
// (raw density, 12 SH coefficients):
//   g = accumulatedValue(gradient word) (fixed point / FIXED_POINT_SCALE when DETERMINISTIC, else f32 bits)
//   m = beta1 m + (1 - beta1) g ;  s = beta2 s + (1 - beta2) g^2
//   p = p - lr * (m * biasCorrection1) / (sqrt(s * biasCorrection2) + epsilon)   (common/adamStep.wgsl)
// with lr = lrDensity for density and lrColor for SH; the gradient words are reset to 0.
// Buffers (group 0):
//   @binding(0) params       : uniform AdamParams
//   @binding(1) touchedList  : array<u32>
//   @binding(2) touchedState : array<u32>          [0] = touched count
//   @binding(3) grad         : array<u32>          13 words per point (reset to 0)
//   @binding(4) density      : array<f32>          updated
//   @binding(5) sh           : array<f32>          12 per point, updated
//   @binding(6) moments      : array<vec2<f32>>    13 (m, s) pairs per point, updated
const WORKGROUP_SIZE: u32 = 64u;

struct AdamParams {
    lrDensity: f32,
    lrColor: f32,
    beta1: f32,
    beta2: f32,
    epsilon: f32,
    biasCorrection1: f32,
    biasCorrection2: f32,
    fixedPointScale: f32,
}

@group(0) @binding(0) var<uniform> params: AdamParams;
@group(0) @binding(1) var<storage, read> touchedList: array<u32>;
@group(0) @binding(2) var<storage, read> touchedState: array<u32>;
@group(0) @binding(3) var<storage, read_write> grad: array<u32>;
@group(0) @binding(4) var<storage, read_write> density: array<f32>;
@group(0) @binding(5) var<storage, read_write> sh: array<f32>;
@group(0) @binding(6) var<storage, read_write> moments: array<vec2<f32>>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(invocation: LinearInvocation) {
    let slot = linearIndex(invocation, WORKGROUP_SIZE);
    if (slot >= touchedState[0]) {
        return;
    }
    let v = touchedList[slot];
    let constants = AdamConstants(params.beta1, params.beta2, params.epsilon, params.biasCorrection1, params.biasCorrection2);
    density[v] = adamStep(density[v], accumulatedValue(grad[13u * v], params.fixedPointScale), &moments[13u * v], params.lrDensity, constants);
    grad[13u * v] = 0u;
    for (var c = 0u; c < 12u; c = c + 1u) {
        let word = 13u * v + 1u + c;
        sh[12u * v + c] = adamStep(sh[12u * v + c], accumulatedValue(grad[word], params.fixedPointScale), &moments[word], params.lrColor, constants);
        grad[word] = 0u;
    }
}

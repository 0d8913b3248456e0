// objectAdam: masked Adam on the object field's touched points (as adam.wgsl, for `channels`
// logits per point): g = accumulatedValue(gradient word) (fixed point when DETERMINISTIC), then
// adamStep (common/adamStep.wgsl): m = b1 m + (1 - b1) g, s = b2 s + (1 - b2) g^2,
// l -= lr * m * bc1 / (sqrt(s * bc2) + eps); the gradient words are reset to 0.
// Buffers (group 0):
//   @binding(0) params       : uniform ObjectAdamParams
//   @binding(1) touchedList  : array<u32>
//   @binding(2) touchedState : array<u32>        [0] = touched count
//   @binding(3) grad         : array<u32>        channels words per point
//   @binding(4) logits       : array<f32>        channels per point (updated)
//   @binding(5) moments      : array<vec2<f32>>  (m, s) per logit (updated)
const WORKGROUP_SIZE: u32 = 64u;

struct ObjectAdamParams {
    learningRate: f32,
    beta1: f32,
    beta2: f32,
    epsilon: f32,
    biasCorrection1: f32,
    biasCorrection2: f32,
    fixedPointScale: f32,
    channels: u32,
}

@group(0) @binding(0) var<uniform> params: ObjectAdamParams;
@group(0) @binding(1) var<storage, read> touchedList: array<u32>;
@group(0) @binding(2) var<storage, read> touchedState: array<u32>;
@group(0) @binding(3) var<storage, read_write> grad: array<u32>;
@group(0) @binding(4) var<storage, read_write> logits: array<f32>;
@group(0) @binding(5) var<storage, read_write> moments: array<vec2<f32>>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(invocation: LinearInvocation) {
    let slot = linearIndex(invocation, WORKGROUP_SIZE);
    if (slot >= touchedState[0]) {
        return;
    }
    let v = touchedList[slot];
    let constants = AdamConstants(params.beta1, params.beta2, params.epsilon, params.biasCorrection1, params.biasCorrection2);
    for (var k = 0u; k < params.channels; k = k + 1u) {
        let word = v * params.channels + k;
        logits[word] = adamStep(logits[word], accumulatedValue(grad[word], params.fixedPointScale), &moments[word], params.learningRate, constants);
        grad[word] = 0u;
    }
}

// One Adam step of one parameter with gradient g and moments (m, s) (adam.wgsl, objectAdam.wgsl):
//   m = beta1 m + (1 - beta1) g ;  s = beta2 s + (1 - beta2) g^2
//   p = p - lr * (m * biasCorrection1) / (sqrt(s * biasCorrection2) + epsilon)
// Needs `requires unrestricted_pointer_parameters;` (ComposeWgsl hoists it).
struct AdamConstants {
    beta1: f32,
    beta2: f32,
    epsilon: f32,
    // 1 / (1 - beta1^t) and 1 / (1 - beta2^t)
    biasCorrection1: f32,
    biasCorrection2: f32,
}

// Updates the (m, s) pair in place and returns the new parameter.
fn adamStep(parameter: f32, gradient: f32, moment: ptr<storage, vec2<f32>, read_write>, learningRate: f32, constants: AdamConstants) -> f32 {
    var updated = *moment;
    updated.x = constants.beta1 * updated.x + (1.0 - constants.beta1) * gradient;
    updated.y = constants.beta2 * updated.y + (1.0 - constants.beta2) * gradient * gradient;
    *moment = updated;
    return parameter - learningRate * (updated.x * constants.biasCorrection1) / (sqrt(updated.y * constants.biasCorrection2) + constants.epsilon);
}

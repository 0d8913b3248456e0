// The uniform of appearanceApply.wgsl and appearanceStep.wgsl (48 bytes): the batch's ray count,
// the training photos, and the transforms' Adam step (learning rate, the pull towards the identity,
// Adam's constants as common/adamStep.wgsl's AdamConstants).
struct AppearanceParams {
    rayCount: u32,
    frameCount: u32,
    learningRate: f32,
    regularization: f32,
    beta1: f32,
    beta2: f32,
    epsilon: f32,
    biasCorrection1: f32,
    biasCorrection2: f32,
    pad0: u32,
    pad1: u32,
    pad2: u32,
}

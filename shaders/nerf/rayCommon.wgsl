// rayCommon: what every ray kernel shares (after fieldCommon): the Ray layout rayGeneration.wgsl
// writes, the render uniform and per-ray results of the volume-rendering passes, and the steps
// of the front-to-back compositing march (volumeRenderForward, volumeRenderBackward, fieldWeights):
//   for sample i at distance t_i: s = fieldSampleAt(p_i), alpha_i = stepAlpha(sigmaOf(s.raw)),
//   w_i = compositeStep(&T, alpha_i) = T_i alpha_i (T becomes T_{i+1} = T_i (1 - alpha_i)),
//   colour_i = shColor(s.coefficients, shBasis(direction)).
// Needs `requires unrestricted_pointer_parameters;` (ComposeWgsl hoists it).

// One ray (64 bytes): origin, tNear, direction, tFar (the box span, tNear > tFar on a miss),
// target RGBA (RGB composited on the background), background RGB + pixel index (u32 bits).
struct Ray {
    origin: vec3<f32>,
    tNear: f32,
    direction: vec3<f32>,
    tFar: f32,
    targetColor: vec4<f32>,
    background: vec4<f32>,
}

// The uniform of the volume-rendering passes (32 bytes). fieldWeights.wgsl ignores training;
// distortion (the regulariser's lambda) is read by the backward pass only.
struct RenderParams {
    rayCount: u32,
    maxSamples: u32,
    training: u32,
    earlyStop: f32,
    distortion: f32,
    pad0: u32,
    pad1: u32,
    pad2: u32,
}

// Per ray, from the forward pass: color = (C.rgb, opacity), extra = (depth, samplesUsed, loss,
// T_end), gradient = (dL/dC, 0).
struct RayResult {
    color: vec4<f32>,
    extra: vec4<f32>,
    gradient: vec4<f32>,
}

// The radiance field at one sample: its trilinear corners, raw density and SH coefficients.
struct FieldSample {
    corners: Trilinear,
    raw: f32,
    coefficients: array<vec4<f32>, 3>,
}

fn fieldSampleAt(field: FieldParams, density: ptr<storage, array<f32>, read>, sh: ptr<storage, array<vec4<f32>>, read>, p: vec3<f32>) -> FieldSample {
    var result: FieldSample;
    result.corners = trilinearAt(field, p);
    result.raw = 0.0;
    result.coefficients = array<vec4<f32>, 3>(vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0));
    for (var c = 0u; c < 8u; c = c + 1u) {
        let index = cornerIndex(field, result.corners, c);
        let weight = cornerWeight(result.corners, c);
        result.raw = result.raw + weight * (*density)[index];
        result.coefficients[0] = result.coefficients[0] + weight * (*sh)[3u * index];
        result.coefficients[1] = result.coefficients[1] + weight * (*sh)[3u * index + 1u];
        result.coefficients[2] = result.coefficients[2] + weight * (*sh)[3u * index + 2u];
    }
    return result;
}

// The raw density alone (as fieldSampleAt's raw).
fn fieldDensityAt(field: FieldParams, density: ptr<storage, array<f32>, read>, p: vec3<f32>) -> f32 {
    let corners = trilinearAt(field, p);
    var raw = 0.0;
    for (var c = 0u; c < 8u; c = c + 1u) {
        raw = raw + cornerWeight(corners, c) * (*density)[cornerIndex(field, corners, c)];
    }
    return raw;
}

// One compositing step: returns the sample's weight w = T alpha and moves T past the sample
// (T = T (1 - alpha)).
fn compositeStep(transmittance: ptr<function, f32>, alpha: f32) -> f32 {
    let w = *transmittance * alpha;
    *transmittance = *transmittance * (1.0 - alpha);
    return w;
}

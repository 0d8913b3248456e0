// volumeRenderForward: composites each ray's samples front to back.
// For sample i at distance t: raw = trilinear(density), sigma = softplus(raw + densityShift),
// alpha = 1 - exp(-sigma * width) (width = sampleWidth(t): stepSize inside the box), w = T * alpha (T = product of (1 - alpha) before i),
// colour = sigmoid(dot(trilinear(sh[channel]), shBasis(direction))).
// C = sum w * colour + T_end * background; stops once T < earlyStop (samplesUsed records where).
// Training: loss = |C - target|^2 (sum over RGB) and dL/dC = 2 (C - target). A non-finite density
// or colour coefficient on the ray sets loss = 1e9 (impossible for finite values, which give <= 3),
// the trainer's divergence signal.
// Buffers (group 0):
//   @binding(0) field       : uniform FieldParams
//   @binding(1) params      : uniform RenderParams (rayCommon.wgsl)
//   @binding(2) rays        : array<Ray>        (rayGeneration.wgsl)
//   @binding(3) sampleT     : array<f32>        (sampleRays.wgsl)
//   @binding(4) sampleCount : array<u32>
//   @binding(5) density     : array<f32>        raw density per grid point
//   @binding(6) sh          : array<vec4<f32>>  3 per grid point
//   @binding(7) results     : array<RayResult>  per ray (out; rayCommon.wgsl); depth = sum w t / opacity
//                             (expected termination distance)
//   @binding(8) rayLoss     : array<f32>        per-ray loss (out; training; for the sum reduction)
const WORKGROUP_SIZE: u32 = 64u;

@group(0) @binding(0) var<uniform> field: FieldParams;
@group(0) @binding(1) var<uniform> params: RenderParams;
@group(0) @binding(2) var<storage, read> rays: array<Ray>;
@group(0) @binding(3) var<storage, read> sampleT: array<f32>;
@group(0) @binding(4) var<storage, read> sampleCount: array<u32>;
@group(0) @binding(5) var<storage, read> density: array<f32>;
@group(0) @binding(6) var<storage, read> sh: array<vec4<f32>>;
@group(0) @binding(7) var<storage, read_write> results: array<RayResult>;
@group(0) @binding(8) var<storage, read_write> rayLoss: array<f32>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(invocation: LinearInvocation) {
    let r = linearIndex(invocation, WORKGROUP_SIZE);
    if (r >= params.rayCount) {
        return;
    }
    let ray = rays[r];
    let basis = shBasis(ray.direction);
    let count = sampleCount[r];
    let base = r * params.maxSamples;
    var transmittance = 1.0;
    var color = vec3<f32>(0.0);
    var depth = 0.0;
    var used = 0u;
    var nonFinite = false;
    for (var i = 0u; i < count; i = i + 1u) {
        let t = sampleT[base + i];
        let s = fieldSampleAt(field, &density, &sh, ray.origin + t * ray.direction);
        nonFinite = nonFinite || isNonFinite(s.raw) || isNonFinite(s.coefficients[0].x + s.coefficients[1].x + s.coefficients[2].x);
        let w = compositeStep(&transmittance, stepAlpha(sigmaOf(field, s.raw), sampleWidth(field, ray.tFar, t)));
        color = color + w * shColor(s.coefficients, basis);
        depth = depth + w * t;
        used = i + 1u;
        if (transmittance < params.earlyStop) {
            break;
        }
    }
    let opacity = 1.0 - transmittance;
    let finalColor = color + transmittance * ray.background.rgb;
    var result: RayResult;
    result.color = vec4<f32>(finalColor, opacity);
    var loss = 0.0;
    result.gradient = vec4<f32>(0.0);
    if (params.training != 0u) {
        let error = finalColor - ray.targetColor.rgb;
        loss = select(dot(error, error), 1e9, nonFinite);
        rayLoss[r] = loss;
        result.gradient = vec4<f32>(2.0 * error, 0.0);
    }
    result.extra = vec4<f32>(depth / max(opacity, 1e-6), f32(used), loss, transmittance);
    results[r] = result;
}

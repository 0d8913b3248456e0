// volumeRenderBackward: gradients of the training loss into the grid, recomputing each ray's
// samples front to back (the forward pass stored only the final colour C and samplesUsed).
// For sample i (w_i = T_i alpha_i, c_i its colour, S_i = C - sum_{j <= i} w_j c_j, which holds the
// samples behind i and the background term):
//   dC/dsigma_i = width_i * (T_{i+1} c_i - S_i)          dsigma/draw = sigmoid(raw + shift)
//   (width_i = sampleWidth(t_i): stepSize in the box)
//   dC_ch/dz_ch = w_i * c_ch (1 - c_ch), z_ch = dot(sh_ch, basis)     dz/dsh_ch = basis
// and every gradient is split over the 8 trilinear corners by their weights.
// Distortion regulariser (params.distortion = lambda > 0; mip-NeRF 360's L_dist), with m_i =
// marchCoordinate(t_i) (sample positions in steps: t_i / stepSize in the box, normalised disparity
// beyond it, as mip-NeRF 360's s-space; each sample an interval of width 1):
//   L = lambda * (sum_i sum_j w_i w_j |m_i - m_j| + 1/3 sum_i w_i^2)
// concentrates each ray's weights (soft fog into a surface). A first pass over the samples gives
// W = sum w, WM = sum w m and L; then with g_i = dL/dw_i and the prefix sums before sample i,
//   g_i = lambda * (2 (m_i W_<i - WM_<i + WM_>i - m_i W_>i) + 2/3 w_i)
//   dL/dsigma_i = width_i * (T_{i+1} g_i - sum_{j > i} w_j g_j),  sum_j w_j g_j = 2 L
// (the same form as the colour term). The forward pass's loss is the colour loss only. Accumulation uses
// atomicAccumulate (fixed point in DETERMINISTIC mode); every grid point that receives a gradient
// is listed with markTouched (common/touchedPoints.wgsl).
// Buffers (group 0):
//   @binding(0) field        : uniform FieldParams
//   @binding(1) params       : uniform RenderParams (rayCommon.wgsl)
//   @binding(2) rays         : array<Ray>
//   @binding(3) sampleT      : array<f32>
//   @binding(4) density      : array<f32>
//   @binding(5) sh           : array<vec4<f32>>
//   @binding(6) results      : array<RayResult>      from the forward pass (with dL/dC)
//   @binding(7) grad         : array<atomic<u32>>    13 words per grid point (out, accumulated):
//                              [13 v] density, [13 v + 1 + 4 ch + b] SH coefficient b of channel ch
//   @binding(8) touchedList  : array<u32>            grid points touched this step (out)
//   @binding(9) touchedState : array<atomic<u32>>    [0] touched count, [4 + v / 32] bits (touchedPoints.wgsl)
const WORKGROUP_SIZE: u32 = 64u;

@group(0) @binding(0) var<uniform> field: FieldParams;
@group(0) @binding(1) var<uniform> params: RenderParams;
@group(0) @binding(2) var<storage, read> rays: array<Ray>;
@group(0) @binding(3) var<storage, read> sampleT: array<f32>;
@group(0) @binding(4) var<storage, read> density: array<f32>;
@group(0) @binding(5) var<storage, read> sh: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read> results: array<RayResult>;
@group(0) @binding(7) var<storage, read_write> grad: array<atomic<u32>>;
@group(0) @binding(8) var<storage, read_write> touchedList: array<u32>;
@group(0) @binding(9) var<storage, read_write> touchedState: array<atomic<u32>>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(invocation: LinearInvocation) {
    let r = linearIndex(invocation, WORKGROUP_SIZE);
    if (r >= params.rayCount) {
        return;
    }
    let ray = rays[r];
    let result = results[r];
    let used = u32(result.extra.y);
    let gradC = result.gradient.xyz;
    let finalColor = result.color.rgb;
    let basis = shBasis(ray.direction);
    let base = r * params.maxSamples;
    let lambda = params.distortion;
    // distortion: totals over the ray (first pass, density only)
    var totalW = 0.0;
    var totalWM = 0.0;
    var distortion = 0.0;
    if (lambda > 0.0) {
        var t1 = 1.0;
        for (var i = 0u; i < used; i = i + 1u) {
            let t = sampleT[base + i];
            let w = compositeStep(&t1, stepAlpha(sigmaOf(field, fieldDensityAt(field, &density, ray.origin + t * ray.direction)), sampleWidth(field, ray.tFar, t)));
            let m = marchCoordinate(field, ray.tFar, t);
            distortion = distortion + 2.0 * w * (m * totalW - totalWM) + w * w / 3.0;
            totalW = totalW + w;
            totalWM = totalWM + w * m;
        }
    }
    let totalWG = 2.0 * lambda * distortion;
    var prefixW = 0.0;
    var prefixWM = 0.0;
    var prefixWG = 0.0;
    var transmittance = 1.0;
    var accumulated = vec3<f32>(0.0);
    for (var i = 0u; i < used; i = i + 1u) {
        let t = sampleT[base + i];
        let s = fieldSampleAt(field, &density, &sh, ray.origin + t * ray.direction);
        // after the step, transmittance is T_{i+1} (behind the sample)
        let width = sampleWidth(field, ray.tFar, t);
        let w = compositeStep(&transmittance, stepAlpha(sigmaOf(field, s.raw), width));
        let sampleColor = shColor(s.coefficients, basis);
        accumulated = accumulated + w * sampleColor;
        let behind = finalColor - accumulated;
        var gradSigma = width * dot(gradC, transmittance * sampleColor - behind);
        if (lambda > 0.0) {
            let m = marchCoordinate(field, ray.tFar, t);
            let afterW = totalW - prefixW - w;
            let afterWM = totalWM - prefixWM - w * m;
            let g = lambda * (2.0 * (m * prefixW - prefixWM + afterWM - m * afterW) + 2.0 * w / 3.0);
            prefixWG = prefixWG + w * g;
            gradSigma = gradSigma + width * (transmittance * g - (totalWG - prefixWG));
            prefixW = prefixW + w;
            prefixWM = prefixWM + w * m;
        }
        var gradRaw = gradSigma;
        if (s.raw + field.densityShift <= 15.0) {
            gradRaw = gradSigma * sigmoid(s.raw + field.densityShift);
        }
        let gradZ = gradC * w * sampleColor * (1.0 - sampleColor);
        for (var c = 0u; c < 8u; c = c + 1u) {
            let index = cornerIndex(field, s.corners, c);
            let weight = cornerWeight(s.corners, c);
            atomicAccumulate(&grad[13u * index], weight * gradRaw);
            for (var channel = 0u; channel < 3u; channel = channel + 1u) {
                let g = weight * gradZ[channel] * basis;
                let word = 13u * index + 1u + 4u * channel;
                atomicAccumulate(&grad[word], g.x);
                atomicAccumulate(&grad[word + 1u], g.y);
                atomicAccumulate(&grad[word + 2u], g.z);
                atomicAccumulate(&grad[word + 3u], g.w);
            }
            markTouched(&touchedState, &touchedList, index);
        }
    }
}

// fieldWeights: the frozen radiance field's compositing weights along each ray, for the object
// field (fusion). Same march as volumeRenderForward.wgsl (rayCommon.wgsl's steps): for sample i
// (sampleRays.wgsl), alpha_i = 1 - exp(-softplus(raw + shift) * sampleWidth(t_i)), w_i = T_i * alpha_i,
// T *= 1 - alpha_i, stop once T < earlyStop. Density is only read: structure comes from the NeRF,
// no gradient flows back into it.
// Buffers (group 0):
//   @binding(0) field       : uniform FieldParams
//   @binding(1) params      : uniform RenderParams (rayCommon.wgsl; training unused)
//   @binding(2) rays        : array<Ray>
//   @binding(3) sampleT     : array<f32>
//   @binding(4) sampleCount : array<u32>
//   @binding(5) density     : array<f32>
//   @binding(6) sh          : array<vec4<f32>>
//   @binding(7) samples     : array<vec4<f32>>  rayCount * maxSamples (out): (position xyz, w_i)
//   @binding(8) rayColor    : array<vec4<f32>>  per ray (out): (sum w_i colour_i (no background), samples used)
const WORKGROUP_SIZE: u32 = 64u;

@group(0) @binding(0) var<uniform> field: FieldParams;
@group(0) @binding(1) var<uniform> params: RenderParams;
@group(0) @binding(2) var<storage, read> rays: array<Ray>;
@group(0) @binding(3) var<storage, read> sampleT: array<f32>;
@group(0) @binding(4) var<storage, read> sampleCount: array<u32>;
@group(0) @binding(5) var<storage, read> density: array<f32>;
@group(0) @binding(6) var<storage, read> sh: array<vec4<f32>>;
@group(0) @binding(7) var<storage, read_write> samples: array<vec4<f32>>;
@group(0) @binding(8) var<storage, read_write> rayColor: array<vec4<f32>>;

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
    var used = 0u;
    for (var i = 0u; i < count; i = i + 1u) {
        let t = sampleT[base + i];
        let p = ray.origin + t * ray.direction;
        let s = fieldSampleAt(field, &density, &sh, p);
        let w = compositeStep(&transmittance, stepAlpha(sigmaOf(field, s.raw), sampleWidth(field, ray.tFar, t)));
        color = color + w * shColor(s.coefficients, basis);
        samples[base + i] = vec4<f32>(p, w);
        used = i + 1u;
        if (transmittance < params.earlyStop) {
            break;
        }
    }
    rayColor[r] = vec4<f32>(color, f32(used));
}

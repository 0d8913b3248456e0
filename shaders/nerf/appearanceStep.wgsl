// appearanceStep: the gradient of the batch's loss in each photo's colour transform
// (appearanceApply.wgsl) and one Adam step on its gain and offset per channel (A[c][c], b[c]: the
// photo's exposure, white balance and black level; the cross terms A[c][j != c], a colour mixing
// that the field's colours could trade against, stay as they are: 0). One workgroup per photo f (workgroupIndex);
// its invocations sum over the batch's rays of that photo (rayFrame == f, finite loss), with
// e = 2 (A_f C + b_f - target) and C the rendered colour (results.color):
//   dL/dA_f[c][k] = sum e_c C_k ,  dL/db_f[c] = sum e_c
// plus the pull towards the identity transform, regularization * n_f * |P_f - I|^2 (n_f the photo's
// rays in the batch; it fixes the gauge between the field's colours and the transforms and keeps
// the field's own colours the photos' consensus). Photos without rays in the batch take no step
// here (masked Adam, as adam.wgsl; appearanceCentre.wgsl then shifts every photo alike). The sum
// order is fixed: deterministic. Each photo's workgroup reads the whole batch's rayFrame (photos x
// rays reads: small next to the volume rendering for captures of hundreds of photos).
// Buffers (group 0):
//   @binding(0) params     : uniform AppearanceParams
//   @binding(1) rays       : array<Ray>
//   @binding(2) results    : array<RayResult>
//   @binding(3) rayFrame   : array<u32>
//   @binding(4) transforms : array<f32>          12 per photo (rows of 4), updated
//   @binding(5) moments    : array<vec2<f32>>    12 (m, s) pairs per photo, updated
//   @binding(6) gradient   : array<f32>          12 per photo: the gradient of the last step (out;
//                                                gains and offsets only; photos without rays keep the old one)
const WORKGROUP_SIZE: u32 = 64u;

@group(0) @binding(0) var<uniform> params: AppearanceParams;
@group(0) @binding(1) var<storage, read> rays: array<Ray>;
@group(0) @binding(2) var<storage, read> results: array<RayResult>;
@group(0) @binding(3) var<storage, read> rayFrame: array<u32>;
@group(0) @binding(4) var<storage, read_write> transforms: array<f32>;
@group(0) @binding(5) var<storage, read_write> moments: array<vec2<f32>>;
@group(0) @binding(6) var<storage, read_write> gradient: array<f32>;

// 12 gradient terms and the ray count per invocation
var<workgroup> partial: array<array<f32, 13>, WORKGROUP_SIZE>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(invocation: LinearInvocation) {
    let frame = workgroupIndex(invocation);
    let lane = invocation.localIndex;
    var sums: array<f32, 13>;
    for (var k = 0u; k < 13u; k = k + 1u) {
        sums[k] = 0.0;
    }
    if (frame < params.frameCount) {
        var rows: array<vec4<f32>, 3>;
        for (var c = 0u; c < 3u; c = c + 1u) {
            rows[c] = vec4<f32>(transforms[12u * frame + 4u * c], transforms[12u * frame + 4u * c + 1u], transforms[12u * frame + 4u * c + 2u], transforms[12u * frame + 4u * c + 3u]);
        }
        for (var r = lane; r < params.rayCount; r = r + WORKGROUP_SIZE) {
            if (rayFrame[r] != frame || results[r].extra.z >= 1e9) {
                continue;
            }
            let colour = vec4<f32>(results[r].color.rgb, 1.0);
            let wanted = rays[r].targetColor.rgb;
            for (var c = 0u; c < 3u; c = c + 1u) {
                let e = 2.0 * (dot(rows[c], colour) - wanted[c]);
                for (var k = 0u; k < 4u; k = k + 1u) {
                    sums[4u * c + k] = sums[4u * c + k] + e * colour[k];
                }
            }
            sums[12] = sums[12] + 1.0;
        }
    }
    partial[lane] = sums;
    workgroupBarrier();
    for (var stride = WORKGROUP_SIZE / 2u; stride > 0u; stride = stride / 2u) {
        if (lane < stride) {
            for (var k = 0u; k < 13u; k = k + 1u) {
                partial[lane][k] = partial[lane][k] + partial[lane + stride][k];
            }
        }
        workgroupBarrier();
    }
    if (lane != 0u || frame >= params.frameCount || partial[0][12] == 0.0) {
        return;
    }
    let count = partial[0][12];
    let constants = AdamConstants(params.beta1, params.beta2, params.epsilon, params.biasCorrection1, params.biasCorrection2);
    for (var k = 0u; k < 12u; k = k + 1u) {
        // learned: the gain A[c][c] and offset b[c] of each channel; the cross terms A[c][j != c] stay 0
        if (k % 4u != k / 4u && k % 4u != 3u) {
            continue;
        }
        let slot = 12u * frame + k;
        let identity = select(0.0, 1.0, k % 4u == k / 4u);
        let g = partial[0][k] + 2.0 * params.regularization * count * (transforms[slot] - identity);
        gradient[slot] = g;
        transforms[slot] = adamStep(transforms[slot], g, &moments[slot], params.learningRate, constants);
    }
}

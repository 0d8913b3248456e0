// appearanceApply: per-photo appearance of a training batch (NeRF-W / nerfacto model exposure and
// white balance per photo; here an affine colour transform per photo, as per-image affine colour
// corrections in later radiance-field work). Between volumeRenderForward and volumeRenderBackward:
// a ray's rendered colour C (composited on its background: the model is meant for opaque photos,
// whose exposure acts on the whole pixel) is seen through its photo f's transform,
//   C' = A_f C + b_f          (A_f 3x3, b_f 3; stored as 3 rows (A_f[c][0..2], b_f[c]))
// and the training loss and the gradient the backward pass reads are taken on C':
//   L = |C' - target|^2 ,  dL/dC = A_f^T 2 (C' - target)
// results.extra.z and rayLoss get L (a ray the forward pass marked non-finite, loss 1e9, keeps it);
// results.color keeps C. The photo of a ray is found from its pixel index (ray.background.w bits,
// frameCameras.wgsl) and written to rayFrame for appearanceStep.wgsl.
// Buffers (group 0):
//   @binding(0) params     : uniform AppearanceParams (appearanceStep.wgsl reads the same)
//   @binding(1) rays       : array<Ray>              (rayCommon.wgsl)
//   @binding(2) cameras    : array<FrameCamera>      (frameCameras.wgsl)
//   @binding(3) transforms : array<vec4<f32>>        3 rows per photo
//   @binding(4) results    : array<RayResult>        from the forward pass (gradient, extra.z updated)
//   @binding(5) rayLoss    : array<f32>              per-ray loss (updated)
//   @binding(6) rayFrame   : array<u32>              the ray's photo (out)
const WORKGROUP_SIZE: u32 = 64u;

@group(0) @binding(0) var<uniform> params: AppearanceParams;
@group(0) @binding(1) var<storage, read> rays: array<Ray>;
@group(0) @binding(2) var<storage, read> cameras: array<FrameCamera>;
@group(0) @binding(3) var<storage, read> transforms: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> results: array<RayResult>;
@group(0) @binding(5) var<storage, read_write> rayLoss: array<f32>;
@group(0) @binding(6) var<storage, read_write> rayFrame: array<u32>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(invocation: LinearInvocation) {
    let r = linearIndex(invocation, WORKGROUP_SIZE);
    if (r >= params.rayCount) {
        return;
    }
    let ray = rays[r];
    let frame = frameOfPixel(&cameras, params.frameCount, bitcast<u32>(ray.background.w));
    rayFrame[r] = frame;
    var result = results[r];
    let row0 = transforms[3u * frame];
    let row1 = transforms[3u * frame + 1u];
    let row2 = transforms[3u * frame + 2u];
    let c = vec4<f32>(result.color.rgb, 1.0);
    let seen = vec3<f32>(dot(row0, c), dot(row1, c), dot(row2, c));
    let error2 = 2.0 * (seen - ray.targetColor.rgb);
    let loss = select(0.25 * dot(error2, error2), 1e9, result.extra.z >= 1e9);
    result.gradient = vec4<f32>(error2.x * row0.xyz + error2.y * row1.xyz + error2.z * row2.xyz, 0.0);
    result.extra.z = loss;
    rayLoss[r] = loss;
    results[r] = result;
}

// rayGeneration: one ray per invocation from the capture's frames.
// Mode 0 (training batch): ray r picks pixel floor(random01(seed, r) * totalPixels) over all
// frames' pixels (frames found by binary search on firstPixel), with a random sub-pixel offset.
// Mode 1 (render): ray r is pixel firstRay + r of frame `frame`, through the pixel centre.
// Mode 2 (patches, for fusion): rays come in square patches of S x S (S = `frame`); patch
// q = r / (S * S) picks a frame and a top-left corner at random (seed, q), ray r % (S * S) is the
// pixel at row-major offset (dx, dy) in it, through the pixel centre.
// Background per ray: 0 white, 1 black, 2 random colour (per ray), for compositing the target
// (straight-alpha RGBA over the background) and the prediction.
// Buffers (group 0):
//   @binding(0) field   : uniform FieldParams (fieldCommon.wgsl)
//   @binding(1) params  : uniform RayParams
//   @binding(2) cameras : array<FrameCamera>  per frame (frameCameras.wgsl)
//   @binding(3) pixels  : array<u32>          RGBA8 of all frames, row-major, frame after frame
//   @binding(4) rays    : array<Ray>          rayCount rays (out; rayCommon.wgsl): origin, tNear, direction, tFar (raySpan),
//                         target RGBA (RGB composited on the background), background RGB + pixel id
const WORKGROUP_SIZE: u32 = 64u;

struct RayParams {
    rayCount: u32,
    frameCount: u32,
    totalPixels: u32,
    seed: u32,
    mode: u32,
    frame: u32,
    firstRay: u32,
    background: u32,
}

@group(0) @binding(0) var<uniform> field: FieldParams;
@group(0) @binding(1) var<uniform> params: RayParams;
@group(0) @binding(2) var<storage, read> cameras: array<FrameCamera>;
@group(0) @binding(3) var<storage, read> pixels: array<u32>;
@group(0) @binding(4) var<storage, read_write> rays: array<Ray>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(invocation: LinearInvocation) {
    let r = linearIndex(invocation, WORKGROUP_SIZE);
    if (r >= params.rayCount) {
        return;
    }
    var frame: u32;
    var pixel: u32;
    var jitter: vec2<f32>;
    if (params.mode == 0u) {
        pixel = min(u32(random01(params.seed, r) * f32(params.totalPixels)), params.totalPixels - 1u);
        frame = frameOfPixel(&cameras, params.frameCount, pixel);
        jitter = vec2<f32>(random01(params.seed ^ 0x9e3779b9u, r), random01(params.seed ^ 0x7f4a7c15u, r));
    } else if (params.mode == 2u) {
        let size = params.frame;
        let patchIndex = r / (size * size);
        let within = r % (size * size);
        frame = min(u32(random01(params.seed, patchIndex) * f32(params.frameCount)), params.frameCount - 1u);
        let width = cameras[frame].size.x;
        let height = cameras[frame].size.y;
        let x0 = min(u32(random01(params.seed ^ 0x68e31da4u, patchIndex) * f32(width - size + 1u)), width - size);
        let y0 = min(u32(random01(params.seed ^ 0xb5297a4du, patchIndex) * f32(height - size + 1u)), height - size);
        pixel = cameras[frame].size.z + (y0 + within / size) * width + x0 + within % size;
        jitter = vec2<f32>(0.5, 0.5);
    } else {
        frame = params.frame;
        pixel = cameras[frame].size.z + params.firstRay + r;
        jitter = vec2<f32>(0.5, 0.5);
    }
    let camera = cameras[frame];
    let local = pixel - camera.size.z;
    let x = f32(local % camera.size.x) + jitter.x;
    let y = f32(local / camera.size.x) + jitter.y;
    let cameraDirection = vec3<f32>((x - camera.intrinsics.z) / camera.intrinsics.x, -(y - camera.intrinsics.w) / camera.intrinsics.y, -1.0);
    let world = vec3<f32>(dot(camera.row0.xyz, cameraDirection), dot(camera.row1.xyz, cameraDirection), dot(camera.row2.xyz, cameraDirection));
    let direction = normalize(world);
    let origin = vec3<f32>(camera.row0.w, camera.row1.w, camera.row2.w);
    var background = vec3<f32>(1.0);
    if (params.background == 1u) {
        background = vec3<f32>(0.0);
    } else if (params.background == 2u) {
        background = vec3<f32>(random01(params.seed ^ 0x85ebca6bu, r), random01(params.seed ^ 0xc2b2ae35u, r), random01(params.seed ^ 0x27d4eb2fu, r));
    }
    let rgba = unpack4x8unorm(pixels[pixel]);
    let span = raySpan(field, origin, direction);
    var ray: Ray;
    ray.origin = origin;
    ray.direction = direction;
    ray.tNear = span.x;
    ray.tFar = span.y;
    ray.targetColor = vec4<f32>(rgba.rgb * rgba.a + background * (1.0 - rgba.a), rgba.a);
    ray.background = vec4<f32>(background, bitcast<f32>(pixel));
    rays[r] = ray;
}

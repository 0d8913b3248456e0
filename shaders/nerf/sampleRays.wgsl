// sampleRays: places samples along each ray, skipping empty occupancy cells.
// Sample k sits at t = marchDistance(tNear, tFar, k + offset) (tNear + (k + offset) * stepSize in the
// box; evenly in disparity beyond it for contracted fields, fieldCommon.wgsl), offset =
// random01(seed, ray) when jittering (training) or 0.5 (rendering); a sample is kept when its
// occupancy bit is set.
// Kept distances go to the ray's slots sampleT[ray * maxSamples ..], at most maxSamples.
// Buffers (group 0):
//   @binding(0) field     : uniform FieldParams
//   @binding(1) params    : uniform { rayCount, maxSamples, seed, jitter }
//   @binding(2) rays      : array<Ray>     (rayGeneration.wgsl)
//   @binding(3) occupancy : array<u32>     occupancy bits
//   @binding(4) sampleT   : array<f32>     rayCount * maxSamples distances (out)
//   @binding(5) sampleCount : array<u32>   kept samples per ray (out)
const WORKGROUP_SIZE: u32 = 64u;

struct SampleParams {
    rayCount: u32,
    maxSamples: u32,
    seed: u32,
    jitter: u32,
}

@group(0) @binding(0) var<uniform> field: FieldParams;
@group(0) @binding(1) var<uniform> params: SampleParams;
@group(0) @binding(2) var<storage, read> rays: array<Ray>;
@group(0) @binding(3) var<storage, read> occupancy: array<u32>;
@group(0) @binding(4) var<storage, read_write> sampleT: array<f32>;
@group(0) @binding(5) var<storage, read_write> sampleCount: array<u32>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(invocation: LinearInvocation) {
    let r = linearIndex(invocation, WORKGROUP_SIZE);
    if (r >= params.rayCount) {
        return;
    }
    let ray = rays[r];
    var offset = 0.5;
    if (params.jitter != 0u) {
        offset = random01(params.seed, r);
    }
    var count = 0u;
    let base = r * params.maxSamples;
    if (ray.tNear < ray.tFar) {
        let steps = marchSteps(field, ray.tNear, ray.tFar, offset);
        for (var k = 0u; k < steps; k = k + 1u) {
            if (count >= params.maxSamples) {
                break;
            }
            let t = marchDistance(field, ray.tNear, ray.tFar, f32(k) + offset);
            let cell = occupancyCell(field, ray.origin + t * ray.direction);
            if ((occupancy[cell >> 5u] & (1u << (cell & 31u))) != 0u) {
                sampleT[base + count] = t;
                count = count + 1u;
            }
        }
    }
    sampleCount[r] = count;
}

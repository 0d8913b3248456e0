// nerfRaymarch fragment shader (WGSL, WebGPU; Babylon ShaderMaterial syntax): ray-marches a
// radiance field inside a Babylon scene. Twin of nerfRaymarch.fragment.glsl, and of the field
// kernels rendering without jitter (shaders/nerf/sampleRays.wgsl + volumeRenderForward.wgsl,
// CPU twin RenderViewCpu).
//
// Algorithm, per fragment of the box's back faces, in the field's capture coordinates:
//   origin = cameraCapture (camera position in capture coordinates, computed per draw by NerfMaterial);
//   direction d = normalize(surface point - origin), the surface point = local position with z * zSign;
//   [tNear, tFar] = rayBox (tNear clamped at 0); steps = ceil((tFar - tNear) / marchStep - 0.5);
//   sample k at t = tNear + (k + 0.5) * marchStep (marchStep = stepSize * stepScale), at most
//   maxSamples kept samples; empty 4x4x4-cell blocks and empty cells are jumped over (the march
//   resumes at the first sample past their exit: the same samples as without jumping); a sample is
//   skipped when its occupancy cell is empty
//   (cell = floor(clamp((p - boundsMin) / (boundsMax - boundsMin), 0, 0.999999) * occupancySize));
//   sigma = softplus(raw + densityShift) (identity above 15), alpha = 1 - exp(-sigma * marchStep),
//   w = T * alpha, colour_c = sigmoid(dot(sh_c, basis(d))), basis(d) = (C0, -C1 d.y, C1 d.z, -C1 d.x);
//   T *= 1 - alpha; stop when T < 1e-3.
// Contracted (whole-scene) fields (define CONTRACTED, set by NerfMaterial; bounded fields compile
// without the contraction's code): points map into the grid through the L-inf
// contraction of fieldCommon.wgsl (fieldUnit), rays run from `rayNear` and past the box exit in
// disparity-even steps (marchDistance, widths sampleWidth), as the kernels do; empty cells and
// blocks are jumped over only inside the box, where the grid is affine in world space.
// Output: premultiplied colour (sum w colour, 1 - T), blended "over" the scene. Fragments whose
// opacity stays below 1/255 are discarded. Depth (fragmentOutputs.fragDepth, i.e.
// @builtin(frag_depth)): the point where the opacity first reaches depthThreshold, else the
// opacity-weighted mean sample point; capture -> local (z * zSign) -> world -> clip
// (viewProjection) -> NDC z, already in [0, 1] on WebGPU (IS_NDC_HALF_ZRANGE; reverse depth is
// in Babylon's projection matrix). Depth is written on every kept path (an unwritten frag_depth
// would be 0, the near plane).
//
// Textures (NerfFieldTextures): densityTexture r16float LINEAR (raw density per grid point),
// shRedTexture / shGreenTexture / shBlueTexture rgba16float LINEAR (the 4 SH coefficients of that
// colour channel), occupancyTexture r8unorm read with textureLoad (1.0 = occupied cell), clamp to
// edge. Grid point (i, j, k) is texel (i, j, k): grid coordinate g (0 .. N - 1) is sampled at
// uvw = (g + 0.5) / N, where hardware trilinear filtering equals the grid's align-corners
// trilinear interpolation. textureSampleLevel (not textureSample): samples are taken in
// non-uniform control flow.
// SAMPLE_COUNT_OUTPUT (diagnostics): red = evaluated samples / 255, alpha 1, nothing discarded.

varying vLocalPosition: vec3f;

uniform world: mat4x4f;
uniform viewProjection: mat4x4f;
uniform cameraCapture: vec3f;
uniform boundsMin: vec3f;
uniform boundsMax: vec3f;
uniform gridSize: vec3f;
uniform occupancySize: vec3f;
uniform marchStep: f32;
uniform densityShift: f32;
uniform maxSamples: f32;
uniform depthThreshold: f32;
uniform zSign: f32;
uniform rayNear: f32;

var densityTextureSampler: sampler;
var densityTexture: texture_3d<f32>;
var shRedTextureSampler: sampler;
var shRedTexture: texture_3d<f32>;
var shGreenTextureSampler: sampler;
var shGreenTexture: texture_3d<f32>;
var shBlueTextureSampler: sampler;
var shBlueTexture: texture_3d<f32>;
var occupancyTexture: texture_3d<f32>;

const SH_C0: f32 = 0.28209479177387814;
const SH_C1: f32 = 0.4886025119029199;
const EARLY_STOP: f32 = 1e-3;
const MIN_OPACITY: f32 = 1.0 / 255.0;
const CONTRACTED_SHELL: f32 = 0.5;
const CONTRACTED_FAR: f32 = 1000.0;

fn softplus(x: f32) -> f32 {
    if (x > 15.0) {
        return x;
    }
    return log(1.0 + exp(x));
}

fn sigmoid3(x: vec3f) -> vec3f {
    return 1.0 / (1.0 + exp(-x));
}

// Entry and exit distances of a ray through the box (tNear clamped at 0; tNear > tFar on a miss).
// Distance at which a ray leaves a box it is inside.
fn exitDistance(origin: vec3f, inverseDirection: vec3f, boxMin: vec3f, boxMax: vec3f) -> f32 {
    let t0 = (boxMin - origin) * inverseDirection;
    let t1 = (boxMax - origin) * inverseDirection;
    let far = max(t0, t1);
    return min(min(far.x, far.y), far.z);
}

fn rayBox(origin: vec3f, direction: vec3f, boxMin: vec3f, boxMax: vec3f) -> vec2f {
    let inverseDirection = 1.0 / direction;
    let t0 = (boxMin - origin) * inverseDirection;
    let t1 = (boxMax - origin) * inverseDirection;
    let near = min(t0, t1);
    let far = max(t0, t1);
    return vec2f(max(max(near.x, near.y), max(near.z, 0.0)), min(min(far.x, far.y), far.z));
}

// Position of a capture point in the grid's unit cube (fieldUnit in fieldCommon.wgsl).
fn fieldUnit(p: vec3f) -> vec3f {
#ifndef CONTRACTED
    return (p - uniforms.boundsMin) / (uniforms.boundsMax - uniforms.boundsMin);
#else
    let u = (p - 0.5 * (uniforms.boundsMax + uniforms.boundsMin)) / (0.5 * (uniforms.boundsMax - uniforms.boundsMin));
    let r = max(abs(u.x), max(abs(u.y), abs(u.z)));
    var c = u;
    if (r > 1.0) {
        c = u / r * (1.0 + CONTRACTED_SHELL * (1.0 - 1.0 / r));
    }
    return (c / (1.0 + CONTRACTED_SHELL) + 1.0) * 0.5;
#endif
}

// The march's distances (raySpan, marchCoordinate, marchDistance, marchSteps, sampleWidth in
// fieldCommon.wgsl, with step = marchStep).
fn raySpan(origin: vec3f, direction: vec3f) -> vec2f {
    let box = rayBox(origin, direction, uniforms.boundsMin, uniforms.boundsMax);
#ifndef CONTRACTED
    return box;
#else
    var linear = box.y;
    if (box.x > box.y) {
        linear = dot(0.5 * (uniforms.boundsMax + uniforms.boundsMin) - origin, direction);
    }
    return vec2f(uniforms.rayNear, max(linear, uniforms.rayNear + uniforms.marchStep));
#endif
}

fn marchCoordinate(tLinear: f32, t: f32) -> f32 {
    if (t <= tLinear) {
        return t / uniforms.marchStep;
    }
    return tLinear / uniforms.marchStep * (2.0 - tLinear / t);
}

fn marchDistance(tNear: f32, tLinear: f32, k: f32) -> f32 {
    let t = tNear + k * uniforms.marchStep;
#ifdef CONTRACTED
    if (t > tLinear) {
        let m = marchCoordinate(tLinear, tNear) + k;
        return tLinear / (2.0 - m * uniforms.marchStep / tLinear);
    }
#endif
    return t;
}

fn marchSteps(tNear: f32, tLinear: f32) -> u32 {
#ifndef CONTRACTED
    return u32(max(0.0, ceil((tLinear - tNear) / uniforms.marchStep - 0.5)));
#else
    let end = tLinear / uniforms.marchStep * (2.0 - 1.0 / CONTRACTED_FAR);
    return u32(max(0.0, ceil(end - marchCoordinate(tLinear, tNear) - 0.5)));
#endif
}

fn sampleWidth(tLinear: f32, t: f32) -> f32 {
#ifndef CONTRACTED
    return uniforms.marchStep;
#else
    let q = max(1.0, t / tLinear);
    return uniforms.marchStep * q * q;
#endif
}

// The capture-space box of a unit-cube box of the grid, when the grid is affine there (always for
// a bounded field; inside the inner box for a contracted one); min > max otherwise.
fn affineBox(unitMin: vec3f, unitMax: vec3f) -> array<vec3f, 2> {
    let extent = uniforms.boundsMax - uniforms.boundsMin;
#ifndef CONTRACTED
    return array<vec3f, 2>(uniforms.boundsMin + unitMin * extent, uniforms.boundsMin + unitMax * extent);
#else
    let inner = 0.5 * CONTRACTED_SHELL / (1.0 + CONTRACTED_SHELL);
    if (any(unitMin < vec3f(inner)) || any(unitMax > vec3f(1.0 - inner))) {
        return array<vec3f, 2>(vec3f(1.0), vec3f(0.0));
    }
    let centre = 0.5 * (uniforms.boundsMax + uniforms.boundsMin);
    let scale = (1.0 + CONTRACTED_SHELL) * extent;
    return array<vec3f, 2>(centre + (unitMin - 0.5) * scale, centre + (unitMax - 0.5) * scale);
#endif
}

// Window depth of a point in capture coordinates.
fn windowDepth(capturePoint: vec3f) -> f32 {
    let worldPoint = uniforms.world * vec4f(capturePoint.xy, capturePoint.z * uniforms.zSign, 1.0);
    let clip = uniforms.viewProjection * worldPoint;
    let ndcZ = clip.z / clip.w;
#ifdef IS_NDC_HALF_ZRANGE
    return clamp(ndcZ, 0.0, 1.0);
#else
    return clamp(ndcZ * 0.5 + 0.5, 0.0, 1.0);
#endif
}

@fragment
fn main(input: FragmentInputs) -> FragmentOutputs {
    let localPosition = fragmentInputs.vLocalPosition;
    let surface = vec3f(localPosition.xy, localPosition.z * uniforms.zSign);
    let origin = uniforms.cameraCapture;
    let direction = normalize(surface - origin);
    // Keep 1 / direction finite (an exact 0 gives +-inf, which rayBox handles, but not everywhere).
    let safeDirection = select(direction, vec3f(1e-12), direction == vec3f(0.0));
    let span = raySpan(origin, safeDirection);
    let basis = vec4f(SH_C0, -SH_C1 * direction.y, SH_C1 * direction.z, -SH_C1 * direction.x);
    let gridSize = uniforms.gridSize;
    let inverseDirection = 1.0 / safeDirection;
    let cellUnit = 1.0 / uniforms.occupancySize;
    var steps = 0u;
    if (span.x < span.y) {
        steps = marchSteps(span.x, span.y);
    }
    let sampleLimit = u32(uniforms.maxSamples);
    var kept = 0u;
    var transmittance = 1.0;
    var color = vec3f(0.0);
    var weightedPoint = vec3f(0.0);
    var depthPoint = surface;
    var reachedThreshold = false;
    for (var k = 0u; k < steps; k = k + 1u) {
        if (kept >= sampleLimit) {
            break;
        }
        let t = marchDistance(span.x, span.y, f32(k) + 0.5);
        let p = origin + t * direction;
        let unit = fieldUnit(p);
        let cell = vec3i(clamp(unit, vec3f(0.0), vec3f(0.999999)) * uniforms.occupancySize);
        let occupied = textureLoad(occupancyTexture, cell, 0).rg;
        if (occupied.r <= 0.0) {
            // jump to the first sample past the empty block (or cell); the loop adds 1
            var lo = vec3f(cell);
            var size = vec3f(1.0);
            if (occupied.g <= 0.0) {
                lo = vec3f((cell / vec3i(4)) * 4);
                size = vec3f(4.0);
            }
            let box = affineBox(lo * cellUnit, min(lo + size, uniforms.occupancySize) * cellUnit);
            if (all(box[0] <= box[1])) {
                let tExit = exitDistance(origin, inverseDirection, box[0], box[1]);
                k = u32(max(i32(k), i32(ceil((tExit - span.x) / uniforms.marchStep - 0.5)) - 1));
            }
            continue;
        }
        kept = kept + 1u;
        let g = clamp(unit * (gridSize - 1.0), vec3f(0.0), gridSize - 1.0);
        let uvw = (g + 0.5) / gridSize;
        let raw = textureSampleLevel(densityTexture, densityTextureSampler, uvw, 0.0).r;
        let alpha = 1.0 - exp(-softplus(raw + uniforms.densityShift) * sampleWidth(span.y, t));
        let w = transmittance * alpha;
        let logits = vec3f(
            dot(textureSampleLevel(shRedTexture, shRedTextureSampler, uvw, 0.0), basis),
            dot(textureSampleLevel(shGreenTexture, shGreenTextureSampler, uvw, 0.0), basis),
            dot(textureSampleLevel(shBlueTexture, shBlueTextureSampler, uvw, 0.0), basis),
        );
        color = color + w * sigmoid3(logits);
        weightedPoint = weightedPoint + w * p;
        transmittance = transmittance * (1.0 - alpha);
        if (!reachedThreshold && 1.0 - transmittance >= uniforms.depthThreshold) {
            reachedThreshold = true;
            depthPoint = p;
        }
        if (transmittance < EARLY_STOP) {
            break;
        }
    }
    let opacity = 1.0 - transmittance;
    if (!reachedThreshold && opacity > 0.0) {
        depthPoint = weightedPoint / opacity;
    }
#ifdef SAMPLE_COUNT_OUTPUT
    fragmentOutputs.color = vec4f(f32(min(kept, 255u)) / 255.0, 0.0, 0.0, 1.0);
    fragmentOutputs.fragDepth = windowDepth(depthPoint);
#else
    if (opacity < MIN_OPACITY) {
        discard;
    }
    fragmentOutputs.color = vec4f(color, opacity);
    fragmentOutputs.fragDepth = windowDepth(depthPoint);
#endif
}

// nerfRaymarch fragment shader (GLSL, WebGL2): ray-marches a radiance field inside a Babylon scene.
// Twin of nerfRaymarch.fragment.wgsl, and of the field kernels rendering without jitter
// (shaders/nerf/sampleRays.wgsl + volumeRenderForward.wgsl, CPU twin RenderViewCpu).
//
// Algorithm, per fragment of the box's back faces, in the field's capture coordinates:
//   origin = cameraCapture (camera position in capture coordinates, computed per draw by NerfMaterial);
//   direction d = normalize(surface point - origin), the surface point = local position with z * zSign;
//   [tNear, tFar] = rayBox (tNear clamped at 0); steps = ceil((tFar - tNear) / marchStep - 0.5);
//   sample k at t = tNear + (k + 0.5) * marchStep (marchStep = stepSize * stepScale), at most
//   maxSamples kept samples; a sample is skipped when its occupancy cell is empty
//   (cell = floor(clamp((p - boundsMin) / (boundsMax - boundsMin), 0, 0.999999) * occupancySize)).
//   Empty space is jumped over: when the sample's 4x4x4-cell block is empty (occupancy green) the
//   march resumes at the first sample past the block's exit, when only its cell is empty (red) past
//   the cell's exit; the samples kept are exactly those of the non-skipping loop.
//   sigma = softplus(raw + densityShift) (identity above 15), alpha = 1 - exp(-sigma * marchStep),
//   w = T * alpha, colour_c = sigmoid(dot(sh_c, basis(d))), basis(d) = (C0, -C1 d.y, C1 d.z, -C1 d.x);
//   T *= 1 - alpha; stop when T < 1e-3.
// Contracted (whole-scene) fields (define CONTRACTED, set by NerfMaterial; bounded fields compile
// without the contraction's code): points map into the grid through the L-inf
// contraction of fieldCommon.wgsl (fieldUnit), rays run from rayNear and past the box exit in
// disparity-even steps (marchDistance, widths sampleWidth), as the kernels do; empty cells and
// blocks are jumped over only inside the box, where the grid is affine in world space.
// Output: premultiplied colour (sum w colour, 1 - T), blended "over" the scene. Fragments whose
// opacity stays below 1/255 are discarded. Depth: the point where the opacity first reaches
// depthThreshold, else the opacity-weighted mean sample point; capture -> local (z * zSign) ->
// world -> clip (viewProjection) -> window depth ([-1, 1] -> [0, 1] unless IS_NDC_HALF_ZRANGE;
// reverse depth is already in Babylon's projection matrix). Depth is written on every kept path.
//
// Textures (NerfFieldTextures): densityTexture R16F LINEAR (raw density per grid point),
// shRedTexture / shGreenTexture / shBlueTexture RGBA16F LINEAR (the 4 SH coefficients of that
// colour channel), occupancyTexture R8 NEAREST (1.0 = occupied cell), clamp to edge. Grid point
// (i, j, k) is texel (i, j, k): grid coordinate g (0 .. N - 1) is sampled at uvw = (g + 0.5) / N,
// where hardware trilinear filtering equals the grid's align-corners trilinear interpolation.
// SAMPLE_COUNT_OUTPUT (diagnostics): red = evaluated samples / 255, alpha 1, nothing discarded.
precision highp float;
precision highp int;
precision highp sampler3D;

varying vec3 vLocalPosition;

uniform mat4 world;
uniform mat4 viewProjection;
uniform vec3 cameraCapture;
uniform vec3 boundsMin;
uniform vec3 boundsMax;
uniform vec3 gridSize;
uniform vec3 occupancySize;
uniform float marchStep;
uniform float densityShift;
uniform float maxSamples;
uniform float depthThreshold;
uniform float zSign;
uniform float rayNear;

uniform sampler3D densityTexture;
uniform sampler3D shRedTexture;
uniform sampler3D shGreenTexture;
uniform sampler3D shBlueTexture;
uniform sampler3D occupancyTexture;

const float SH_C0 = 0.28209479177387814;
const float SH_C1 = 0.4886025119029199;
const float EARLY_STOP = 1e-3;
const float MIN_OPACITY = 1.0 / 255.0;
const float CONTRACTED_SHELL = 0.5;
const float CONTRACTED_FAR = 1000.0;

float softplus(float x) {
    return x > 15.0 ? x : log(1.0 + exp(x));
}

vec3 sigmoid3(vec3 x) {
    return 1.0 / (1.0 + exp(-x));
}

// Entry and exit distances of a ray through the box (tNear clamped at 0; tNear > tFar on a miss).
vec2 rayBox(vec3 origin, vec3 direction, vec3 boxMin, vec3 boxMax) {
    vec3 inverseDirection = 1.0 / direction;
    vec3 t0 = (boxMin - origin) * inverseDirection;
    vec3 t1 = (boxMax - origin) * inverseDirection;
    vec3 near = min(t0, t1);
    vec3 far = max(t0, t1);
    return vec2(max(max(near.x, near.y), max(near.z, 0.0)), min(min(far.x, far.y), far.z));
}

// Distance at which a ray leaves a box it is inside.
float exitDistance(vec3 origin, vec3 inverseDirection, vec3 boxMin, vec3 boxMax) {
    vec3 t0 = (boxMin - origin) * inverseDirection;
    vec3 t1 = (boxMax - origin) * inverseDirection;
    vec3 far = max(t0, t1);
    return min(min(far.x, far.y), far.z);
}

// Window depth of a point in capture coordinates.
// Contracted fields: fieldUnit, raySpan and the march functions of the WGSL twin.
vec3 fieldUnit(vec3 p) {
#ifndef CONTRACTED
    return (p - boundsMin) / (boundsMax - boundsMin);
#else
    vec3 u = (p - 0.5 * (boundsMax + boundsMin)) / (0.5 * (boundsMax - boundsMin));
    float r = max(abs(u.x), max(abs(u.y), abs(u.z)));
    vec3 c = r > 1.0 ? u / r * (1.0 + CONTRACTED_SHELL * (1.0 - 1.0 / r)) : u;
    return (c / (1.0 + CONTRACTED_SHELL) + 1.0) * 0.5;
#endif
}

vec2 raySpan(vec3 origin, vec3 direction) {
    vec2 box = rayBox(origin, direction, boundsMin, boundsMax);
#ifndef CONTRACTED
    return box;
#else
    float linear = box.x > box.y ? dot(0.5 * (boundsMax + boundsMin) - origin, direction) : box.y;
    return vec2(rayNear, max(linear, rayNear + marchStep));
#endif
}

float marchCoordinate(float tLinear, float t) {
    return t <= tLinear ? t / marchStep : tLinear / marchStep * (2.0 - tLinear / t);
}

float marchDistance(float tNear, float tLinear, float k) {
    float t = tNear + k * marchStep;
#ifdef CONTRACTED
    if (t > tLinear) {
        float m = marchCoordinate(tLinear, tNear) + k;
        return tLinear / (2.0 - m * marchStep / tLinear);
    }
#endif
    return t;
}

int marchSteps(float tNear, float tLinear) {
#ifndef CONTRACTED
    return int(max(0.0, ceil((tLinear - tNear) / marchStep - 0.5)));
#else
    float end = tLinear / marchStep * (2.0 - 1.0 / CONTRACTED_FAR);
    return int(max(0.0, ceil(end - marchCoordinate(tLinear, tNear) - 0.5)));
#endif
}

float sampleWidth(float tLinear, float t) {
#ifndef CONTRACTED
    return marchStep;
#else
    float q = max(1.0, t / tLinear);
    return marchStep * q * q;
#endif
}

// The capture-space box of a unit-cube box of the grid where the grid is affine (false elsewhere).
bool affineBox(vec3 unitMin, vec3 unitMax, out vec3 boxMin, out vec3 boxMax) {
    vec3 extent = boundsMax - boundsMin;
#ifndef CONTRACTED
    boxMin = boundsMin + unitMin * extent;
    boxMax = boundsMin + unitMax * extent;
    return true;
#else
    float inner = 0.5 * CONTRACTED_SHELL / (1.0 + CONTRACTED_SHELL);
    if (any(lessThan(unitMin, vec3(inner))) || any(greaterThan(unitMax, vec3(1.0 - inner)))) {
        return false;
    }
    vec3 centre = 0.5 * (boundsMax + boundsMin);
    vec3 scale = (1.0 + CONTRACTED_SHELL) * extent;
    boxMin = centre + (unitMin - 0.5) * scale;
    boxMax = centre + (unitMax - 0.5) * scale;
    return true;
#endif
}

float windowDepth(vec3 capturePoint) {
    vec4 worldPoint = world * vec4(capturePoint.xy, capturePoint.z * zSign, 1.0);
    vec4 clip = viewProjection * worldPoint;
    float ndcZ = clip.z / clip.w;
#ifdef IS_NDC_HALF_ZRANGE
    return clamp(ndcZ, 0.0, 1.0);
#else
    return clamp(ndcZ * 0.5 + 0.5, 0.0, 1.0);
#endif
}

void main(void) {
    vec3 surface = vec3(vLocalPosition.xy, vLocalPosition.z * zSign);
    vec3 origin = cameraCapture;
    vec3 direction = normalize(surface - origin);
    // Keep 1 / direction finite (an exact 0 gives +-inf, which rayBox handles, but not everywhere).
    vec3 safeDirection = mix(direction, vec3(1e-12), vec3(equal(direction, vec3(0.0))));
    vec2 span = raySpan(origin, safeDirection);
    vec4 basis = vec4(SH_C0, -SH_C1 * direction.y, SH_C1 * direction.z, -SH_C1 * direction.x);
    vec3 inverseDirection = 1.0 / safeDirection;
    vec3 cellUnit = 1.0 / occupancySize;
    int steps = span.x < span.y ? marchSteps(span.x, span.y) : 0;
    int sampleLimit = int(maxSamples);
    int kept = 0;
    float transmittance = 1.0;
    vec3 color = vec3(0.0);
    vec3 weightedPoint = vec3(0.0);
    vec3 depthPoint = surface;
    bool reachedThreshold = false;
    for (int k = 0; k < steps; k++) {
        if (kept >= sampleLimit) {
            break;
        }
        float t = marchDistance(span.x, span.y, float(k) + 0.5);
        vec3 p = origin + t * direction;
        vec3 unit = fieldUnit(p);
        ivec3 cell = ivec3(clamp(unit, 0.0, 0.999999) * occupancySize);
        vec2 occupied = texelFetch(occupancyTexture, cell, 0).rg;
        if (occupied.r <= 0.0) {
            // jump to the first sample past the empty block (or cell); the loop adds 1
            vec3 lo = occupied.g <= 0.0 ? vec3((cell / 4) * 4) : vec3(cell);
            vec3 size = occupied.g <= 0.0 ? vec3(4.0) : vec3(1.0);
            vec3 boxMin;
            vec3 boxMax;
            if (affineBox(lo * cellUnit, min(lo + size, occupancySize) * cellUnit, boxMin, boxMax)) {
                float tExit = exitDistance(origin, inverseDirection, boxMin, boxMax);
                k = max(k, int(ceil((tExit - span.x) / marchStep - 0.5)) - 1);
            }
            continue;
        }
        kept++;
        vec3 g = clamp(unit * (gridSize - 1.0), vec3(0.0), gridSize - 1.0);
        vec3 uvw = (g + 0.5) / gridSize;
        float raw = textureLod(densityTexture, uvw, 0.0).r;
        float alpha = 1.0 - exp(-softplus(raw + densityShift) * sampleWidth(span.y, t));
        float w = transmittance * alpha;
        vec3 logits = vec3(dot(textureLod(shRedTexture, uvw, 0.0), basis), dot(textureLod(shGreenTexture, uvw, 0.0), basis), dot(textureLod(shBlueTexture, uvw, 0.0), basis));
        color += w * sigmoid3(logits);
        weightedPoint += w * p;
        transmittance *= 1.0 - alpha;
        if (!reachedThreshold && 1.0 - transmittance >= depthThreshold) {
            reachedThreshold = true;
            depthPoint = p;
        }
        if (transmittance < EARLY_STOP) {
            break;
        }
    }
    float opacity = 1.0 - transmittance;
    if (!reachedThreshold && opacity > 0.0) {
        depthPoint = weightedPoint / opacity;
    }
#ifdef SAMPLE_COUNT_OUTPUT
    gl_FragColor = vec4(min(float(kept), 255.0) / 255.0, 0.0, 0.0, 1.0);
    gl_FragDepth = windowDepth(depthPoint);
#else
    if (opacity < MIN_OPACITY) {
        discard;
    }
    gl_FragColor = vec4(color, opacity);
    gl_FragDepth = windowDepth(depthPoint);
#endif
}

// fieldCommon: what every radiance-field kernel shares (prepended by ComposeWgsl).
// Grid: a DVGO-style explicit grid over an axis-aligned box. Values live at grid points
// (align-corners): point (i, j, k) sits at boundsMin + (i, j, k) / (gridSize - 1) * (boundsMax - boundsMin).
//   density : array<f32>        voxelCount = gx * gy * gz raw densities; sigma = softplus(raw + densityShift)
//   sh      : array<vec4<f32>>  3 per grid point: sh[3 v + c] = degree-1 SH coefficients of colour channel c
//                               (c = r, g, b); colour = sigmoid(dot(sh[3 v + c], shBasis(direction)))
//   index of point (i, j, k): v = i + gx * (j + gy * k)
// Occupancy: a bitfield over occupancySize cells covering the same box (cell (a, b, c) bit
// a + ox * (b + oy * c)); samples in empty cells are skipped.
// Rays march in world units: alpha = 1 - exp(-sigma * stepSize).

struct FieldParams {
    boundsMin: vec3<f32>,
    stepSize: f32,
    boundsMax: vec3<f32>,
    densityShift: f32,
    gridSize: vec3<u32>,
    voxelCount: u32,
    occupancySize: vec3<u32>,
    occupancyCellCount: u32,
}

const SH_C0: f32 = 0.28209479177387814;
const SH_C1: f32 = 0.4886025119029199;

// True for +-Inf and NaN, by the exponent bits (comparisons may be optimized on the assumption
// that floats are finite; bit tests are not).
fn isNonFinite(x: f32) -> bool {
    return (bitcast<u32>(x) & 0x7f800000u) == 0x7f800000u;
}

fn softplus(x: f32) -> f32 {
    if (x > 15.0) {
        return x;
    }
    return log(1.0 + exp(x));
}

fn sigmoid(x: f32) -> f32 {
    return 1.0 / (1.0 + exp(-x));
}

fn shBasis(direction: vec3<f32>) -> vec4<f32> {
    return vec4<f32>(SH_C0, -SH_C1 * direction.y, SH_C1 * direction.z, -SH_C1 * direction.x);
}

// Colour of a point seen along a direction: sigmoid(dot(coefficients[c], shBasis(direction))) per channel.
fn shColor(coefficients: array<vec4<f32>, 3>, basis: vec4<f32>) -> vec3<f32> {
    return vec3<f32>(sigmoid(dot(coefficients[0], basis)), sigmoid(dot(coefficients[1], basis)), sigmoid(dot(coefficients[2], basis)));
}

// Volume density of a raw (interpolated) grid value: sigma = softplus(raw + densityShift).
fn sigmaOf(field: FieldParams, raw: f32) -> f32 {
    return softplus(raw + field.densityShift);
}

// Opacity of one march step through density sigma: alpha = 1 - exp(-sigma * stepSize).
fn stepAlpha(field: FieldParams, sigma: f32) -> f32 {
    return 1.0 - exp(-sigma * field.stepSize);
}

// Continuous grid coordinates of a world point (0 .. gridSize - 1 inside the box).
fn gridCoordinates(field: FieldParams, p: vec3<f32>) -> vec3<f32> {
    return (p - field.boundsMin) / (field.boundsMax - field.boundsMin) * vec3<f32>(field.gridSize - vec3<u32>(1u));
}

struct Trilinear {
    base: vec3<u32>,
    fraction: vec3<f32>,
}

fn trilinearAt(field: FieldParams, p: vec3<f32>) -> Trilinear {
    let maxBase = vec3<f32>(field.gridSize - vec3<u32>(2u));
    let g = clamp(gridCoordinates(field, p), vec3<f32>(0.0), vec3<f32>(field.gridSize - vec3<u32>(1u)));
    let base = min(floor(g), maxBase);
    var result: Trilinear;
    result.base = vec3<u32>(base);
    result.fraction = g - base;
    return result;
}

fn voxelIndex(field: FieldParams, i: u32, j: u32, k: u32) -> u32 {
    return i + field.gridSize.x * (j + field.gridSize.y * k);
}

// Grid index and weight of corner c (0..7, bit 0 = +x, bit 1 = +y, bit 2 = +z).
fn cornerIndex(field: FieldParams, t: Trilinear, c: u32) -> u32 {
    return voxelIndex(field, t.base.x + (c & 1u), t.base.y + ((c >> 1u) & 1u), t.base.z + ((c >> 2u) & 1u));
}

fn cornerWeight(t: Trilinear, c: u32) -> f32 {
    let wx = select(1.0 - t.fraction.x, t.fraction.x, (c & 1u) != 0u);
    let wy = select(1.0 - t.fraction.y, t.fraction.y, ((c >> 1u) & 1u) != 0u);
    let wz = select(1.0 - t.fraction.z, t.fraction.z, ((c >> 2u) & 1u) != 0u);
    return wx * wy * wz;
}

fn occupancyCell(field: FieldParams, p: vec3<f32>) -> u32 {
    let unit = clamp((p - field.boundsMin) / (field.boundsMax - field.boundsMin), vec3<f32>(0.0), vec3<f32>(0.999999));
    let cell = vec3<u32>(unit * vec3<f32>(field.occupancySize));
    return cell.x + field.occupancySize.x * (cell.y + field.occupancySize.y * cell.z);
}

// Entry and exit distances of a ray through the box; tNear > tFar when it misses.
fn rayBox(origin: vec3<f32>, direction: vec3<f32>, boxMin: vec3<f32>, boxMax: vec3<f32>) -> vec2<f32> {
    let inverse = 1.0 / direction;
    let t0 = (boxMin - origin) * inverse;
    let t1 = (boxMax - origin) * inverse;
    let near = min(t0, t1);
    let far = max(t0, t1);
    return vec2<f32>(max(max(near.x, near.y), max(near.z, 0.0)), min(min(far.x, far.y), far.z));
}

// PCG hash: a well-mixed u32 from a u32; random01 gives [0, 1) from (seed, index).
fn pcgHash(input: u32) -> u32 {
    let state = input * 747796405u + 2891336453u;
    let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
    return (word >> 22u) ^ word;
}

fn random01(seed: u32, index: u32) -> f32 {
    return f32(pcgHash(pcgHash(seed) ^ index) >> 8u) / 16777216.0;
}

// fieldCommon: what every radiance-field kernel shares (prepended by ComposeWgsl).
// Grid: a DVGO-style explicit grid over an axis-aligned box. Values live at grid points
// (align-corners): point (i, j, k) sits at boundsMin + (i, j, k) / (gridSize - 1) * (boundsMax - boundsMin).
//   density : array<f32>        voxelCount = gx * gy * gz raw densities; sigma = softplus(raw + densityShift)
//   sh      : array<vec4<f32>>  3 per grid point: sh[3 v + c] = degree-1 SH coefficients of colour channel c
//                               (c = r, g, b); colour = sigmoid(dot(sh[3 v + c], shBasis(direction)))
//   index of point (i, j, k): v = i + gx * (j + gy * k)
// Occupancy: a bitfield over occupancySize cells covering the same box (cell (a, b, c) bit
// a + ox * (b + oy * c)); samples in empty cells are skipped.
// Rays march in world units: alpha = 1 - exp(-sigma * width), width = sampleWidth (stepSize in the box).
// Contraction (contraction = 1, the whole scene): the box is the inner region; a point p maps to
// u = (p - centre) / halfExtent (per axis), r = max |u_a| (L-inf, mip-NeRF 360's contraction with
// that norm), c = u when r <= 1, else u / r * (1 + CONTRACTED_SHELL * (1 - 1 / r)); the grid and
// the occupancy cells span c in [-(1 + S), 1 + S] per axis (the inner box is the middle
// 1 / (1 + S) of each axis, everything beyond it up to infinity the shell around it).
// Marching: a ray runs from tNear to tFar = tLinear (the box exit). In the box samples are stepSize
// apart; beyond tLinear (contracted fields only) they are evenly spaced in disparity:
// march coordinate m(t) = t / stepSize up to tLinear, (tLinear / stepSize) (2 - tLinear / t)
// beyond, so sample k sits at m = m(tNear) + k + offset and is sampleWidth = stepSize *
// max(1, t / tLinear)^2 wide; the march stops at t = CONTRACTED_FAR * tLinear.

struct FieldParams {
    boundsMin: vec3<f32>,
    stepSize: f32,
    boundsMax: vec3<f32>,
    densityShift: f32,
    gridSize: vec3<u32>,
    voxelCount: u32,
    occupancySize: vec3<u32>,
    occupancyCellCount: u32,
    contraction: u32,
    near: f32,
    pad0: u32,
    pad1: u32,
}

const CONTRACTED_SHELL: f32 = 0.5;
const CONTRACTED_FAR: f32 = 1000.0;

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

// Opacity of one march step of the given width through density sigma: 1 - exp(-sigma * width).
fn stepAlpha(sigma: f32, width: f32) -> f32 {
    return 1.0 - exp(-sigma * width);
}

// Position of a world point in the grid's unit cube (0 .. 1 per axis covers the grid; the box
// itself when not contracted).
fn fieldUnit(field: FieldParams, p: vec3<f32>) -> vec3<f32> {
    if (field.contraction == 0u) {
        return (p - field.boundsMin) / (field.boundsMax - field.boundsMin);
    }
    let half = 0.5 * (field.boundsMax - field.boundsMin);
    let u = (p - 0.5 * (field.boundsMax + field.boundsMin)) / half;
    let r = max(abs(u.x), max(abs(u.y), abs(u.z)));
    var c = u;
    if (r > 1.0) {
        c = u / r * (1.0 + CONTRACTED_SHELL * (1.0 - 1.0 / r));
    }
    return (c / (1.0 + CONTRACTED_SHELL) + 1.0) * 0.5;
}

// Continuous grid coordinates of a world point (0 .. gridSize - 1 inside the grid).
fn gridCoordinates(field: FieldParams, p: vec3<f32>) -> vec3<f32> {
    return fieldUnit(field, p) * vec3<f32>(field.gridSize - vec3<u32>(1u));
}

// March coordinate of distance t on a ray whose linear part ends at tLinear (see the header).
fn marchCoordinate(field: FieldParams, tLinear: f32, t: f32) -> f32 {
    if (t <= tLinear) {
        return t / field.stepSize;
    }
    return tLinear / field.stepSize * (2.0 - tLinear / t);
}

// Distance of sample k (march coordinate mStart + k + offset) on a ray from tNear.
fn marchDistance(field: FieldParams, tNear: f32, tLinear: f32, k: f32) -> f32 {
    let t = tNear + k * field.stepSize;
    if (t <= tLinear) {
        return t;
    }
    let m = marchCoordinate(field, tLinear, tNear) + k;
    return tLinear / (2.0 - m * field.stepSize / tLinear);
}

// Number of march steps from tNear (with the sample offset) to the end of the ray.
fn marchSteps(field: FieldParams, tNear: f32, tLinear: f32, offset: f32) -> u32 {
    if (field.contraction == 0u) {
        return u32(max(0.0, ceil((tLinear - tNear) / field.stepSize - offset)));
    }
    let end = tLinear / field.stepSize * (2.0 - 1.0 / CONTRACTED_FAR);
    return u32(max(0.0, ceil(end - marchCoordinate(field, tLinear, tNear) - offset)));
}

// World width of the sample at distance t (stepSize inside the linear part).
fn sampleWidth(field: FieldParams, tLinear: f32, t: f32) -> f32 {
    let q = max(1.0, t / tLinear);
    return field.stepSize * q * q;
}

struct Trilinear {
    base: vec3<u32>,
    fraction: vec3<f32>,
}

fn trilinearAt(field: FieldParams, p: vec3<f32>) -> Trilinear {
    return trilinearAtUnit(field, fieldUnit(field, p));
}

// Trilinear corners of a position in the grid's unit cube.
fn trilinearAtUnit(field: FieldParams, unit: vec3<f32>) -> Trilinear {
    let maxBase = vec3<f32>(field.gridSize - vec3<u32>(2u));
    let g = clamp(unit * vec3<f32>(field.gridSize - vec3<u32>(1u)), vec3<f32>(0.0), vec3<f32>(field.gridSize - vec3<u32>(1u)));
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
    let unit = clamp(fieldUnit(field, p), vec3<f32>(0.0), vec3<f32>(0.999999));
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

// The widest sample width in an occupancy cell (for its occupancy test): stepSize, or for a
// contracted field stepSize * r^2 with r the L-inf radius of the cell's outer face in half
// extents (sampleWidth grows as (t / tLinear)^2 <= r^2 there).
fn cellWidth(field: FieldParams, cell: vec3<u32>) -> f32 {
    if (field.contraction == 0u) {
        return field.stepSize;
    }
    let lo = abs(2.0 * vec3<f32>(cell) / vec3<f32>(field.occupancySize) - 1.0);
    let hi = abs(2.0 * vec3<f32>(cell + vec3<u32>(1u)) / vec3<f32>(field.occupancySize) - 1.0);
    let extreme = max(lo, hi) * (1.0 + CONTRACTED_SHELL);
    let rc = max(extreme.x, max(extreme.y, extreme.z));
    var r = 1.0;
    if (rc > 1.0) {
        r = min(CONTRACTED_SHELL / max(1.0 + CONTRACTED_SHELL - rc, 1e-6), CONTRACTED_FAR);
    }
    return field.stepSize * r * r;
}

// The distances a ray marches over: (tNear, tLinear). Bounded: the box span (tNear > tLinear on a
// miss). Contracted: from field.near, linear to the box exit (or, for a ray that misses the box,
// to its closest approach to the box centre), then in disparity to infinity.
fn raySpan(field: FieldParams, origin: vec3<f32>, direction: vec3<f32>) -> vec2<f32> {
    let box = rayBox(origin, direction, field.boundsMin, field.boundsMax);
    if (field.contraction == 0u) {
        return box;
    }
    var linear = box.y;
    if (box.x > box.y) {
        linear = dot(0.5 * (field.boundsMax + field.boundsMin) - origin, direction);
    }
    return vec2<f32>(field.near, max(linear, field.near + field.stepSize));
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

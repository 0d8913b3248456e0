// objectFusion: one training step of the object field on a batch of patches (SANeRF-HQ's mask
// aggregator). One workgroup = one S x S patch of rays (S * S = 64, rayGeneration mode 2).
// Per ray (thread): the label distribution m (objectCommon.wgsl) from the frozen NeRF weights;
// the loss against the ray's mask label, weighted by its view's weight (the mask's predicted IoU,
// or 1; 0 for invalid views):
//   softmax: L = -rw * log(m[label] + eps)      sigmoid: L = -rw * BCE(m, label > 0)
// Ray-Pair RGB loss (rayPair != 0), as in the released SANeRF-HQ code: the patch's reference ray is
// the one with the lowest current error, and its label is its most likely class, one-hot and held
// fixed (no gradient). Each of the P other rays whose rendered colour lies within rayPairThreshold
// of the reference's (Euclidean) adds rayPairWeight * 64 / P * exp(-rayPairSharpness * cos - eps),
// cos = cos(m_ray, onehot_ref) (sigmoid mode compares (1 - m, m)): over a batch's mean loss that is
// rayPairWeight times the mean over patches of the mean over pairs.
// Then dL/dm flows back through the samples to the logits (the weights are constants):
//   softmax: dL/dl_j = w_i p_j (g_j - sum_k g_k p_k)     sigmoid: dL/dl = g w_i p (1 - p)
// split over the 8 trilinear corners with atomicAccumulate; touched points are listed with
// markTouched (common/touchedPoints.wgsl), as in volumeRenderBackward.wgsl.
// Buffers (group 0):
//   @binding(0) params       : uniform ObjectParams
//   @binding(1) samples      : array<vec4<f32>>   (position, w) per ray sample (fieldWeights.wgsl)
//   @binding(2) rayColor     : array<vec4<f32>>   (rendered rgb, samples used)
//   @binding(3) rayTarget    : array<vec2<f32>>   (label, view weight) per ray
//   @binding(4) logits       : array<f32>         the object field
//   @binding(5) grad         : array<atomic<u32>> channels words per point (accumulated)
//   @binding(6) touchedList  : array<u32>
//   @binding(7) touchedState : array<atomic<u32>> [0] count, [4 + v / 32] bits (common/touchedPoints.wgsl)
//   @binding(8) rayLoss      : array<f32>         per ray (out): its CE loss + its share of the ray-pair loss
const WORKGROUP_SIZE: u32 = 64u;

@group(0) @binding(0) var<uniform> params: ObjectParams;
@group(0) @binding(1) var<storage, read> samples: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> rayColor: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> rayTarget: array<vec2<f32>>;
@group(0) @binding(4) var<storage, read> logits: array<f32>;
@group(0) @binding(5) var<storage, read_write> grad: array<atomic<u32>>;
@group(0) @binding(6) var<storage, read_write> touchedList: array<u32>;
@group(0) @binding(7) var<storage, read_write> touchedState: array<atomic<u32>>;
@group(0) @binding(8) var<storage, read_write> rayLoss: array<f32>;

var<workgroup> sharedM: array<f32, 512>;
var<workgroup> sharedColor: array<vec3<f32>, 64>;
var<workgroup> sharedError: array<f32, 64>;
var<workgroup> sharedReference: u32;
// the reference's label and the patch's pair count (set by thread 0)
var<workgroup> sharedChosen: u32;
var<workgroup> sharedPairs: u32;

struct Activation {
    p: array<f32, 8>,
}

// Probabilities of the object field at a point (softmax over channels, or one sigmoid).
fn activationAt(grid: FieldParams, tri: Trilinear) -> Activation {
    let l = objectLogitsAt(grid, tri, &logits, params.channels);
    var result: Activation;
    if (params.softmax == 0u) {
        result.p[0] = sigmoid(l[0]);
        return result;
    }
    let terms = softmaxTerms(l, params.channels);
    for (var k = 0u; k < params.channels; k = k + 1u) {
        result.p[k] = terms.exponentials[k] / terms.sum;
    }
    return result;
}

// The label distribution a cosine similarity compares: softmax m, or (1 - m, m) for one object.
fn distribution(local: u32, k: u32) -> f32 {
    if (params.softmax == 0u) {
        return select(1.0 - sharedM[local * 8u], sharedM[local * 8u], k == 1u);
    }
    return sharedM[local * 8u + k];
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(invocation: LinearInvocation) {
    // one patch per workgroup: ray r is thread `local` of patch workgroupIndex(invocation)
    let local = invocation.localIndex;
    let r = linearIndex(invocation, WORKGROUP_SIZE);
    let rayActive = r < params.rayCount;
    let grid = objectGrid(params);
    let channels = params.channels;
    let vectorSize = select(channels, 2u, params.softmax == 0u);
    let eps = params.epsilon;
    var m = array<f32, 8>(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    var g = array<f32, 8>(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    var loss = 0.0;
    var used = 0u;
    var label = 0u;
    var viewWeight = 0.0;
    if (rayActive) {
        used = u32(rayColor[r].w);
        let targetValue = rayTarget[r];
        label = u32(targetValue.x);
        viewWeight = targetValue.y;
        var opacity = 0.0;
        for (var i = 0u; i < used; i = i + 1u) {
            let s = samples[r * params.maxSamples + i];
            if (s.w < params.minWeight) {
                continue;
            }
            let a = activationAt(grid, trilinearAt(grid, s.xyz));
            for (var k = 0u; k < channels; k = k + 1u) {
                m[k] = m[k] + s.w * a.p[k];
            }
            opacity = opacity + s.w;
        }
        if (params.softmax != 0u) {
            m[0] = m[0] + max(0.0, 1.0 - opacity);
            let chosen = min(label, channels - 1u);
            loss = -viewWeight * log(m[chosen] + eps);
            g[chosen] = -viewWeight / (m[chosen] + eps);
        } else {
            let y = select(0.0, 1.0, label > 0u);
            loss = -viewWeight * (y * log(m[0] + eps) + (1.0 - y) * log(1.0 - m[0] + eps));
            g[0] = -viewWeight * (y / (m[0] + eps) - (1.0 - y) / (1.0 - m[0] + eps));
        }
    }
    for (var k = 0u; k < 8u; k = k + 1u) {
        sharedM[local * 8u + k] = m[k];
    }
    sharedColor[local] = select(vec3<f32>(1e9), rayColor[min(r, params.rayCount - 1u)].xyz, rayActive);
    // error without the view weight: rays of invalid views never become the reference
    var error = 1e9;
    if (rayActive && viewWeight > 0.0) {
        error = select(-log(m[min(label, channels - 1u)] + eps), -log(select(1.0 - m[0], m[0], label > 0u) + eps), params.softmax == 0u);
    }
    sharedError[local] = error;
    workgroupBarrier();
    if (params.rayPair != 0u && params.training != 0u) {
        if (local == 0u) {
            var best = 0u;
            for (var j = 1u; j < WORKGROUP_SIZE; j = j + 1u) {
                if (sharedError[j] < sharedError[best]) {
                    best = j;
                }
            }
            sharedReference = best;
            // the reference's label: its most likely class, one-hot and held fixed
            var chosen = 0u;
            for (var k = 1u; k < vectorSize; k = k + 1u) {
                if (distribution(best, k) > distribution(best, chosen)) {
                    chosen = k;
                }
            }
            sharedChosen = chosen;
            // the patch's pairs (inactive rays carry a far-away colour)
            var pairs = 0u;
            for (var j = 0u; j < WORKGROUP_SIZE; j = j + 1u) {
                pairs = pairs + select(0u, 1u, j != best && length(sharedColor[j] - sharedColor[best]) < params.rayPairThreshold);
            }
            sharedPairs = pairs;
        }
        workgroupBarrier();
        let reference = sharedReference;
        let chosen = sharedChosen;
        if (rayActive && local != reference && sharedError[reference] < 1e8 && length(sharedColor[local] - sharedColor[reference]) < params.rayPairThreshold) {
            var aa = 0.0;
            for (var k = 0u; k < vectorSize; k = k + 1u) {
                aa = aa + distribution(local, k) * distribution(local, k);
            }
            let na = sqrt(aa) + 1e-12;
            let cosine = distribution(local, chosen) / na;
            let term = exp(-params.rayPairSharpness * cosine - eps);
            let scale = params.rayPairWeight * f32(WORKGROUP_SIZE) / f32(sharedPairs);
            loss = loss + scale * term;
            for (var k = 0u; k < vectorSize; k = k + 1u) {
                let a = distribution(local, k);
                let dCosine = select(0.0, 1.0, k == chosen) / na - cosine * a / (na * na);
                let ga = -scale * params.rayPairSharpness * term * dCosine;
                if (params.softmax != 0u) {
                    g[k] = g[k] + ga;
                } else {
                    // d/dm of (1 - m, m): second component minus first
                    g[0] = g[0] + select(-1.0, 1.0, k == 1u) * ga;
                }
            }
        }
    }
    if (!rayActive) {
        return;
    }
    rayLoss[r] = loss;
    if (params.training == 0u) {
        return;
    }
    for (var i = 0u; i < used; i = i + 1u) {
        let s = samples[r * params.maxSamples + i];
        if (s.w < params.minWeight) {
            continue;
        }
        let tri = trilinearAt(grid, s.xyz);
        let a = activationAt(grid, tri);
        var dl = array<f32, 8>(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
        if (params.softmax != 0u) {
            var expected = 0.0;
            for (var k = 0u; k < channels; k = k + 1u) {
                expected = expected + g[k] * a.p[k];
            }
            for (var k = 0u; k < channels; k = k + 1u) {
                dl[k] = s.w * a.p[k] * (g[k] - expected);
            }
        } else {
            dl[0] = g[0] * s.w * a.p[0] * (1.0 - a.p[0]);
        }
        for (var c = 0u; c < 8u; c = c + 1u) {
            let index = cornerIndex(grid, tri, c);
            let weight = cornerWeight(tri, c);
            for (var k = 0u; k < channels; k = k + 1u) {
                atomicAccumulate(&grad[index * channels + k], weight * dl[k]);
            }
            markTouched(&touchedState, &touchedList, index);
        }
    }
}

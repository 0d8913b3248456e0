// Float accumulation into atomic<u32> words, two modes chosen by the pipeline constant
// DETERMINISTIC:
//   false: compare-exchange loop on the bitcast f32 (fast; the order of adds varies run to run)
//   true:  fixed point, value * FIXED_POINT_SCALE rounded to i32 and added with atomicAdd (two's
//          complement wraps like i32), so the result is independent of order. Read back as
//          bitcast<i32>(word) / FIXED_POINT_SCALE.
// Needs `requires unrestricted_pointer_parameters;` (ComposeWgsl hoists it).
override DETERMINISTIC: bool = false;
override FIXED_POINT_SCALE: f32 = 1048576.0;

fn atomicAccumulate(word: ptr<storage, atomic<u32>, read_write>, value: f32) {
    if (DETERMINISTIC) {
        atomicAdd(word, bitcast<u32>(i32(round(value * FIXED_POINT_SCALE))));
        return;
    }
    var old = atomicLoad(word);
    loop {
        let exchange = atomicCompareExchangeWeak(word, old, bitcast<u32>(bitcast<f32>(old) + value));
        if (exchange.exchanged) {
            break;
        }
        old = exchange.old_value;
    }
}

// The value of a word atomicAccumulate wrote (read after the pass, e.g. by an optimizer step);
// fixedPointScale must equal the pass's FIXED_POINT_SCALE.
fn accumulatedValue(word: u32, fixedPointScale: f32) -> f32 {
    if (DETERMINISTIC) {
        return f32(bitcast<i32>(word)) / fixedPointScale;
    }
    return bitcast<f32>(word);
}

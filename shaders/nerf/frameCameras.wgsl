// The training frames' cameras (rayGeneration.wgsl, appearanceApply.wgsl): per frame, the
// camera-to-world rows (R | t) in OpenGL convention, intrinsics (fx, fy, cx, cy) and size
// (width, height, firstPixel, unused); the frames' pixels lie one frame after another, frame f's
// from firstPixel on. Needs `requires unrestricted_pointer_parameters;` (ComposeWgsl hoists it).
struct FrameCamera {
    row0: vec4<f32>,
    row1: vec4<f32>,
    row2: vec4<f32>,
    intrinsics: vec4<f32>,
    size: vec4<u32>,
}

// The frame that holds global pixel `pixel`: binary search on the frames' firstPixel.
fn frameOfPixel(cameras: ptr<storage, array<FrameCamera>, read>, frameCount: u32, pixel: u32) -> u32 {
    var lo = 0u;
    var hi = frameCount - 1u;
    loop {
        if (lo >= hi) {
            break;
        }
        let mid = (lo + hi + 1u) / 2u;
        if ((*cameras)[mid].size.z <= pixel) {
            lo = mid;
        } else {
            hi = mid - 1u;
        }
    }
    return lo;
}

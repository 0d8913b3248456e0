// Chromium flags for real WebGPU on SwiftShader, headless (see ../shared/DESIGN.md), shared by
// karma.conf.js, the pipeline runner, the benchmarks and the end-to-end tests.
// Measured here (Chromium 156): --enable-unsafe-swiftshader is needed, or requestAdapter() returns
// null; and ANGLE must use SwiftShader (--use-angle=swiftshader): with --use-angle=vulkan a canvas
// (or OffscreenCanvas) WebGPU context fails at getCurrentTexture() with "A valid external Instance
// reference no longer exists", while compute without a canvas works either way.
module.exports = [
    "--no-sandbox",
    "--enable-unsafe-webgpu",
    "--enable-unsafe-swiftshader",
    "--enable-features=Vulkan",
    "--use-vulkan=swiftshader",
    "--use-angle=swiftshader",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-renderer-backgrounding",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
];

/** WGSL sources are imported as strings (webpack `asset/source`). */
declare module "*.wgsl" {
    const source: string;
    export default source;
}

/** GLSL sources (the WebGL2 render fallback) are imported as strings (webpack `asset/source`). */
declare module "*.glsl" {
    const source: string;
    export default source;
}

/** Public path of the running bundle, set by webpack. */
declare let __webpack_public_path__: string;

/** True when the build allows GPU specs to skip on a machine without WebGPU (never in CI). */
declare const __SANERF_ALLOW_NO_WEBGPU__: boolean;

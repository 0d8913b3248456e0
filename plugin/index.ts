/**
 * Public API of the SANeRF-HQ Babylon.js plugin.
 * @packageDocumentation
 */
export { SanerfPlugin, type SanerfCapabilities, type SanerfPluginOptions } from "./sanerfPlugin";
export { ShowSanerfInspectorAsync, type ShowSanerfInspectorOptions } from "./inspector/showSanerfInspector";
export { MakeSanerfServiceDefinitions, SanerfPaneKey } from "./inspector/sanerfServices";
export { GpuContext } from "./core/gpu/gpuContext";
export { WebGpuUnavailableError } from "./core/gpu/webGpuUnavailableError";
export { WorkerBridge, type WorkerBridgeOptions, type WorkerCallOptions } from "./bridge/workerBridge";
export { ImageDecoderPool } from "./bridge/imageDecoderPool";
export { ConfigureOnnxRuntime, DefaultOnnxWasmBaseUrl } from "./core/onnx/onnxRuntimeSetup";

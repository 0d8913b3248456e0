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
export { LoadCaptureAsync, type CaptureLoadOptions } from "./core/capture/captureLoader";
export type { Capture, CaptureFrame, CameraIntrinsics, SceneBounds, CaptureFormat } from "./core/capture/captureTypes";
export { CaptureError } from "./core/capture/captureError";
export { UrlCaptureSource } from "./core/capture/urlCaptureSource";
export { FileCaptureSource } from "./core/capture/fileCaptureSource";
export { CaptureSourceFromDropAsync, FilesFromDataTransferAsync } from "./capture/droppedFiles";
export { CreateCaptureCamera, CaptureProjectionMatrix } from "./capture/captureCamera";
export { CaptureToBabylonCameraMatrix, BabylonToCaptureCameraMatrix, CaptureToBabylonPoint, BabylonToCapturePoint } from "./core/math/poseConversion";
export { IsHoldoutFrame, SplitHoldout } from "./core/capture/holdout";
export { NerfTrainer, type TrainingStepEvent, type TrainingResult, type TrainerStatus } from "./core/nerf/nerfTrainer";
export { DefaultTrainerOptions, ResolveTrainerOptions, type TrainerOptions, type TrainingBudget } from "./core/nerf/trainerOptions";
export { NerfTrainingError } from "./core/nerf/nerfTrainingError";
export { CreateTrainingContextAsync } from "./nerf/trainingContext";
export { WriteRadianceFieldAsync, ReadRadianceFieldAsync } from "./core/nerf/radianceFieldFile";
export type { RadianceFieldData, FieldBackground, FieldMetadata } from "./core/nerf/radianceFieldData";
export { GpuFieldRenderer, type FieldView, type RenderedView } from "./core/nerf/gpuFieldRenderer";
export { GpuFieldState } from "./core/nerf/gpuFieldState";
export { GpuOutOfMemoryError } from "./core/gpu/gpuOutOfMemoryError";
export { Psnr, PsnrBetween, Ssim, MeanSquaredError } from "./core/metrics/imageMetrics";
export { NerfNode } from "./nerf/nerfNode";
export { NerfMaterial } from "./nerf/nerfMaterial";
export { NerfFieldTextures } from "./nerf/nerfFieldTextures";
export { NerfRenderQuality } from "./nerf/nerfRenderQuality";
export { FieldViewFromCamera, IntrinsicsFromCamera } from "./nerf/fieldViews";
export { ConnectTrainingPreview, type TrainingPreviewOptions } from "./nerf/trainingPreview";
export { SerializeSceneWithNerfNodesAsync, RegisterNerfNodeParser, NerfNodeLoadErrorObservable, NerfNodesSceneKey, type SerializedNerfNode, type NerfSerializeOptions } from "./nerf/nerfSceneSerializer";
export { MarchToSurface, type FieldSurfaceHit } from "./core/nerf/fieldSurface";
export { RenderViewCpu } from "./core/nerf/cpuFieldRenderer";
export { SanerfWorkspace, type WorkspaceTask } from "./sanerfWorkspace";

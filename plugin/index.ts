/**
 * Public API of the SANeRF-HQ Babylon.js plugin: the product. Benchmark, evaluation and
 * model-building code (metrics, noise models, Chamfer distance, GLB reader, the built-in model's
 * graph builder) is internal to the repository and not exported.
 * @packageDocumentation
 */

// The plugin and its Inspector pane
export { SanerfPlugin, type SanerfCapabilities, type SanerfPluginOptions } from "./sanerfPlugin";
export { ShowSanerfInspectorAsync, type ShowSanerfInspectorOptions } from "./ui/showSanerfInspector";
export { MakeSanerfServiceDefinitions, SanerfPaneKey } from "./ui/sanerfServices";

// The one pipeline: its configuration and stages (what the editor, the CLI and the benchmarks run)
export { DefaultPipelineConfig, ResolvePipelineConfig, FusionIterations } from "./core/pipeline/pipelineConfig";
export type { PipelineConfig, PipelineOverrides, CaptureStageConfig, SegmentStageConfig, FeatureStageConfig, FuseStageConfig, ExtractStageConfig } from "./core/pipeline/pipelineConfig";
export type { MaskDecoder, MaskFuser, MeshExtractor } from "./core/pipeline/pipelineServices";
export { LoadCaptureStageAsync } from "./core/pipeline/captureStage";
export { CreateTrainerStageAsync, ExportTrainedFieldAsync } from "./core/pipeline/trainStage";
export { LiftFramePrompts, SegmentViewsAsync, ViewImage, LiftScenePrompts, SegmentSceneViewsAsync, FieldSegmentationScene, type SegmentationScene, type FrameClick, type FrameBox, type ObjectPrompt } from "./core/pipeline/segmentStage";
export { RenderSplatViewsAsync, SplatCamerasOf, SplatSegmentationScene, LabelSplatsAsync, type SplatSceneView, type SplatCamera } from "./core/pipeline/splatStage";
export { DistilFeatureFieldAsync, type ViewEncoder, type FeatureStageProgress, type FeatureRunOptions } from "./core/pipeline/featureStage";
export { FuseMaskSetAsync, FusionViewsOf, type FuseRunOptions, type FusedMaskSet } from "./core/pipeline/fuseStage";
export { ExtractObjectStageAsync, CaptureUpOf } from "./core/pipeline/extractStage";
export { MaskSetFromObjects, FrameMaskWeight, type MaskSet, type FrameMask, type ObjectFrameMasks } from "./core/segmentation/maskSet";

// The editor workspace: one controller per stage
export { SanerfWorkspace, type WorkspaceTask } from "./workspace/sanerfWorkspace";
export { WorkspaceTasks } from "./workspace/workspaceTasks";
export { TrainingController } from "./workspace/trainingController";
export { SegmentationController, type SamModelSource } from "./workspace/segmentationController";
export { ObjectFusionController, type FusedObject } from "./workspace/objectFusionController";
export { ObjectAssets, type ObjectAsset, type ObjectViewMode } from "./workspace/objectAssets";
export { CaptureSourceFromDropAsync, FilesFromDataTransferAsync } from "./workspace/droppedFiles";
export { CreateTrainingContextAsync } from "./scene/trainingContext";

// Captures
export { LoadCaptureAsync, type CaptureLoadOptions } from "./core/capture/captureLoader";
export type { Capture, CaptureFrame, CameraIntrinsics, SceneBounds, CaptureFormat } from "./core/capture/captureTypes";
export { CaptureError } from "./core/capture/captureError";
export { UrlCaptureSource } from "./core/capture/urlCaptureSource";
export { FileCaptureSource } from "./core/capture/fileCaptureSource";
export { FrameName } from "./core/capture/frameName";
export { CaptureUpDirection } from "./core/capture/captureUp";
export { IsHoldoutFrame, SplitHoldout } from "./core/capture/holdout";
export { CreateCaptureCamera, CaptureProjectionMatrix } from "./scene/captureCamera";
export { CaptureToBabylonCameraMatrix, BabylonToCaptureCameraMatrix, CaptureToBabylonPoint, BabylonToCapturePoint } from "./core/math/poseConversion";

// Radiance fields: training, files, rendering
export { NerfTrainer, type TrainingStepEvent, type TrainingResult, type TrainerStatus } from "./core/nerf/nerfTrainer";
export { DefaultTrainerOptions, ResolveTrainerOptions, type TrainerOptions, type TrainerOverrides, type TrainingBudget } from "./core/nerf/trainerOptions";
export { NerfTrainingError } from "./core/nerf/nerfTrainingError";
export { GpuContext } from "./core/gpu/gpuContext";
export { WebGpuUnavailableError } from "./core/gpu/webGpuUnavailableError";
export { GpuOutOfMemoryError } from "./core/gpu/gpuOutOfMemoryError";
export { WriteRadianceFieldAsync, ReadRadianceFieldAsync } from "./core/nerf/radianceFieldFile";
export type { RadianceFieldData, FieldBackground, FieldMetadata } from "./core/nerf/radianceFieldData";
export { GpuFieldRenderer, type FieldView, type RenderedView } from "./core/nerf/gpuFieldRenderer";
export { RenderViewCpu } from "./core/nerf/cpuFieldRenderer";
export { MarchToSurface, type FieldSurfaceHit } from "./core/nerf/fieldSurface";

// Scene nodes
export { NerfNode } from "./scene/nerfNode";
export { NerfObjectNode } from "./scene/nerfObjectNode";
export { NerfMaterial } from "./scene/nerfMaterial";
export { NerfFieldTextures } from "./scene/nerfFieldTextures";
export { NerfRenderQuality } from "./scene/nerfRenderQuality";
export { FieldViewFromCamera, IntrinsicsFromCamera } from "./scene/fieldViews";
export { ConnectTrainingPreview, type TrainingPreviewOptions } from "./scene/trainingPreview";
export { SerializeSceneWithNerfNodesAsync, RegisterNerfNodeParser, RegisterNerfNodeKind, NerfNodeLoadErrorObservable, NerfNodesSceneKey, type NerfNodeFactory, type SerializedNerfNode, type NerfSerializeOptions } from "./scene/nerfSceneSerializer";
export { RegisterNerfObjectNodeParser } from "./scene/nerfObjectNodeParser";
export { ExportMeshGlbAsync, ImportGlbAsync } from "./scene/glbExchange";

// Segmentation: models, the prompt tool, propagation
export { SamService, BuiltinSamModelId, type SamServiceOptions } from "./services/samService";
export { PromptSession, type PromptMode, type LiveMask } from "./prompt/promptSession";
export { PromptTool, type PromptToolOptions } from "./prompt/promptTool";
export { PromptOverlay } from "./prompt/promptOverlay";
export type { SegmentationObject, PromptClick, PromptBox, PromptView, PropagationReport } from "./prompt/promptTypes";
export { EmbeddingCache, type EmbeddingCacheOptions } from "./core/sam/embeddingCache";
export { SamAdapterFor, DetectSamFamily, SamSignatureOf } from "./core/sam/samAdapters";
export { SamModelMismatchError } from "./core/sam/samModelMismatchError";
export { BuiltinSamModelName, BuiltinSamModelUrls } from "./core/sam/builtinModel";
export { ChooseSamBackend, type SamBackend, type SamBackendPreference } from "./core/sam/samSessionOptions";
export type { SamModelFamily, SamModelInfo, SamPoint, SamBox, SamPrompt, SamMaskResult, SamImageEmbedding, SamDecodeOptions } from "./core/sam/samTypes";
export { PropagatePrompts, DefaultPropagationOptions, type PropagationOptions, type PromptPoint3D, type PropagationView } from "./core/segmentation/promptPropagation";
export { LiftClick, LiftBox } from "./core/segmentation/promptLifting";
export { ChooseConsistentCandidates, type CandidateChoiceView, type CandidateChoice, type CandidateChoiceOptions } from "./core/segmentation/candidateChoice";
export { ConfigureOnnxRuntime, DefaultOnnxWasmBaseUrl } from "./core/onnx/onnxRuntimeSetup";

// The mask aggregator
export { FusionService } from "./services/fusionService";
export { FusionInputError } from "./core/fusion/fusionInputError";
export { WriteObjectFieldAsync, ReadObjectFieldAsync, ObjectFieldFileError } from "./core/fusion/objectFieldFile";
export { DefaultFusionOptions } from "./core/fusion/objectFieldTypes";
// The distilled feature field (SANeRF-HQ's second feature container)
export { FeatureFieldDistillation, type FeatureFieldDistillationSetup } from "./core/features/featureFieldDistillation";
export { ReadSplatFileAsync, type SplatFile, type SplatFileFormat } from "./core/splats/splatFile";
export { SplatFileError } from "./core/splats/splatFileError";
export { SelectSplats, ReadSplat, type SplatCloud, type SplatRecord } from "./core/splats/splatCloud";
export { SplatRasterizer, type SplatRender } from "./core/splats/splatRasterizer";
export { AutoSplatCameras, type AutoCameraOptions } from "./core/splats/autoCameras";
export { AssignSplatObjects, type SplatLabels, type SplatLabelOptions } from "./core/splats/splatLabelAssignment";
export { WriteSplatsAsPly, WriteCloudAsPly } from "./core/splats/splatPlyWriter";
export { EncodeSpzAsync } from "./core/splats/spzCodec";
export { LoadSplatSceneAsync, ReadSplatFileWithBabylonAsync, type LoadedSplatScene } from "./scene/splatSceneLoader";
export { FeatureFieldInputError } from "./core/features/featureFieldInputError";
export { DefaultFeatureFieldOptions } from "./core/features/featureFieldTypes";
export type { FeatureView, FeatureRenderView, FeatureFieldGrid, FeatureFieldData, FeatureFieldOptions, FeatureFieldProgress } from "./core/features/featureFieldTypes";
export type { FusionJob, FusionMaskView, FusionOptions, FusionProgress, FusionResult, ObjectFieldData, ObjectFieldGrid, ObjectFieldObject, ObjectMaskImage } from "./core/fusion/objectFieldTypes";

// Worker clients
export { WorkerBridge, type WorkerBridgeOptions, type WorkerCallOptions } from "./services/workerBridge";
export { ImageDecoderPool } from "./services/imageDecoderPool";
export { ExtractionService } from "./services/extractionService";
export { DefaultExtractionOptions, type ExtractionOptions, type ExtractedMesh } from "./core/extraction/objectExtraction";

import { Engine } from "@babylonjs/core/Engines/engine";
import { Scene } from "@babylonjs/core/scene";
import { ArcRotateCamera } from "@babylonjs/core/Cameras/arcRotateCamera";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import type { Capture } from "@plugin/core/capture/captureTypes";
import { BinaryMaskIou } from "@plugin/core/evaluation/maskMetrics";
import { ProjectPoint } from "@plugin/core/math/cameraProjection";
import { RenderViewCpu } from "@plugin/core/nerf/cpuFieldRenderer";
import type { FeatureStageProgress } from "@plugin/core/pipeline/featureStage";
import { ResolvePipelineConfig } from "@plugin/core/pipeline/pipelineConfig";
import { EmbeddingCache } from "@plugin/core/sam/embeddingCache";
import { NerfNode } from "@plugin/scene/nerfNode";
import { SegmentationController } from "@plugin/workspace/segmentationController";
import { RingViews, Spheres, TwoSphereField } from "@test/helpers/fusionFixture";
import { RequireGpuAsync } from "@test/helpers/webGpu";

const field = TwoSphereField(40);

/** Sixteen ring views of the two spheres as a capture, each image rendered from the field. */
function RingCapture(): Capture {
    const frames = RingViews(16, 64).map((view, index) => ({ index, imagePath: `images/f${index}.png`, image: { width: 64, height: 64, data: RenderViewCpu(field, view).color }, intrinsics: view.intrinsics, cameraToWorld: view.cameraToWorld }));
    const bounds = { min: [-0.8, -0.8, -0.8] as [number, number, number], max: [0.8, 0.8, 0.8] as [number, number, number] };
    return { name: "two spheres", format: "nerfstudio", frames, bounds, wholeScene: { layout: "object-centric", bounds, near: 0, unbounded: false }, background: "none", objects: [], sourceSize: { width: 64, height: 64 }, notes: [] };
}

/** Short distillation runs. */
const config = ResolvePipelineConfig({ features: { iterations: 300, raysPerBatch: 2048, gridResolution: 40, progressInterval: 100 } });

describe("SegmentationController: the feature field behind the free viewport's prompts", () => {
    const capture = RingCapture();
    let engine: Engine;
    let scene: Scene;
    let controller: SegmentationController;
    let node: NerfNode;

    beforeAll(async () => {
        engine = new Engine(document.createElement("canvas"));
        scene = new Scene(engine);
        new ArcRotateCamera("camera", 0.9, 1.1, 2.6, Vector3.Zero(), scene);
        node = new NerfNode("field", scene, field);
        controller = new SegmentationController(scene, { backend: "wasm", cache: new EmbeddingCache({ persistentBytes: 0 }) });
        await controller.loadModelAsync("builtin");
    });

    afterAll(() => {
        controller.dispose();
        scene.dispose();
        engine.dispose();
    });

    it("distils the training frames, decodes a viewport click from rendered features without the encoder, and keeps the field when a second run is cancelled", async () => {
        const context = await RequireGpuAsync();
        const tool = controller.openTool(node, capture, config.segment, {});
        const session = tool.session;
        const progress: FeatureStageProgress[] = [];
        const distillation = await controller.distilFeaturesAsync(capture, field, config, context, (p) => progress.push(p));
        expect(progress.filter((p) => p.phase === "embed").length).withContext("one embedding per training frame (holdout frames 0 and 8 stay out)").toBe(14);
        expect(progress.filter((p) => p.phase === "distil").map((p) => (p.phase === "distil" ? p.iteration : 0))).toEqual([100, 200, 300]);
        expect(controller.featureField).toBe(distillation);
        expect(session.usesFeatureField).toBeTrue();

        const { image, view } = await session.views.imageAsync({ kind: "viewport" });
        const centre = ProjectPoint(view.cameraToWorld, view.intrinsics, Spheres[0].centre);
        const encoderRuns = controller.sam.encoderRuns;
        const click = await session.addClickAtAsync(centre.u, centre.v);
        expect(click.position).withContext("the click lifted to the sphere's surface").not.toBeNull();
        const live = session.liveMask!;
        expect(live.source).toBe("feature-field");
        expect(controller.sam.encoderRuns).withContext("the viewport's embedding came from the feature field").toBe(encoderRuns);
        const encoderFed = await controller.sam.decodeAsync(image, { points: [{ x: centre.u, y: centre.v, label: 1 }] });
        expect(BinaryMaskIou(live.result.mask, encoderFed.mask, 127)).withContext("the viewport mask against the encoder-fed one").toBeGreaterThan(0.7);

        // a training frame the click's surface point is visible in (the other sphere hides it in some)
        let seen = false;
        for (let index = 1; index < 16 && !seen; index++) {
            session.setView({ kind: "frame", index });
            seen = (await session.currentPromptAsync()) !== null;
        }
        expect(seen).withContext("some frame sees the clicked point").toBeTrue();
        await session.refreshLiveMaskAsync();
        expect(session.liveMask?.source).withContext("capture frames keep the embedding cache").toBe("encoder");

        const cancel = new AbortController();
        const again = controller.distilFeaturesAsync(capture, field, config, context, (p) => p.phase === "distil" && cancel.abort(), cancel.signal);
        await expectAsync(again).toBeRejected();
        expect(controller.featureField).withContext("a cancelled run keeps the previous field").toBe(distillation);
        expect(session.usesFeatureField).toBeTrue();

        node.setField(TwoSphereField(32));
        expect(session.usesFeatureField).withContext("a field distilled with another radiance field is not used").toBeFalse();
        node.setField(field);
        controller.closeTool();
    });
});

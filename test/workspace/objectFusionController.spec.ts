import type { Capture } from "@plugin/core/capture/captureTypes";
import { ObjectFusionController } from "@plugin/workspace/objectFusionController";
import { ResolvePipelineConfig } from "@plugin/core/pipeline/pipelineConfig";
import type { SegmentationObject } from "@plugin/prompt/promptTypes";
import { LabelIou, RingViews, TrueLabels, TwoSphereField } from "@test/helpers/fusionFixture";

const field = TwoSphereField(32);
const views = RingViews(8, 32);
/** The ring cameras as a capture (only what fusion reads: name, poses, intrinsics). */
const capture = { name: "two spheres", frames: views } as unknown as Capture;

/** The blue sphere (label 2) as the prompt tool's object, with a mask in every view but view 0. */
function BlueSphere(): SegmentationObject {
    return {
        id: 1,
        name: "blue sphere",
        color: [0.2, 0.3, 0.9],
        clicks: [],
        box: null,
        frames: views.map((view, frameIndex) => {
            const mask = TrueLabels(view).map((label) => (label === 2 ? 255 : 0));
            return { frameIndex, valid: frameIndex !== 0, visibleFraction: 1, mask: frameIndex !== 0 ? mask : undefined, width: 32, height: 32, iou: 0.95 };
        }),
    };
}

/** Short runs on the CPU twins. */
const config = ResolvePipelineConfig({ fuse: { iterations: 30, raysPerBatch: 512, progressInterval: 10, maxSamplesPerRay: 48, learningRate: 0.2, preferGpu: false } });

describe("ObjectFusionController: the prompt tool's fusion keeps what it has", () => {
    let controller: ObjectFusionController;

    beforeEach(() => {
        controller = new ObjectFusionController();
    });

    afterEach(() => controller.dispose());

    it("fuses an object, then keeps its field when a refinement is cancelled or its worker dies, and refines after", async () => {
        const object = BlueSphere();
        const first = await controller.fuseAsync(object, capture, field, config);
        expect(first.refined).toBeFalse();
        expect(first.frameMasks.length).toBe(views.length);
        expect(LabelIou(first.frameMasks[0].labels, TrueLabels(views[0]).map((l) => (l === 2 ? 1 : 0)), 1)).withContext("the view without a mask").toBeGreaterThan(0.5);
        const logits = Float32Array.from(first.field.logits);

        const cancel = new AbortController();
        const cancelled = controller.fuseAsync(object, capture, field, config, () => cancel.abort(), cancel.signal);
        await expectAsync(cancelled).toBeRejectedWith(jasmine.objectContaining({ name: "AbortError" }));
        expect(controller.result(1)).withContext("a cancelled refinement leaves the previous result").toBe(first);

        // the worker ends in the middle of a run (as a crash would): the call fails, the result stays
        const dying = controller.fuseAsync(object, capture, field, config, () => controller.dispose());
        await expectAsync(dying).toBeRejectedWithError(/fusion worker was terminated/);
        expect(controller.result(1)).toBe(first);
        expect(controller.result(1)!.field.logits).toEqual(logits);

        const refined = await controller.fuseAsync(object, capture, field, config);
        expect(refined.refined).withContext("a new worker starts; the run warm-starts from the kept field").toBeTrue();
        expect(controller.result(1)).toBe(refined);
        const view0 = await controller.renderViewAsync(1, views[0], field);
        expect(view0!.labels).toEqual(refined.frameMasks[0].labels);
    });

    it("refuses an object that was not propagated, naming it", async () => {
        await expectAsync(controller.fuseAsync({ ...BlueSphere(), frames: null }, capture, field, config)).toBeRejectedWithError(/"blue sphere" has no masks yet/);
        expect(controller.result(1)).toBeUndefined();
    });
});

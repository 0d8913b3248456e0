import { Engine } from "@babylonjs/core/Engines/engine";
import { Scene } from "@babylonjs/core/scene";
import { ArcRotateCamera } from "@babylonjs/core/Cameras/arcRotateCamera";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { KeyboardEventTypes, KeyboardInfo } from "@babylonjs/core/Events/keyboardEvents";
import { LoadCaptureAsync } from "@plugin/core/capture/captureLoader";
import { UrlCaptureSource } from "@plugin/core/capture/urlCaptureSource";
import type { Capture } from "@plugin/core/capture/captureTypes";
import { EmbeddingCache } from "@plugin/core/sam/embeddingCache";
import { NerfNode } from "@plugin/scene/nerfNode";
import { PromptTool } from "@plugin/prompt/promptTool";
import { SamService } from "@plugin/services/samService";
import { SphereField } from "@test/helpers/sphereField";
import { DefaultPipelineConfig } from "@plugin/core/pipeline/pipelineConfig";

/** Presses a key on the scene's keyboard observable, the way Babylon's input manager does. */
function Press(scene: Scene, key: string, modifiers: { ctrlKey?: boolean; shiftKey?: boolean } = {}): KeyboardEvent {
    const event = new KeyboardEvent("keydown", { key, cancelable: true, ...modifiers });
    scene.onKeyboardObservable.notifyObservers(new KeyboardInfo(KeyboardEventTypes.KEYDOWN, event));
    return event;
}

describe("PromptTool: keyboard shortcuts and closing", () => {
    let capture: Capture;
    let engine: Engine;
    let scene: Scene;
    let sam: SamService;
    let tool: PromptTool | null;
    const requests: string[] = [];

    beforeAll(async () => {
        capture = await LoadCaptureAsync(new UrlCaptureSource("/base/sample-scenes/captures/tabletop/", "tabletop"));
    });

    beforeEach(async () => {
        requests.length = 0;
        engine = new Engine(document.createElement("canvas"));
        scene = new Scene(engine);
        new ArcRotateCamera("camera", 0.3, 1, 3, Vector3.Zero(), scene);
        sam = new SamService({ backend: "wasm", cache: new EmbeddingCache({ persistentBytes: 0 }) });
        await sam.loadBuiltinAsync();
        const node = new NerfNode("field", scene, SphereField({ centre: [0, 0, 0], radius: 0.3 }));
        tool = new PromptTool(scene, node, capture, sam, DefaultPipelineConfig.segment, {
            onPropagateRequested: () => requests.push("propagate"),
            onFuseRequested: () => requests.push("fuse"),
            onCloseRequested: () => {
                requests.push("close");
                tool?.dispose();
                tool = null;
            },
            onError: (error) => requests.push(`error: ${String(error)}`),
        });
    });

    afterEach(() => {
        tool?.dispose();
        sam.dispose();
        scene.dispose();
        engine.dispose();
    });

    it("switches modes, objects and asks for propagation and fusion with P, N, B, O, Tab, Enter and F", () => {
        const session = tool!.session;
        expect(Press(scene, "n").defaultPrevented).toBeTrue();
        expect(session.mode).toBe("negative");
        Press(scene, "b");
        expect(session.mode).toBe("box");
        Press(scene, "p");
        expect(session.mode).toBe("positive");
        Press(scene, "o");
        expect(session.objects.length).toBe(2);
        expect(session.activeObject.id).toBe(2);
        Press(scene, "Tab");
        expect(session.activeObject.id).toBe(1);
        Press(scene, "Enter");
        Press(scene, "f");
        expect(requests).toEqual(["propagate", "fuse"]);
        expect(Press(scene, "q").defaultPrevented).withContext("other keys are left to the scene").toBeFalse();
    });

    /** Clicks the middle of capture frame 0 (the sphere is there): a click lifted to its surface. */
    async function ClickFrameCentreAsync(): Promise<void> {
        tool!.snapToFrame(0);
        const camera = tool!.frameCamera!;
        const ray = scene.createPickingRay(engine.getRenderWidth() / 2, engine.getRenderHeight() / 2, null, camera);
        const click = await tool!.session.addClickAsync(camera, { origin: ray.origin, direction: ray.direction });
        expect(click?.position).withContext("the click is lifted to the sphere").toBeTruthy();
        expect(tool!.overlay.markerCount).toBe(1);
    }

    it("undoes and redoes a click with Ctrl+Z / Ctrl+Y and clears with Delete", async () => {
        await ClickFrameCentreAsync();
        expect(tool!.session.activeObject.clicks.length).toBe(1);
        Press(scene, "z", { ctrlKey: true });
        expect(tool!.session.activeObject.clicks.length).toBe(0);
        expect(tool!.overlay.markerCount).toBe(0);
        Press(scene, "y", { ctrlKey: true });
        expect(tool!.session.activeObject.clicks.length).toBe(1);
        Press(scene, "Delete");
        expect(tool!.session.activeObject.clicks.length).toBe(0);
        expect(requests.filter((r) => r.startsWith("error"))).toEqual([]);
    });

    it("closes with Esc from inside its own key handler without drawing on the disposed overlay", async () => {
        await ClickFrameCentreAsync();
        const overlay = tool!.overlay;
        const unhandled: unknown[] = [];
        const listener = (event: PromiseRejectionEvent): void => {
            unhandled.push(event.reason);
            event.preventDefault();
        };
        window.addEventListener("unhandledrejection", listener);
        const event = Press(scene, "Escape");
        // closing goes back to the free viewport, whose live decode is still on its way when the
        // scene loses its camera (as when it is disposed): the closed session drops it quietly
        scene.activeCamera = null;
        await new Promise((resolve) => setTimeout(resolve, 500));
        window.removeEventListener("unhandledrejection", listener);
        expect(unhandled).toEqual([]);
        expect(requests).toEqual(["close"]);
        expect(tool).toBeNull();
        expect(event.defaultPrevented).toBeTrue();
        expect(() => Press(scene, "p")).withContext("the closed tool no longer listens").not.toThrow();
        expect(scene.textures.includes(overlay.ui)).withContext("the overlay's GUI texture is gone").toBeFalse();
    });
});

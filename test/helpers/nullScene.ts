import { NullEngine } from "@babylonjs/core/Engines/nullEngine";
import { Scene } from "@babylonjs/core/scene";

/**
 * Gives every spec of the enclosing `describe` a fresh scene on a NullEngine (disposed after it).
 * @param onScene receives each spec's scene before it runs
 */
export function UseNullScene(onScene: (scene: Scene) => void): void {
    let engine: NullEngine;
    let scene: Scene;
    beforeEach(() => {
        engine = new NullEngine();
        scene = new Scene(engine);
        onScene(scene);
    });
    afterEach(() => {
        scene.dispose();
        engine.dispose();
    });
}

// Types shared by the sample-scene generator page and its Node CLI (sample-scenes/generator/generate.mjs).

/** The scenes the generator knows. */
export type SampleSceneName = "tabletop" | "hard";

/** Every scene name, in the order `--scene all` generates them. */
export const SampleSceneNames: readonly SampleSceneName[] = ["tabletop", "hard"];

/** What `window.sanerfGenerator.generateAsync` is asked to do (one scene per call). */
export interface GeneratorConfig {
    /** Which scene to build. */
    readonly scene: SampleSceneName;
    /** Number of camera views on the hemisphere. */
    readonly views: number;
    /** Width and height of every image, pixels. */
    readonly size: number;
    /** Seed of the object layout (SeededRandom). */
    readonly seed: number;
    /** The command that regenerates this output, written into transforms.json. */
    readonly command: string;
    /** URL prefix the files are PUT under: `<uploadPrefix><scene>/<path>`, e.g. "/__out/". */
    readonly uploadPrefix: string;
}

/** One self-check the generator ran on what it wrote. */
export interface GeneratorCheck {
    /** Short name, e.g. "glb round trip: red sphere". */
    readonly name: string;
    /** Whether it passed. */
    readonly ok: boolean;
    /** Measured figures, for the log. */
    readonly detail: string;
}

/** What one `generateAsync` call produced. */
export interface GeneratorReport {
    /** The scene's name (its folder). */
    readonly scene: SampleSceneName;
    /** Files written, relative to the scene's folder, in write order. */
    readonly files: readonly string[];
    /** Total bytes written. */
    readonly bytes: number;
    /** Self-checks (pose, depth, labels, GLB); the CLI fails when one fails. */
    readonly checks: readonly GeneratorCheck[];
    /** Seconds the page spent. */
    readonly seconds: number;
}

/** The page's API, set on `window.sanerfGenerator` once the page is ready. */
export interface SanerfGeneratorApi {
    /** Renders one scene and PUTs its capture folder; resolves with the report. */
    generateAsync(config: GeneratorConfig): Promise<GeneratorReport>;
}

import { RegisterNerfNodeKind, RegisterNerfNodeParser } from "./nerfSceneSerializer";
import { NerfObjectNode } from "./nerfObjectNode";

/**
 * Registers NerfObjectNode with the scene-file parser (and the parser itself): saved object nodes
 * come back as NerfObjectNodes. Idempotent; SanerfPlugin calls it.
 */
export function RegisterNerfObjectNodeParser(): void {
    RegisterNerfNodeKind("NerfObjectNode", (name, scene) => new NerfObjectNode(name, scene));
    RegisterNerfNodeParser();
}

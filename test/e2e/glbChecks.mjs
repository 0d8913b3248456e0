// Reads exported GLB files with tools independent of Babylon: the Khronos glTF Validator (errors and
// warnings) and glTF-Transform (the document's structure), plus the JSON chunk itself.
import validator from "gltf-validator";
import { NodeIO } from "@gltf-transform/core";

/** The GLB's JSON chunk. */
export function glbJson(bytes) {
    const length = bytes.readUInt32LE(12);
    return JSON.parse(bytes.subarray(20, 20 + length).toString("utf8"));
}

/**
 * Validates a GLB and reads its first mesh with glTF-Transform.
 * @param {Buffer} bytes the file
 * @returns {Promise<{ errors: number, warnings: number, messages: string[], attributes: string[], triangles: number, extensions: string[], emissive: number[], rotation: number[] | null }>}
 */
export async function inspectGlb(bytes) {
    const report = await validator.validateBytes(new Uint8Array(bytes));
    const document = await new NodeIO().readBinary(new Uint8Array(bytes));
    const [mesh] = document.getRoot().listMeshes();
    const [primitive] = mesh.listPrimitives();
    const json = glbJson(bytes);
    const node = json.nodes.find((n) => n.mesh !== undefined);
    return {
        errors: report.issues.numErrors,
        warnings: report.issues.numWarnings,
        messages: report.issues.messages.filter((m) => m.severity <= 1).map((m) => `${m.code}: ${m.message} (${m.pointer ?? ""})`),
        attributes: primitive.listSemantics().sort(),
        triangles: primitive.getIndices().getCount() / 3,
        extensions: json.extensionsUsed ?? [],
        emissive: json.materials[0].emissiveFactor ?? [0, 0, 0],
        rotation: node.rotation ?? null,
    };
}

/// <reference lib="webworker" />
import * as Comlink from "comlink";
import { ExtractObjectMesh, type ExtractedMesh } from "../plugin/core/extraction/objectExtraction";
import { ExtractSplatMesh } from "../plugin/core/extraction/splatMeshExtraction";
import { MaskRadianceField } from "../plugin/core/extraction/maskedRadianceField";
import type { ExtractionWorkerApi } from "./extractionApi";

const api: ExtractionWorkerApi = {
    async maskFieldAsync(field, objectField, objectId, mode) {
        const masked = MaskRadianceField(field, objectField, objectId, mode);
        return Comlink.transfer(masked, [masked.density.buffer as ArrayBuffer, masked.sh.buffer as ArrayBuffer, masked.occupancy.buffer as ArrayBuffer]);
    },

    async extractAsync(field, objectField, objectId, options) {
        return TransferMesh(ExtractObjectMesh(field, objectField, objectId, options));
    },

    async extractSplatsAsync(cloud, options) {
        return TransferMesh(ExtractSplatMesh(cloud, options));
    },
};

/** A mesh marked for transfer (its arrays move to the caller, not copied). */
function TransferMesh(mesh: ExtractedMesh): ExtractedMesh {
    const buffers = [mesh.positions, mesh.normals, mesh.colors, mesh.indices, mesh.collision.positions, mesh.collision.indices].map((array) => array.buffer as ArrayBuffer);
    return Comlink.transfer(mesh, [...new Set(buffers)]);
}

Comlink.expose(api);

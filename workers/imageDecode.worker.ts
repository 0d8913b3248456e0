/// <reference lib="webworker" />
import * as Comlink from "comlink";
import type { DecodedImage, ImageDecodeApi, ImageDecodeRequest } from "./imageDecodeApi";
import { DecodeImageBytesAsync } from "../plugin/core/image/decodeImageBytes";

const api: ImageDecodeApi = {
    async decodeAsync(request: ImageDecodeRequest): Promise<DecodedImage> {
        const image = await DecodeImageBytesAsync(request);
        return Comlink.transfer(image, [image.data.buffer as ArrayBuffer]);
    },
};

Comlink.expose(api);

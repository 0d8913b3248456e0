import type { DecodedImage, ImageDecodeRequest } from "../plugin/core/image/imageDecodeTypes";

export type { DecodedImage, ImageDecodeRequest } from "../plugin/core/image/imageDecodeTypes";

/** The image-decode worker's API (driven through comlink; pixel buffers are transferred both ways). */
export interface ImageDecodeApi {
    /**
     * Decodes one image to straight (not premultiplied) RGBA and downscales it.
     * @param request the file and the wanted size
     * @returns the pixels (transferred)
     */
    decodeAsync(request: ImageDecodeRequest): Promise<DecodedImage>;
}

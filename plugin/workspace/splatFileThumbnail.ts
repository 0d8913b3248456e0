import { Matrix, Vector3 } from "@babylonjs/core/Maths/math.vector";
import type { GaussianSplattingMesh } from "@babylonjs/core/Meshes/GaussianSplatting/gaussianSplattingMesh";
import { ThumbnailSplatCamera } from "../core/splats/autoCameras";
import type { SplatCloud } from "../core/splats/splatCloud";
import type { SplatRasterizer } from "../core/splats/splatRasterizer";
import { RenderedObjectThumbnail } from "./objectThumbnail";

/**
 * A thumbnail of a whole splat file as it stands in the scene: its splats rendered three quarters
 * on, 35° above the horizon and upright to the scene's up (taken from the mesh's placement, so a
 * y-down 3DGS file is not shown upside down).
 * @param cloud the file's splats (the mesh's rows)
 * @param mesh the mesh showing them
 * @param rasterizer the splat rasterizer
 * @returns a data URL, or null when nothing was drawn
 */
export async function RenderSplatFileThumbnailAsync(cloud: SplatCloud, mesh: GaussianSplattingMesh, rasterizer: SplatRasterizer): Promise<string | null> {
    const toFile = Matrix.Invert(mesh.computeWorldMatrix(true));
    const up = Vector3.TransformNormal(Vector3.Up(), toFile).normalize();
    const render = await rasterizer.renderAsync(cloud, ThumbnailSplatCamera(cloud, [up.x, up.y, up.z]));
    return RenderedObjectThumbnail(render);
}

/**
 * A small GLB (binary glTF 2.0) reader for triangle geometry: every triangle primitive of every
 * node in the default scene, positions transformed by the node hierarchy (matrix or TRS), indices
 * (u8/u16/u32 or none). Enough to compare meshes (ground truth, exports) without a scene.
 * Babylon-free.
 */
import type { TriangleMesh } from "../geometry/surfaceNets";

interface GltfNode {
    mesh?: number;
    children?: number[];
    matrix?: number[];
    translation?: number[];
    rotation?: number[];
    scale?: number[];
}

interface GltfJson {
    scene?: number;
    scenes?: { nodes: number[] }[];
    nodes?: GltfNode[];
    meshes?: { primitives: { attributes: Record<string, number>; indices?: number; mode?: number }[] }[];
    accessors?: { bufferView?: number; byteOffset?: number; componentType: number; count: number; type: string }[];
    bufferViews?: { byteOffset?: number; byteLength: number; byteStride?: number }[];
}

/**
 * Reads the triangles of a GLB file.
 * @param bytes the file
 * @param name its name, for messages
 * @returns positions (world of the file) and indices
 * @throws Error naming the file when it is not a GLB this reader understands
 */
export function ReadGlbTriangles(bytes: ArrayBuffer, name: string): TriangleMesh {
    const view = new DataView(bytes);
    if (bytes.byteLength < 20 || view.getUint32(0, true) !== 0x46546c67) {
        throw new Error(`${name}: not a GLB file (no "glTF" magic)`);
    }
    const jsonLength = view.getUint32(12, true);
    if (view.getUint32(16, true) !== 0x4e4f534a) {
        throw new Error(`${name}: the first GLB chunk is not JSON`);
    }
    const json = JSON.parse(new TextDecoder().decode(new Uint8Array(bytes, 20, jsonLength))) as GltfJson;
    const binStart = 20 + jsonLength + 8;
    const positions: number[] = [];
    const indices: number[] = [];
    const accessor = (index: number): { data: DataView; count: number; size: number; componentType: number; stride: number } => {
        const a = json.accessors![index];
        const bufferView = json.bufferViews![a.bufferView ?? 0];
        const size = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4 }[a.type] ?? 1;
        const componentBytes = { 5121: 1, 5123: 2, 5125: 4, 5126: 4 }[a.componentType] ?? 4;
        const offset = binStart + (bufferView.byteOffset ?? 0) + (a.byteOffset ?? 0);
        return { data: new DataView(bytes, offset), count: a.count, size, componentType: a.componentType, stride: bufferView.byteStride ?? size * componentBytes };
    };
    const visit = (nodeIndex: number, parent: number[]): void => {
        const node = json.nodes![nodeIndex];
        const world = Multiply(parent, LocalMatrix(node));
        if (node.mesh !== undefined) {
            for (const primitive of json.meshes![node.mesh].primitives) {
                if ((primitive.mode ?? 4) !== 4 || primitive.attributes.POSITION === undefined) {
                    continue;
                }
                const base = positions.length / 3;
                const pos = accessor(primitive.attributes.POSITION);
                for (let i = 0; i < pos.count; i++) {
                    const x = pos.data.getFloat32(i * pos.stride, true);
                    const y = pos.data.getFloat32(i * pos.stride + 4, true);
                    const z = pos.data.getFloat32(i * pos.stride + 8, true);
                    positions.push(world[0] * x + world[4] * y + world[8] * z + world[12], world[1] * x + world[5] * y + world[9] * z + world[13], world[2] * x + world[6] * y + world[10] * z + world[14]);
                }
                if (primitive.indices === undefined) {
                    for (let i = 0; i < pos.count; i++) {
                        indices.push(base + i);
                    }
                } else {
                    const idx = accessor(primitive.indices);
                    for (let i = 0; i < idx.count; i++) {
                        const v = idx.componentType === 5121 ? idx.data.getUint8(i) : idx.componentType === 5123 ? idx.data.getUint16(i * 2, true) : idx.data.getUint32(i * 4, true);
                        indices.push(base + v);
                    }
                }
            }
        }
        for (const child of node.children ?? []) {
            visit(child, world);
        }
    };
    const scene = json.scenes?.[json.scene ?? 0];
    for (const root of scene?.nodes ?? []) {
        visit(root, Identity());
    }
    return { positions: Float32Array.from(positions), indices: Uint32Array.from(indices) };
}

function Identity(): number[] {
    return [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
}

/** Column-major 4x4 product a * b. */
function Multiply(a: number[], b: number[]): number[] {
    const out = new Array<number>(16).fill(0);
    for (let c = 0; c < 4; c++) {
        for (let r = 0; r < 4; r++) {
            for (let k = 0; k < 4; k++) {
                out[c * 4 + r] += a[k * 4 + r] * b[c * 4 + k];
            }
        }
    }
    return out;
}

/** A node's local matrix (column-major) from `matrix` or translation * rotation * scale. */
function LocalMatrix(node: GltfNode): number[] {
    if (node.matrix) {
        return node.matrix;
    }
    const [tx, ty, tz] = node.translation ?? [0, 0, 0];
    const [x, y, z, w] = node.rotation ?? [0, 0, 0, 1];
    const [sx, sy, sz] = node.scale ?? [1, 1, 1];
    return [
        (1 - 2 * (y * y + z * z)) * sx, 2 * (x * y + z * w) * sx, 2 * (x * z - y * w) * sx, 0,
        2 * (x * y - z * w) * sy, (1 - 2 * (x * x + z * z)) * sy, 2 * (y * z + x * w) * sy, 0,
        2 * (x * z + y * w) * sz, 2 * (y * z - x * w) * sz, (1 - 2 * (x * x + y * y)) * sz, 0,
        tx, ty, tz, 1,
    ];
}

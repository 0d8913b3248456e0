import type { FieldParams } from "@shaders/nerf/fieldMath";
import { OccupancyCellCount, ShC0, Softplus } from "@shaders/nerf/fieldMath";
import type { RadianceFieldData } from "@plugin/core/nerf/radianceFieldData";

/**
 * A procedural field: an opaque sphere of one colour (radius `radius` around `centre`, capture
 * coordinates) in a box, with exact occupancy. Its first surface along any ray is known in closed
 * form, which picking and depth tests use.
 * @param options sphere centre and radius, colour, grid size
 * @param options.centre sphere centre
 * @param options.radius sphere radius
 * @param options.colour RGB in 0..1
 * @param options.grid grid points per axis
 * @returns the field (white background)
 */
export function SphereField(options: { centre?: [number, number, number]; radius?: number; colour?: [number, number, number]; grid?: number } = {}): RadianceFieldData {
    const centre = options.centre ?? [0.1, -0.05, 0.05];
    const radius = options.radius ?? 0.45;
    const colour = options.colour ?? [0.85, 0.3, 0.2];
    const n = options.grid ?? 48;
    const params: FieldParams = {
        boundsMin: [-0.8, -0.8, -0.8],
        boundsMax: [0.8, 0.8, 0.8],
        stepSize: (1.6 / (n - 1)) * 0.5,
        densityShift: -4,
        gridSize: [n, n, n],
        occupancySize: [n / 2, n / 2, n / 2],
    };
    const spacing = 1.6 / (n - 1);
    const density = new Float32Array(n * n * n);
    const sh = new Float32Array(n * n * n * 12);
    for (let k = 0; k < n; k++) {
        for (let j = 0; j < n; j++) {
            for (let i = 0; i < n; i++) {
                const p = [-0.8 + i * spacing, -0.8 + j * spacing, -0.8 + k * spacing];
                const distance = Math.hypot(p[0] - centre[0], p[1] - centre[1], p[2] - centre[2]);
                const v = i + n * (j + n * k);
                // steep inside, very negative outside: the surface sits at the radius
                density[v] = Math.max(-30, Math.min(200, ((radius - distance) / spacing) * 60));
                for (let c = 0; c < 3; c++) {
                    sh[v * 12 + c * 4] = Math.log(colour[c] / (1 - colour[c])) / ShC0;
                }
            }
        }
    }
    const cells = OccupancyCellCount(params);
    const occupancy = new Uint32Array(Math.ceil(cells / 32));
    const [ox, oy] = params.occupancySize;
    for (let cell = 0; cell < cells; cell++) {
        const c = [cell % ox, Math.floor(cell / ox) % oy, Math.floor(cell / (ox * oy))];
        const lo = c.map((v) => Math.floor(v * 2 - 1));
        let occupied = false;
        for (let k = Math.max(0, lo[2]); k <= Math.min(n - 1, lo[2] + 3) && !occupied; k++) {
            for (let j = Math.max(0, lo[1]); j <= Math.min(n - 1, lo[1] + 3) && !occupied; j++) {
                for (let i = Math.max(0, lo[0]); i <= Math.min(n - 1, lo[0] + 3) && !occupied; i++) {
                    occupied = 1 - Math.exp(-Softplus(density[i + n * (j + n * k)] + params.densityShift) * params.stepSize) > 0.01;
                }
            }
        }
        if (occupied) {
            occupancy[cell >> 5] |= 1 << (cell & 31);
        }
    }
    return { params, density, sh, occupancy, background: "white", metadata: { iterations: 0 } };
}

/**
 * Nearest-neighbour queries on a fixed point set: a balanced k-d tree kept implicitly in one
 * permuted index array (the median of each range is its node, split on the range's widest axis),
 * with each node's bounding box, so that a subtree is skipped once its box is farther than the
 * best point found. Queries stay near O(log n) however far they are from the set (a uniform
 * grid's search grows with the cube of the distance in cells; a k-d tree that prunes on its
 * splitting planes alone visits every node for a query far off a flat set). Babylon-free.
 */
export class NearestPointTree {
    private readonly _points: Float32Array;
    private readonly _order: Uint32Array;
    private readonly _axis: Uint8Array;
    /** Per node (at its median index): min xyz, then max xyz of its range. */
    private readonly _box: Float32Array;
    private _best = Infinity;
    private _visits = 0;

    /**
     * Builds the tree.
     * @param points 3 floats per point (kept by reference; do not change them afterwards)
     */
    public constructor(points: Float32Array) {
        if (points.length % 3 !== 0) {
            throw new Error(`points must hold 3 floats per point, got ${points.length} floats`);
        }
        this._points = points;
        const count = points.length / 3;
        this._order = Uint32Array.from({ length: count }, (_, i) => i);
        this._axis = new Uint8Array(count);
        this._box = new Float32Array(count * 6);
        this._build(0, count);
    }

    /** Points the last query compared itself with (a hardware-independent measure of its cost). */
    public get lastQueryVisits(): number {
        return this._visits;
    }

    /** Number of points. */
    public get count(): number {
        return this._order.length;
    }

    /**
     * Distance from a point to the nearest point of the set (Infinity when the set is empty).
     * @param x query x
     * @param y query y
     * @param z query z
     * @returns the Euclidean distance
     */
    public nearestDistance(x: number, y: number, z: number): number {
        this._best = Infinity;
        this._visits = 0;
        this._search(0, this._order.length, x, y, z);
        return Math.sqrt(this._best);
    }

    private _build(lo: number, hi: number): void {
        // recursing into the left half and looping over the right keeps the depth at log2(n)
        while (hi - lo > 0) {
            const mid = (lo + hi) >> 1;
            const axis = this._boxAndWidestAxis(lo, hi, mid);
            if (hi - lo === 1) {
                return;
            }
            this._select(lo, hi, mid, axis);
            this._axis[mid] = axis;
            this._build(lo, mid);
            lo = mid + 1;
        }
    }

    /** Stores the box of order[lo, hi) at node `mid` and returns its widest axis. */
    private _boxAndWidestAxis(lo: number, hi: number, mid: number): number {
        const box = this._box;
        const o6 = mid * 6;
        box.fill(Infinity, o6, o6 + 3);
        box.fill(-Infinity, o6 + 3, o6 + 6);
        for (let i = lo; i < hi; i++) {
            const o = this._order[i] * 3;
            for (let a = 0; a < 3; a++) {
                const v = this._points[o + a];
                box[o6 + a] = Math.min(box[o6 + a], v);
                box[o6 + 3 + a] = Math.max(box[o6 + 3 + a], v);
            }
        }
        const span = [box[o6 + 3] - box[o6], box[o6 + 4] - box[o6 + 1], box[o6 + 5] - box[o6 + 2]];
        return span[0] >= span[1] && span[0] >= span[2] ? 0 : span[1] >= span[2] ? 1 : 2;
    }

    /** Quickselect: puts the k-th smallest (on `axis`) of order[lo, hi) at k, smaller before, larger after. */
    private _select(lo: number, hi: number, k: number, axis: number): void {
        const order = this._order;
        const value = (i: number): number => this._points[order[i] * 3 + axis];
        let left = lo;
        let right = hi - 1;
        while (right > left) {
            const pivot = value((left + right) >> 1);
            let i = left;
            let j = right;
            while (i <= j) {
                while (value(i) < pivot) {
                    i++;
                }
                while (value(j) > pivot) {
                    j--;
                }
                if (i <= j) {
                    const swap = order[i];
                    order[i] = order[j];
                    order[j] = swap;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                right = j;
            } else if (k >= i) {
                left = i;
            } else {
                return;
            }
        }
    }

    private _search(lo: number, hi: number, x: number, y: number, z: number): void {
        while (hi > lo) {
            const mid = (lo + hi) >> 1;
            if (this._boxDistanceSquared(mid, x, y, z) >= this._best) {
                return;
            }
            this._visits++;
            const o = this._order[mid] * 3;
            const p = this._points;
            const d = (p[o] - x) ** 2 + (p[o + 1] - y) ** 2 + (p[o + 2] - z) ** 2;
            if (d < this._best) {
                this._best = d;
            }
            if (hi - lo === 1) {
                return;
            }
            const axis = this._axis[mid];
            const diff = (axis === 0 ? x : axis === 1 ? y : z) - p[o + axis];
            // the near half first; the far half only when the splitting plane is closer than the best
            if (diff < 0) {
                this._search(lo, mid, x, y, z);
                if (diff * diff >= this._best) {
                    return;
                }
                lo = mid + 1;
            } else {
                this._search(mid + 1, hi, x, y, z);
                if (diff * diff >= this._best) {
                    return;
                }
                hi = mid;
            }
        }
    }

    private _boxDistanceSquared(node: number, x: number, y: number, z: number): number {
        const b = this._box;
        const o = node * 6;
        const dx = Math.max(b[o] - x, 0, x - b[o + 3]);
        const dy = Math.max(b[o + 1] - y, 0, y - b[o + 4]);
        const dz = Math.max(b[o + 2] - z, 0, z - b[o + 5]);
        return dx * dx + dy * dy + dz * dz;
    }
}

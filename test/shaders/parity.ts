/**
 * Largest absolute difference between two arrays of the same length (GPU result vs CPU twin).
 * @param a one array
 * @param b the other
 * @returns max |a[i] - b[i]|
 */
export function MaxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
    let worst = 0;
    for (let i = 0; i < a.length; i++) {
        worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    return worst;
}

/** Every 8th frame (index % 8 === 0) is a test view: the benchmark convention of this project. */
export const HoldoutEvery = 8;

/**
 * True for test views (index % 8 === 0).
 * @param index the frame's index in its capture
 * @returns whether the frame is held out
 */
export function IsHoldoutFrame(index: number): boolean {
    return index % HoldoutEvery === 0;
}

/**
 * Splits frame indices into training and holdout views.
 * @param count number of frames
 * @returns the two index lists
 */
export function SplitHoldout(count: number): { train: number[]; holdout: number[] } {
    const train: number[] = [];
    const holdout: number[] = [];
    for (let i = 0; i < count; i++) {
        (IsHoldoutFrame(i) ? holdout : train).push(i);
    }
    return { train, holdout };
}

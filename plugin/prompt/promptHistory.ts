import type { SegmentationObject } from "./promptTypes";

/** Snapshot of every object's prompts (masks are not part of the history). */
type Snapshot = { id: number; name: string; color: readonly [number, number, number]; clicks: SegmentationObject["clicks"]; box: SegmentationObject["box"] }[];

function Snap(objects: readonly SegmentationObject[]): Snapshot {
    return objects.map((object) => ({ id: object.id, name: object.name, color: object.color, clicks: [...object.clicks], box: object.box }));
}

function Restore(snapshot: Snapshot, current: readonly SegmentationObject[]): SegmentationObject[] {
    return snapshot.map((entry) => ({ ...entry, clicks: [...entry.clicks], frames: current.find((object) => object.id === entry.id)?.frames ?? null }));
}

/** Undo / redo of prompt edits: a stack of snapshots taken before each edit. */
export class PromptHistory {
    private readonly _undo: Snapshot[] = [];
    private readonly _redo: Snapshot[] = [];

    /** There is something to undo. */
    public get canUndo(): boolean {
        return this._undo.length > 0;
    }

    /** There is something to redo. */
    public get canRedo(): boolean {
        return this._redo.length > 0;
    }

    /**
     * Records the state before an edit (clears redo).
     * @param objects the objects now
     */
    public record(objects: readonly SegmentationObject[]): void {
        this._undo.push(Snap(objects));
        this._redo.length = 0;
        if (this._undo.length > 200) {
            this._undo.shift();
        }
    }

    /**
     * Steps back.
     * @param objects the objects now
     * @returns the objects before the last edit, or null
     */
    public undo(objects: readonly SegmentationObject[]): SegmentationObject[] | null {
        const previous = this._undo.pop();
        if (!previous) {
            return null;
        }
        this._redo.push(Snap(objects));
        return Restore(previous, objects);
    }

    /**
     * Steps forward.
     * @param objects the objects now
     * @returns the objects after the undone edit, or null
     */
    public redo(objects: readonly SegmentationObject[]): SegmentationObject[] | null {
        const next = this._redo.pop();
        if (!next) {
            return null;
        }
        this._undo.push(Snap(objects));
        return Restore(next, objects);
    }
}

/** Long work in progress, shown with a progress bar and a cancel button. */
export interface WorkspaceTask {
    /** What is running ("Loading capture", "Training"). */
    readonly label: string;
    /** 0..1, or null when unknown. */
    readonly progress: number | null;
    /** Cancels it. */
    readonly cancel: () => void;
}

/**
 * The workspace's running task, last error and last notice: runs one piece of long work at a
 * time, turns its failure into a message (a cancelled task says so) and reports every change. A
 * failed task returns null and leaves what the user already has alone.
 */
export class WorkspaceTasks {
    private readonly _changed: () => void;
    private _task: WorkspaceTask | null = null;
    private _error: string | null = null;
    private _notice: string | null = null;

    /** @param changed called on every change visible in the UI */
    public constructor(changed: () => void) {
        this._changed = changed;
    }

    /** The running task, or null. */
    public get task(): WorkspaceTask | null {
        return this._task;
    }

    /** The last error message, or null. */
    public get error(): string | null {
        return this._error;
    }

    /** The last informational message ("Placed ..."), or null. */
    public get notice(): string | null {
        return this._notice;
    }

    /**
     * Shows an error message.
     * @param message what went wrong (null clears it)
     */
    public reportError(message: string | null): void {
        this._error = message;
        this._changed();
    }

    /**
     * Shows a notice.
     * @param message what happened (null clears it)
     */
    public reportNotice(message: string | null): void {
        this._notice = message;
        this._changed();
    }

    /**
     * Runs a task: shows it, reports its progress (at most every 100 ms), clears it when done.
     * @param task label, initial progress, cancel
     * @param work the work, given a progress setter
     * @returns what the work returned, or null when it failed or was cancelled (the message is kept in {@link error})
     */
    public async runAsync<T>(task: WorkspaceTask, work: (setProgress: (value: number) => void) => Promise<T>): Promise<T | null> {
        this._task = task;
        this._error = null;
        this._changed();
        let last = 0;
        const setProgress = (value: number): void => {
            this._task = { ...task, progress: value };
            if (performance.now() - last > 100 || value >= 1) {
                last = performance.now();
                this._changed();
            }
        };
        try {
            return await work(setProgress);
        } catch (error) {
            this._error = (error as Error).name === "AbortError" ? `${task.label} was cancelled.` : (error as Error).message;
            return null;
        } finally {
            this._task = null;
            this._changed();
        }
    }

    /** Cancels the running task, if any. */
    public cancel(): void {
        this._task?.cancel();
    }
}

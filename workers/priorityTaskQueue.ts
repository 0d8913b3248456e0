/** Task priority: "high" (interactive decodes) runs before any waiting "low" (encodes). */
export type TaskPriority = "high" | "low";

/**
 * Runs async tasks one at a time, high-priority tasks first among those waiting. A worker's
 * onnxruntime sessions compute on its one thread, so this decides who goes next.
 */
export class PriorityTaskQueue {
    private readonly _waiting: { priority: TaskPriority; start: () => void }[] = [];
    private _running = false;

    /** Tasks waiting (not counting the running one). */
    public get waiting(): number {
        return this._waiting.length;
    }

    /**
     * Queues a task.
     * @param priority high or low
     * @param task the work
     * @returns the task's result
     */
    public runAsync<T>(priority: TaskPriority, task: () => Promise<T>): Promise<T> {
        return new Promise<T>((resolve, reject) => {
            const start = (): void => {
                this._running = true;
                task()
                    .then(resolve, reject)
                    .finally(() => {
                        this._running = false;
                        this._next();
                    });
            };
            this._waiting.push({ priority, start });
            if (!this._running) {
                this._next();
            }
        });
    }

    private _next(): void {
        if (this._running || this._waiting.length === 0) {
            return;
        }
        const index = this._waiting.findIndex((entry) => entry.priority === "high");
        const [entry] = this._waiting.splice(index >= 0 ? index : 0, 1);
        entry.start();
    }
}

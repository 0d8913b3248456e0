/**
 * A minimal typed event (Babylon-free, usable in workers): add listeners, notify them in order.
 * Listener errors are reported to console.error and do not stop the others.
 */
export class TypedEvent<T> {
    private readonly _listeners = new Set<(value: T) => void>();

    /**
     * Adds a listener.
     * @param listener called with each value
     * @returns a function that removes the listener
     */
    public add(listener: (value: T) => void): () => void {
        this._listeners.add(listener);
        return () => this._listeners.delete(listener);
    }

    /**
     * Calls every listener with `value`.
     * @param value the event's payload
     */
    public notify(value: T): void {
        for (const listener of [...this._listeners]) {
            try {
                listener(value);
            } catch (error) {
                console.error(error);
            }
        }
    }

    /** Removes every listener. */
    public clear(): void {
        this._listeners.clear();
    }
}

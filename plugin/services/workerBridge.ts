import * as Comlink from "comlink";

/** Options of a {@link WorkerBridge}. */
export interface WorkerBridgeOptions {
    /** Name used in error messages ("SAM worker", "fusion worker"...). */
    readonly name: string;
    /** Terminate the worker after this many idle milliseconds (0 = never). Default 30 000. */
    readonly idleTimeoutMs?: number;
}

/** Options of one call through a {@link WorkerBridge}. */
export interface WorkerCallOptions {
    /** Aborting rejects the call at once with an AbortError. */
    readonly signal?: AbortSignal;
    /** Buffers in the arguments to transfer instead of copy. */
    readonly transfer?: Transferable[];
    /**
     * What abort does to the worker: "terminate" (default) ends it (restarted lazily by the next call;
     * right for stateless workers); "keep" leaves it running (the worker method checks its own signal).
     */
    readonly onAbort?: "terminate" | "keep";
}

type AnyFunction = (...args: never[]) => unknown;
type MethodNames<Api> = { [K in keyof Api]: Api[K] extends AnyFunction ? K : never }[keyof Api] & string;

/**
 * Main-thread side of one comlink worker: lazy start, AbortSignal on every call, transferable
 * arguments, idle termination, and a clear error when the worker crashes (the next call starts a
 * fresh one). Worker APIs are imported as types only.
 */
export class WorkerBridge<Api extends object> {
    private readonly _createWorker: () => Worker;
    private readonly _options: Required<WorkerBridgeOptions>;
    private _worker: Worker | null = null;
    private _remote: Comlink.Remote<Api> | null = null;
    private _pending = new Set<(error: Error) => void>();
    private _idleTimer: ReturnType<typeof setTimeout> | null = null;
    private _starts = 0;

    /**
     * @param createWorker makes the worker, e.g. `() => new Worker(new URL("./x.worker.ts", import.meta.url))`
     * @param options name and idle timeout
     */
    public constructor(createWorker: () => Worker, options: WorkerBridgeOptions) {
        this._createWorker = createWorker;
        this._options = { idleTimeoutMs: 30000, ...options };
    }

    /** True while a worker is running. */
    public get isRunning(): boolean {
        return this._worker !== null;
    }

    /** How many times a worker was started (lazy start and restarts after abort, crash or idle). */
    public get startCount(): number {
        return this._starts;
    }

    /**
     * Calls a worker method.
     * @param method the method's name
     * @param args its arguments
     * @param options abort signal, transferables, abort behaviour
     * @returns the method's result
     */
    public async callAsync<K extends MethodNames<Api>>(
        method: K,
        args: Api[K] extends (...a: infer P) => unknown ? P : never,
        options: WorkerCallOptions = {}
    ): Promise<Api[K] extends (...a: never[]) => infer R ? Awaited<R> : never> {
        const { signal } = options;
        signal?.throwIfAborted();
        const remote = this._ensureStarted();
        this._clearIdleTimer();
        const worker = this._worker;
        let rejectPending: (error: Error) => void = () => undefined;
        const interrupted = new Promise<never>((_, reject) => {
            rejectPending = reject;
        });
        this._pending.add(rejectPending);
        const onAbort = (): void => {
            rejectPending(signal?.reason instanceof Error ? signal.reason : new DOMException(`${this._options.name}: ${method} was cancelled`, "AbortError"));
            if ((options.onAbort ?? "terminate") === "terminate" && this._worker === worker) {
                this._stop();
            }
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        try {
            const argList = options.transfer ? [Comlink.transfer(args[0], options.transfer), ...args.slice(1)] : args;
            const call = (remote as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method](...argList);
            return (await Promise.race([call, interrupted])) as Api[K] extends (...a: never[]) => infer R ? Awaited<R> : never;
        } finally {
            signal?.removeEventListener("abort", onAbort);
            this._pending.delete(rejectPending);
            this._armIdleTimer();
        }
    }

    /** Ends the worker now; pending calls reject. The next call starts a new one. */
    public terminate(): void {
        this._stop(new Error(`${this._options.name} was terminated`));
    }

    private _ensureStarted(): Comlink.Remote<Api> {
        if (this._remote) {
            return this._remote;
        }
        const worker = this._createWorker();
        worker.addEventListener("error", (event) => {
            event.preventDefault();
            const detail = event.message ? `${event.message}${event.filename ? ` (${event.filename}:${event.lineno})` : ""}` : "the worker script failed to load or threw";
            this._stop(new Error(`${this._options.name} crashed: ${detail}`));
        });
        worker.addEventListener("messageerror", () => this._stop(new Error(`${this._options.name}: a message could not be deserialized`)));
        this._worker = worker;
        this._remote = Comlink.wrap<Api>(worker);
        this._starts++;
        return this._remote;
    }

    private _stop(error: Error = new Error(`${this._options.name} stopped`)): void {
        this._clearIdleTimer();
        if (this._remote) {
            this._remote[Comlink.releaseProxy]();
        }
        this._worker?.terminate();
        this._worker = null;
        this._remote = null;
        for (const reject of [...this._pending]) {
            reject(error);
        }
        this._pending.clear();
    }

    private _armIdleTimer(): void {
        if (this._options.idleTimeoutMs > 0 && this._pending.size === 0 && this._worker) {
            this._clearIdleTimer();
            this._idleTimer = setTimeout(() => this._stop(), this._options.idleTimeoutMs);
        }
    }

    private _clearIdleTimer(): void {
        if (this._idleTimer !== null) {
            clearTimeout(this._idleTimer);
            this._idleTimer = null;
        }
    }
}

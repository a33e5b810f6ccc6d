/**
 * Cancellation by the engine. On the first Ctrl-C the engine calls the provider's `Cancel` RPC
 * and then waits for the operations in flight; the SDK's dynamic-provider host answers that RPC
 * and tells nobody, so {@link ./lifecycle} notices the call and signals it here.
 *
 * Once cancelled (for the rest of the process: the engine starts no new operation after a
 * cancel), every wait, backoff and rate-limit queue of the provider ends at once with an error
 * for which {@link isCancellation} is true, and no new POST is sent. Requests already on the wire
 * are left to finish: their answer may be the id of a service the API accepted. A create whose
 * POST was accepted turns the error into a partial failure, so the engine records the object.
 */

/** The words every cancellation message starts with. */
export const CANCELLED_BY_ENGINE = "cancelled by the engine (Ctrl-C)";

/** An operation ended because the engine cancelled the run. */
export class CancelledError extends Error {
    /** Marks every cancellation error, whatever its class (see {@link isCancellation}). */
    readonly cancelled = true;
    constructor(message: string) {
        super(message);
        this.name = "CancelledError";
    }
}

/** True for errors that end an operation because of the engine's cancellation. */
export function isCancellation(e: unknown): boolean {
    return e !== null && typeof e === "object" && (e as { cancelled?: unknown }).cancelled === true;
}

/** `cancelled by the engine (Ctrl-C) while <what>`. */
export function cancellationError(what: string): CancelledError {
    return new CancelledError(`${CANCELLED_BY_ENGINE} while ${what}`);
}

let cancelledAt: number | undefined;
const listeners = new Set<() => void>();

/** True once the engine has cancelled the run. */
export function isCancelled(): boolean {
    return cancelledAt !== undefined;
}

/** When the cancellation arrived (epoch ms), or undefined. */
export function cancelledSince(): number | undefined {
    return cancelledAt;
}

/** Records the engine's cancellation and tells every listener, once. */
export function signalCancellation(): void {
    if (cancelledAt !== undefined) return;
    cancelledAt = Date.now();
    for (const listener of [...listeners]) {
        try {
            listener();
        } catch {
            // One listener's failure must not keep the others from ending their waits.
        }
    }
}

/**
 * Calls `listener` when the run is cancelled (at once if it already is). Returns the function
 * that removes it: call it when what the listener would end has ended by itself.
 */
export function onCancel(listener: () => void): () => void {
    if (cancelledAt !== undefined) {
        listener();
        return () => undefined;
    }
    listeners.add(listener);
    return () => {
        listeners.delete(listener);
    };
}

/** Throws a cancellation error for `what` when the run is cancelled. */
export function throwIfCancelled(what: string): void {
    if (cancelledAt !== undefined) throw cancellationError(what);
}

/** Waits `ms`; rejects with a cancellation error for `what` as soon as the run is cancelled. */
export function cancellableSleep(ms: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
        let off = () => undefined as void;
        const timer = setTimeout(
            () => {
                off();
                resolve();
            },
            Math.max(0, ms),
        );
        off = onCancel(() => {
            clearTimeout(timer);
            reject(cancellationError(what));
        });
    });
}

/**
 * Settles like `promise`, or rejects with a cancellation error for `what` as soon as the run is
 * cancelled (what `promise` does afterwards is ignored; it is not stopped).
 */
export function raceCancellation<T>(promise: Promise<T>, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
        const off = onCancel(() => reject(cancellationError(what)));
        promise.then(
            (v) => {
                off();
                resolve(v);
            },
            (e) => {
                off();
                reject(e);
            },
        );
    });
}

/** Forgets a cancellation and its listeners (tests only). */
export function resetCancellation(): void {
    cancelledAt = undefined;
    listeners.clear();
}

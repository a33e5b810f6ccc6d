/**
 * The error every wait ends with when it does not reach what it waited for ({@link WaitError}):
 * a failure state, a timeout, the object gone, a poll that kept failing, or the engine's
 * cancellation. It carries the last object and state seen, so a resource can report (and
 * record) where it stopped.
 */
/** A wait that ended without reaching what it waited for. */
export class WaitError extends Error {
    /** The last object seen (a Service, a ClickPipe...), if any. */
    readonly lastSeen?: unknown;
    /** The last state seen, if any. */
    readonly state?: string;
    readonly elapsedMs: number;
    /** Why the wait ended. */
    readonly reason: "failed" | "timeout" | "gone" | "error" | "cancelled";
    /** True when the engine cancelled the run (see ./cancel's `isCancellation`). */
    readonly cancelled: boolean;
    constructor(
        message: string,
        init: { lastSeen?: unknown; state?: string; elapsedMs: number; reason: WaitError["reason"]; cause?: unknown },
    ) {
        super(message);
        this.name = "WaitError";
        this.lastSeen = init.lastSeen;
        this.state = init.state;
        this.elapsedMs = init.elapsedMs;
        this.reason = init.reason;
        this.cancelled = init.reason === "cancelled";
        if (init.cause !== undefined) (this as { cause?: unknown }).cause = init.cause;
    }
}

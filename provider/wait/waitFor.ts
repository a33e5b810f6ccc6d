/**
 * Waiting for one object other than a service (a ClickPipe...): {@link waitFor}, a small
 * adaptive loop per object, with the same messages, progress lines and cancellation as the
 * service poller.
 */
import { CANCELLED_BY_ENGINE, cancellableSleep, cancellationError, isCancellation, isCancelled, raceCancellation } from "../cancel";
import { progress } from "../log";
import { WaitError } from "./errors";
import { PollTiming, formatDuration, pollTiming } from "./timing";

/** Growth of {@link waitFor}'s own interval (ClickPipes and the like, one object each). */
const WAIT_FOR_GROWTH = 1.5;

/** Options of {@link waitFor}. */
export interface WaitForOptions<T> {
    /** Names the object in messages, e.g. `ClickPipe "events"`. */
    label: string;
    /** The object's id, shown after the label. */
    id?: string;
    timeoutMs: number;
    /** Fetches the object once. A thrown error ends the wait (the client has already retried). */
    poll: () => Promise<T>;
    /** True when the wait is over. */
    done: (t: T) => boolean;
    /** A reason when the object reached a failure state, else undefined. */
    fail?: (t: T) => string | undefined;
    /** The object's state for messages and change detection (default: `t.state`). */
    state?: (t: T) => string | undefined;
    /** Words for the target in messages, e.g. `Running`. @default "ready" */
    targetDescription?: string;
    /**
     * The wait starts right after the call that began the transition (a POST, a DELETE, a state
     * change): the first poll comes `minMs` later instead of at once, when it would only show the
     * state that call left and spend a request of the window the steps after it need.
     */
    afterMutation?: boolean;
    /** Overrides the environment's timing (tests). */
    timing?: Partial<PollTiming>;
}

/** Polls one object with its own adaptive interval until `done`, `fail` or timeout. */
export async function waitFor<T>(opts: WaitForOptions<T>): Promise<T> {
    const timing = { ...pollTiming(), ...opts.timing };
    const start = Date.now();
    const deadline = start + opts.timeoutMs;
    const name = opts.id ? `${opts.label} (${opts.id})` : opts.label;
    const stateOfT =
        opts.state ?? ((t: T) => (t && typeof t === "object" && "state" in t ? String((t as { state?: unknown }).state) : undefined));
    const what = opts.targetDescription ?? "ready";
    let interval = timing.minMs;
    let lastState: string | undefined;
    let lastSeen: T | undefined;
    let lastProgressAt = -Infinity;
    let first = !opts.afterMutation;
    const cancelled = (e: unknown): never => {
        if (!isCancellation(e)) throw e;
        const elapsed = Date.now() - start;
        throw new WaitError(
            `${CANCELLED_BY_ENGINE} while waiting for ${name} to be ${what} (${formatDuration(elapsed)} elapsed; last state: ${lastState ?? "unknown"})`,
            { lastSeen, state: lastState, elapsedMs: elapsed, reason: "cancelled" },
        );
    };
    for (;;) {
        if (!first) {
            const delay = Math.max(0, Math.min(interval, deadline - Date.now()));
            await cancellableSleep(delay, `waiting for ${name}`).catch(cancelled);
        } else if (isCancelled()) {
            cancelled(cancellationError(`waiting for ${name}`));
        }
        first = false;
        const t = await raceCancellation(opts.poll(), `waiting for ${name}`).catch(cancelled);
        lastSeen = t;
        const now = Date.now();
        const elapsed = now - start;
        const state = stateOfT(t);
        const reason = opts.fail?.(t);
        if (reason !== undefined) {
            throw new WaitError(`${name} failed after ${formatDuration(elapsed)} while waiting for it to be ${what}: ${reason}`, {
                lastSeen: t,
                state,
                elapsedMs: elapsed,
                reason: "failed",
            });
        }
        if (opts.done(t)) return t;
        if (now >= deadline) {
            throw new WaitError(
                `timed out after ${formatDuration(opts.timeoutMs)} waiting for ${name} to be ${what}; last state: ${state ?? "unknown"}`,
                { lastSeen, state, elapsedMs: elapsed, reason: "timeout" },
            );
        }
        const changed = lastState !== undefined && state !== lastState;
        lastState = state;
        interval = changed ? timing.minMs : Math.min(timing.maxMs, Math.round(interval * WAIT_FOR_GROWTH));
        if (now - lastProgressAt >= timing.progressEveryMs) {
            lastProgressAt = now;
            const label = opts.label.startsWith("clickhouse:") ? opts.label : `clickhouse:${opts.label}`;
            progress(label, `${state ?? "waiting"} (${formatDuration(elapsed)} elapsed)`);
        }
    }
}

/**
 * How the service poller words its messages: the target of a wait, the object waited on, and
 * the {@link WaitError}s of a timeout, a cancellation and a poll that failed.
 */
import { CANCELLED_BY_ENGINE } from "../cancel";
import type { Service } from "../api/types";
import { WaitError } from "./errors";
import { formatDuration } from "./timing";
import type { ServiceWaiter, WaitForServiceOptions } from "./types";

export function matches(until: WaitForServiceOptions["until"], svc: Service): boolean {
    return typeof until === "function" ? until(svc) : svc.state !== undefined && until.includes(svc.state);
}

export function target(o: WaitForServiceOptions): string {
    if (o.targetDescription) return o.targetDescription;
    if (o.gone) return "deleted";
    return typeof o.until === "function" ? "ready" : o.until.join(" or ");
}

export function subject(w: Pick<ServiceWaiter, "opts" | "serviceId">): string {
    return w.opts.subject ?? `service "${w.opts.label}" (${w.serviceId})`;
}

export function stateOf(svc: Service | undefined): string {
    return svc?.state ?? "unknown";
}

export function timeoutError(w: ServiceWaiter, now: number): WaitError {
    const elapsed = now - w.start;
    return new WaitError(
        `timed out after ${formatDuration(w.opts.timeoutMs)} waiting for ${subject(w)} to be ${target(w.opts)}; ` +
            `last state: ${w.lastState ?? "unknown"}`,
        { lastSeen: w.lastSeen, state: w.lastState, elapsedMs: elapsed, reason: "timeout" },
    );
}

/** The error of a waiter (or of one that would have been) when the engine cancels the run. */
export function cancelledError(
    w: Pick<ServiceWaiter, "serviceId" | "opts" | "start" | "once" | "wantsList"> & Partial<ServiceWaiter>,
    now: number,
): WaitError {
    const elapsed = now - w.start;
    const what =
        w.once && !w.wantsList
            ? `reading ${subject(w)}`
            : w.wantsList
              ? `listing services for ${subject(w)}`
              : `waiting for ${subject(w)} to be ${target(w.opts)}`;
    return new WaitError(
        `${CANCELLED_BY_ENGINE} while ${what} (${formatDuration(elapsed)} elapsed; last state: ${w.lastState ?? "unknown"})`,
        {
            lastSeen: w.lastSeen,
            state: w.lastState,
            elapsedMs: elapsed,
            reason: "cancelled",
        },
    );
}

export function pollError(w: ServiceWaiter, e: unknown): WaitError {
    const elapsed = Date.now() - w.start;
    return new WaitError(
        `could not check ${subject(w)} while waiting for it to be ${target(w.opts)} ` +
            `(${formatDuration(elapsed)} elapsed; last state: ${w.lastState ?? "unknown"}): ${(e as Error)?.message ?? e}`,
        { lastSeen: w.lastSeen, state: w.lastState, elapsedMs: elapsed, reason: "error", cause: e },
    );
}

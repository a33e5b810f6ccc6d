/**
 * Waiting for asynchronous state, in one place.
 *
 * Services: one poller per client (a client serves one organization). Every waiter registers the
 * service and the condition it waits for; each tick the poller spends ONE request: the list
 * `GET /services` when several services are waited on, else `GET /services/{id}`. The interval
 * starts short after a waiter registers, grows slowly (×1.1) up to a cap while nothing changes,
 * so a transition is seen after about a tenth of the time it took, and drops back when any
 * state changes. Its requests have the limiter's `observe` priority: they never delay a mutation,
 * and while waiters exist the poller holds one reserved slot of the window, so the observation
 * that lets them move on is not stuck behind a window full of mutations. One-shot reads of a
 * service ({@link observeService}) join the next tick, so concurrent reads share one list call.
 *
 * Everything else (ClickPipes...): {@link waitFor}, a small adaptive loop per object.
 *
 * Files: ./servicePoller (the poller) and ./types (its shapes), ./waitFor, ./errors ({@link WaitError}), ./timing
 * (intervals from the environment, durations), ./messages (the poller's wording); this file is
 * the entry points the resources use.
 *
 * When the engine cancels the run (Ctrl-C, see ../cancel), every wait ends at once with a
 * {@link WaitError} of reason `cancelled` that keeps the last object seen.
 */
import { Service } from "../api/types";
import { PollingClient, ServicePoller, WaitForServiceOptions } from "./servicePoller";

export { WaitError } from "./errors";
export { PollTiming, formatDuration, pollTiming } from "./timing";
export { DEFAULT_FAIL_ON, PollingClient, ServicePoller, WaitForServiceOptions } from "./servicePoller";
export { WaitForOptions, waitFor } from "./waitFor";

const pollers = new WeakMap<PollingClient, ServicePoller>();

/** The poller of a client, created on first use. */
export function pollerFor(client: PollingClient): ServicePoller {
    let p = pollers.get(client);
    if (!p) {
        p = new ServicePoller(client);
        pollers.set(client, p);
    }
    return p;
}

/**
 * Waits until the service reaches `until` (resolves with it), or no longer exists when
 * `gone` is set (resolves undefined). Rejects with a {@link WaitError} on a `failOn` state, on
 * timeout, or when the service disappears while waiting for a state.
 */
export function waitForService(client: PollingClient, serviceId: string, opts: WaitForServiceOptions): Promise<Service | undefined> {
    return pollerFor(client).wait(serviceId, opts);
}

/**
 * Reads a service through the client's poller: callers arriving within a few milliseconds of each
 * other (a refresh or destroy of many services) share one `GET /services`. Resolves undefined
 * when the service no longer exists; rejects like a wait when the read fails.
 */
export function observeService(
    client: PollingClient,
    serviceId: string,
    opts: { timeoutMs: number; label: string; subject?: string },
): Promise<Service | undefined> {
    return pollerFor(client).observe(serviceId, opts);
}

/**
 * Every service of the client's organization, from the poller's next list call (made `minMs`
 * from now, when a newly started wait would poll anyway): a create uses it to look for a service
 * an interrupted earlier attempt made, at no extra request.
 */
export function observeServices(
    client: PollingClient,
    opts: { timeoutMs: number; label: string; subject?: string; targetDescription?: string },
): Promise<Service[]> {
    return pollerFor(client).observeList(opts);
}

/**
 * The client's services as the poller's last list call saw them, when that call is recent and
 * came after every write of this process was answered; else undefined (see
 * {@link ServicePoller.recentList}). Costs no request.
 */
export function recentServiceList(client: PollingClient, maxAgeMs?: number): Service[] | undefined {
    return pollers.get(client)?.recentList(maxAgeMs);
}

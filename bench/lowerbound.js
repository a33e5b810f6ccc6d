// The least time the API's limits allow for "create N services, wait until they run" (up) and
// "stop, delete and see gone N services" (destroy). Pure arithmetic; BENCHMARKS.md explains it.
"use strict";

/**
 * Time of the k-th request (0-based) of a client that starts with an unused window and sends as
 * fast as a sliding window of `requests` per `windowSeconds` allows: bursts of `requests` every
 * `windowSeconds`.
 */
function slot(k, rate) {
    return Math.floor(k / rate.requests) * rate.windowSeconds;
}

/**
 * Lower bounds in seconds for one phase each, the window unused at the start of each phase.
 *
 * up: N POSTs and at least one observation that each service runs (a list observes all at
 * once), so N + 1 requests; and the last POST cannot go before slot(N-1), after which that
 * service provisions for T seconds before anyone can see it running:
 *   up >= max(slot(N), slot(N-1) + T)
 * destroy: N stops, N lists of each service's ClickPipes (a service delete removes its pipes,
 * so the ones no resource manages are named first), at least one observation that they
 * stopped, N DELETEs, at least one observation that they are gone: 3N + 2 requests. The last
 * DELETE is at least the (3N+1)-th request and is followed by the terminating time D; the last
 * stop is followed by the stopping time S and then by the terminating time of that service:
 *   destroy >= max(slot(3N+1), slot(3N) + D, slot(N-1) + S + D)
 * Network time and the engine's own work count as zero.
 */
function lowerBound({ n, provisioningSeconds, stoppingSeconds, terminatingSeconds, rate }) {
    const up = Math.max(slot(n, rate), slot(n - 1, rate) + provisioningSeconds);
    const destroy = Math.max(
        slot(3 * n + 1, rate),
        slot(3 * n, rate) + terminatingSeconds,
        slot(n - 1, rate) + stoppingSeconds + terminatingSeconds,
    );
    return { up, destroy, total: up + destroy, minRequests: n + 1 + 3 * n + 2 };
}

module.exports = { slot, lowerBound };

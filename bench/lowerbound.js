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

/**
 * Several stacks of services started together through one key: the key does not care which
 * stack a request belongs to, so the bound is that of all their services in one command.
 */
function parallelLowerBound({ stacks, servicesPerStack, ...rest }) {
    return lowerBound({ n: stacks * servicesPerStack, ...rest });
}

/**
 * The requests each resource kind of the root program (index.ts, Pulumi.dev.yaml) must make: its
 * mutations, and one observation of every asynchronous transition it waits for. Reads that a
 * client could do without (a satellite reading its service first, a read after a write whose
 * answer already carries the object) are not counted. `waits` names the transition after the
 * request, `after` what must be done first (dependency or API rule).
 */
const ENV_REQUESTS = {
    up: [
        { kind: "Service", request: "POST /services", waits: "provisioning" },
        { kind: "Service", request: "GET (observe running)" },
        { kind: "ServiceScaling", request: "PATCH .../replicaScaling", after: "Service" },
        { kind: "BackupConfiguration", request: "PATCH .../backupConfiguration", after: "Service" },
        { kind: "ServiceQueryEndpoint", request: "POST .../serviceQueryEndpoint", after: "Service" },
        {
            kind: "ClickPipe",
            request: "POST .../clickpipes",
            after: "ServiceScaling (dependsOn); the service running (else 424)",
            waits: "pipeProvisioning",
        },
        { kind: "ClickPipe", request: "GET (observe Running)" },
    ],
    destroy: [
        { kind: "ClickPipe", request: "DELETE .../clickpipes/{id}", waits: "pipeDeleting" },
        { kind: "ClickPipe", request: "GET (observe gone)" },
        { kind: "ServiceQueryEndpoint", request: "DELETE .../serviceQueryEndpoint" },
        { kind: "BackupConfiguration", request: "PATCH .../backupConfiguration (reset)" },
        { kind: "Service", request: "PATCH .../state stop", after: "every resource on the service deleted", waits: "stopping" },
        { kind: "Service", request: "GET (observe stopped)" },
        { kind: "Service", request: "DELETE /services/{id}", waits: "terminating" },
        { kind: "Service", request: "GET (observe gone)" },
        { kind: "StackOwnership", request: "GET /services (what interrupted creates left)", after: "Service" },
    ],
};

/**
 * Lower bounds for up and destroy of the root program's environment, each phase starting with an
 * unused window. Transitions on one chain cannot overlap: up creates the service, sees it run
 * (T), then its ClickPipe, which the API refuses on a service that is not running, provisions
 * (P); destroy deletes the ClickPipe and sees it gone (Pd: the engine deletes the Service only
 * after everything that depends on it), then stops (S) and deletes (D) the service:
 *   up      >= max(slot(requests_up - 1), T + P)
 *   destroy >= max(slot(requests_destroy - 1), Pd + S + D)
 * ServiceScaling (no request on delete), BackupConfiguration and ServiceQueryEndpoint change
 * nothing asynchronously, so their requests only count against the budget.
 */
function envLowerBound({ provisioningSeconds, pipeProvisioningSeconds, pipeDeletingSeconds, stoppingSeconds, terminatingSeconds, rate }) {
    const upRequests = ENV_REQUESTS.up.length;
    const destroyRequests = ENV_REQUESTS.destroy.length;
    const up = Math.max(slot(upRequests - 1, rate), provisioningSeconds + pipeProvisioningSeconds);
    const destroy = Math.max(slot(destroyRequests - 1, rate), pipeDeletingSeconds + stoppingSeconds + terminatingSeconds);
    return { up, destroy, total: up + destroy, minRequests: upRequests + destroyRequests, upRequests, destroyRequests };
}

module.exports = { slot, lowerBound, parallelLowerBound, envLowerBound, ENV_REQUESTS };

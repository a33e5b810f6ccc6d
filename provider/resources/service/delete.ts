/**
 * Deleting a service: stop it when it runs (the API refuses to delete a running service), wait
 * for `stopped`, DELETE, wait until it is gone; 409s while a transition settles are retried.
 */
import { getClient } from "../../api/client";
import { changeServiceState, deleteServiceRequest } from "../../api/services";
import { isApiError, isConflict, isNotFound } from "../../api/errors";
import type { Service as ApiService, ServiceState } from "../../api/types";
import { WaitError, formatDuration, observeService, waitForService } from "../../wait";
import { timeoutFor } from "../timeouts";
import type { ServiceOutputs } from "./args";
import { warnUnmanagedClickPipes } from "./pipes";
import { configFor, labelOf, remaining, sleep } from "./context";
import { DEFAULT_TIMEOUT_MS, GONE_STATES, RESOURCE, TERMINATING_STATES } from "./properties";

/** Stops (when needed) and deletes a service, waiting until it is gone; `props` are its outputs. */
export async function deleteService(id: string, props: Partial<ServiceOutputs>): Promise<void> {
    const cfg = configFor(props.organizationId);
    const client = getClient(cfg);
    const label = labelOf(props, id);
    const start = Date.now();
    const deadline = start + timeoutFor(props.timeouts, "delete", DEFAULT_TIMEOUT_MS);
    let conflictDelayMs = 1000;
    let lastState: string | undefined;
    /** The service once stopped (or failed, degraded), or undefined once it no longer exists. */
    const waitStoppedOrGone = async (): Promise<ApiService | undefined> => {
        const until = (s: ApiService) => s.state === "stopped" || s.state === "failed" || s.state === "degraded";
        try {
            return await waitForService(client, id, {
                until,
                failOn: [],
                timeoutMs: remaining(deadline),
                label,
                targetDescription: "stopped",
                // Only the state matters here: another stack's list call may show it (../../api/sharedStates).
                stateOnly: true,
            });
        } catch (e) {
            if (e instanceof WaitError && e.reason === "gone") return undefined;
            throw e;
        }
    };
    // Gone is a 404, or a state that only reports the end (terminated, softdeleted).
    const waitUntilDeleted = async (): Promise<void> => {
        const until = (s: ApiService) => !!s.state && GONE_STATES.includes(s.state);
        try {
            await waitForService(client, id, {
                until,
                failOn: [],
                timeoutMs: remaining(deadline),
                label,
                targetDescription: "deleted",
                stateOnly: true,
            });
        } catch (e) {
            if (!(e instanceof WaitError && e.reason === "gone")) throw e;
        }
    };
    // The state the last wait ended on, so the next step does not read it again. The first step
    // trusts the recorded state when it is a settled one (a destroy of ten services then starts
    // with ten stops, not with a read): a stale record only makes the first request fail, and
    // that failure sends us to read the service.
    const recorded =
        typeof props.state === "string" && ["running", "idle", "stopped"].includes(props.state) ? (props.state as ServiceState) : undefined;
    let seen: ApiService | undefined | null = recorded ? ({ id, state: recorded } as ApiService) : null;
    let presumed = recorded !== undefined;
    let guessed = false;
    await warnUnmanagedClickPipes(client, RESOURCE, label, id);
    /**
     * One state-changing request of the delete: `ok`, `gone` (404), or `reread` after a refusal
     * the next read settles: a 4xx on a state we only presumed, or a 409 while a transition
     * settles (retried with a doubling pause, bounded by the deadline).
     */
    const step = async (call: () => Promise<unknown>, retrying: string): Promise<"ok" | "gone" | "reread"> => {
        try {
            await call();
            return "ok";
        } catch (e) {
            if (isNotFound(e)) return "gone";
            if (guessed && isApiError(e) && e.status >= 400 && e.status < 500) return "reread";
            if (!isConflict(e)) throw e;
            await sleep(Math.min(conflictDelayMs, remaining(deadline)), retrying);
            conflictDelayMs = Math.min(conflictDelayMs * 2, 10_000);
            return "reread";
        }
    };
    for (;;) {
        if (Date.now() >= deadline) {
            throw new Error(
                `${RESOURCE}: timed out after ${formatDuration(Date.now() - start)} deleting service "${label}" (${id}); last state: ${lastState ?? "unknown"}.`,
            );
        }
        // Through the poller: the deletes of a destroy share list calls instead of one GET each.
        const svc = seen !== null ? seen : await observeService(client, id, { timeoutMs: remaining(deadline), label });
        guessed = presumed;
        seen = null;
        presumed = false;
        if (!svc || (svc.state && GONE_STATES.includes(svc.state))) return;
        lastState = svc.state;
        if (svc.state && TERMINATING_STATES.includes(svc.state)) {
            await waitUntilDeleted();
            return;
        }
        if (svc.state === "running" || svc.state === "idle" || svc.state === "partially_running" || svc.state === "stopping") {
            if (svc.state !== "stopping") {
                const stopped = await step(
                    () => changeServiceState(client, id, "stop"),
                    `waiting to retry stopping service "${label}" (${id}) before deleting it`,
                );
                if (stopped === "gone") return;
                if (stopped === "reread") continue;
            }
            seen = await waitStoppedOrGone();
            if (!seen) return;
            continue;
        }
        // stopped, provisioning, starting, awaking, degraded, failed: the API accepts DELETE.
        // Right after `stopped` the API may still report a transition: a 409 is retried.
        const deleted = await step(() => deleteServiceRequest(client, id), `waiting to retry deleting service "${label}" (${id})`);
        if (deleted === "gone") return;
        if (deleted === "reread") continue;
        await waitUntilDeleted();
        return;
    }
}

/**
 * The service a resource belongs to (ServiceScaling, BackupConfiguration, PrivateEndpoint,
 * ServiceQueryEndpoint, ClickPipe): its `serviceId` validated, the service looked up with an error
 * that names the resource, described in messages, made `running` (an idle one woken), and the
 * "wake an idle service, then retry once" of a call the API refuses while the service sleeps.
 */
import type { ApiClient } from "../api/client";
import { isApiError, isNotFound } from "../api/errors";
import { changeServiceState, getService } from "../api/services";
import type { Service, ServiceState } from "../api/types";
import { progress } from "../log";
import { pollerFor, waitForService } from "../wait";
import { CheckFailure, UUID, Validator } from "./validation";

/** An error a person reads: prefixed with the resource type, e.g. `clickhouse:ClickPipe: ...`. */
export function resourceError(resource: string, message: string): Error {
    return new Error(`${resource}: ${message}`);
}

/** Validates `serviceId`: required, a service id (UUID). */
export function checkServiceId(v: Validator): void {
    v.string("serviceId", {
        required: true,
        pattern: UUID,
        patternText: "a service id (a UUID), e.g. the `id` output of a clickhouse.Service",
    });
}

/** What the check of a resource that belongs to a service answers: the inputs as given, and every failure. */
export type OwnedCheckResult = { inputs: Record<string, unknown>; failures: CheckFailure[] };

/**
 * The validator of a resource that belongs to a service, with its first two checks done: no
 * argument outside `argumentNames` (each unknown one named, with the closest accepted name),
 * and `serviceId` a service id.
 */
export function ownedInputsValidator(resource: string, news: Record<string, unknown>, argumentNames: readonly string[]): Validator {
    const v = new Validator(resource, news);
    v.knownKeys(undefined, argumentNames);
    checkServiceId(v);
    return v;
}

/** `"name" (id)` of a service for messages. */
export function describeService(svc: Service | undefined, serviceId: string): string {
    return svc?.name ? `service "${svc.name}" (${serviceId})` : `service ${serviceId}`;
}

/**
 * How a resource's wait for its service is worded: messages name the service
 * (`service "name" (id)`), progress lines carry the resource's own label.
 */
export function serviceWait(
    label: string,
    svc: Service | undefined,
    serviceId: string,
): { label: string; subject: string; progressLabel: string } {
    return { label: svc?.name ?? serviceId, subject: describeService(svc, serviceId), progressLabel: label };
}

/** True for a development-tier service, whose size, replicas and backups are fixed. */
export function isDevelopment(svc: Service): boolean {
    return svc.tier === "development";
}

/** States a service rests in: the API accepts configuration changes there. */
export const STABLE_SERVICE_STATES: ServiceState[] = ["running", "idle", "stopped"];

/** States from which a service becomes `running` without a command. */
const ON_THE_WAY_TO_RUNNING: ServiceState[] = ["provisioning", "starting", "awaking", "partially_running"];

/**
 * The service a resource belongs to; a missing service is an error naming the resource. With
 * `recent`, the poller's observation of the last second does (see `ServicePoller.recent`): for
 * reads that check what the service is (its tier, that it runs), not for one whose answer decides
 * what a PATCH sends.
 */
export async function requireService(
    client: ApiClient,
    resource: string,
    serviceId: string,
    opts: { recent?: boolean } = {},
): Promise<Service> {
    const recent = opts.recent ? pollerFor(client).recent(serviceId) : undefined;
    if (recent) return recent;
    try {
        return await getService(client, serviceId);
    } catch (e) {
        if (isNotFound(e)) {
            throw resourceError(resource, `service ${serviceId} does not exist in organization ${client.orgId} (404); check "serviceId".`);
        }
        throw e;
    }
}

/**
 * Makes sure the service is `running`: an `idle` service is woken (`PATCH /state {command:
 * "awake"}`), one on its way up is waited for. A `stopped` service is an error: it was stopped
 * on purpose and starting it is the Service's business, not that of a resource attached to it.
 */
export async function ensureServiceRunning(
    client: ApiClient,
    resource: string,
    serviceId: string,
    timeoutMs: number,
    label: string,
    known?: Service,
): Promise<Service> {
    const svc = known ?? (await requireService(client, resource, serviceId, { recent: true }));
    const state = svc.state;
    if (state === "running") return svc;
    if (state === "idle") {
        progress(label, `waking ${describeService(svc, serviceId)} from idle`);
        await changeServiceState(client, serviceId, "awake");
    } else if (!state || !ON_THE_WAY_TO_RUNNING.includes(state)) {
        throw resourceError(
            resource,
            `${describeService(svc, serviceId)} is ${state ?? "in an unknown state"}; it must be running (or idle, which is woken automatically). ` +
                (state === "stopped"
                    ? `Start it first (set the Service's state to "running").`
                    : `Wait until it is running and try again.`),
        );
    }
    const running = await waitForService(client, serviceId, { until: ["running"], timeoutMs, ...serviceWait(label, svc, serviceId) });
    return running ?? svc;
}

/**
 * Runs `call`; when the API answers 424 FAILED_DEPENDENCY (the service is not running: idle
 * after inactivity), wakes the service and runs `call` once more.
 */
export async function withServiceAwake<T>(
    client: ApiClient,
    resource: string,
    serviceId: string,
    timeoutMs: number,
    label: string,
    call: () => Promise<T>,
): Promise<T> {
    try {
        return await call();
    } catch (e) {
        if (!isApiError(e, 424)) throw e;
        progress(label, `the API answered 424 (${e.detail ?? "service not running"}); waking the service and retrying once`);
        await ensureServiceRunning(client, resource, serviceId, timeoutMs, label);
        return await call();
    }
}
